"""The policy stored in the database: versions, changes, and the import on upgrade."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bizops.domain.errors import Invalid, NotPermitted
from bizops.services.policy_versions import (
    apply_policy_data,
    policy_history,
    policy_in_force,
    stored_policy,
)
from bizops.store.engine import Database
from bizops.store.migrate import upgrade
from bizops.store.models import User
from tests.support.databases import upgrade_to
from tests.support.policies import apply_policy


def test_versions_are_applied_in_order_and_routing_records_them(db: Database, team) -> None:  # type: ignore[no-untyped-def]
    with db.read() as s:
        assert [r["version"] for r in policy_history(s)] == [1]
        assert policy_in_force(s).version == 1
    policy = apply_policy(db, {"approval": {"sla_days": 4}})
    assert policy.version == 2 and policy.approval_sla_days == 4
    with db.read() as s:
        assert stored_policy(s, version=1).data["approval"]["sla_days"] == 2
        rows = policy_history(s)
    assert [(r["version"], r["in_force"]) for r in rows] == [(2, True), (1, False)]


def test_only_an_admin_applies_and_a_bad_policy_stores_nothing(db: Database, team) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        alice = s.get(User, team["alice"].id)
        with pytest.raises(NotPermitted):
            apply_policy_data(s, actor=alice, data={}, source="x")
    with pytest.raises(Invalid):
        apply_policy(db, {"approval": {"sla_days": -1}})
    with db.read() as s:
        assert [r["version"] for r in policy_history(s)] == [1]


def test_upgrading_imports_the_policy_file_used_until_now(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_to(db, "0005_customer_pinyin")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (login, name, roles, active, created_at) "
                "VALUES ('root', 'Root', 'admin', 1, :at)"
            ),
            {"at": datetime.now(UTC)},
        )
    home = Path(os.environ["BIZOPS_HOME"])
    (home / "policy.toml").write_text("[approval]\nsla_days = 5\n", encoding="utf-8")
    upgrade(db, backup=False)
    with db.read() as s:
        policy = policy_in_force(s)
        [row] = policy_history(s)
    assert policy.version == 1 and policy.approval_sla_days == 5
    assert row["source"] == str(home / "policy.toml") and row["applied_by"] == "upgrade"
    db.dispose()
