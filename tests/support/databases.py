"""The migrated, empty database each service test runs on: SQLite, and PostgreSQL when
``BIZOPS_TEST_PG_URL`` is set. Both are copied from a template migrated once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from tests.support.pg import database_name, needs_pg, throwaway_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=needs_pg)]


def migrated_sqlite_file(path: Path) -> Path:
    db = Database(f"sqlite:///{path}")
    ensure_schema(db)
    db.dispose()
    return path


@contextmanager
def migrated_pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database to copy from; yields its name."""
    with throwaway_database("bizops_tmpl") as url:
        db = Database(url)
        ensure_schema(db)
        db.dispose()
        yield database_name(url)


@contextmanager
def empty_database(
    kind: str, tmp_path: Path, sqlite_template: Path, pg_template: str | None
) -> Iterator[Database]:
    """A fresh copy of the migrated template of ``kind`` ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        path = tmp_path / "service.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        try:
            yield db
        finally:
            db.dispose()
        return
    assert pg_template, "BIZOPS_TEST_PG_URL is not set"
    with throwaway_database(template=pg_template) as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


def upgrade_to(db: Database, revision: str) -> None:
    """Migrate ``db`` up to ``revision`` exactly (an old schema for an upgrade test)."""
    from alembic import command

    from bizops.store.migrate import alembic_config, schema_state

    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    assert schema_state(db).revision == revision


@contextmanager
def shared_audit_key(folder: Path) -> Iterator[Path]:
    """A database a whole module's tests share (each test with its own data directory) is
    sealed with one audit key, kept here for as long as the module runs."""
    old = os.environ.get("BIZOPS_AUDIT_KEY")
    path = folder / "audit.key"
    os.environ["BIZOPS_AUDIT_KEY"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("BIZOPS_AUDIT_KEY", None)
        else:
            os.environ["BIZOPS_AUDIT_KEY"] = old


def add_users_before_keys(db: Database, logins: dict[str, list[str]]) -> None:
    """Users, their audit events and the event counter as a bizops from before the keyed
    chain wrote them (plain SHA-256 hashes, no database login column): an older database
    for the upgrade tests, whose history must stay verifiable as it was."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, insert, select

    from bizops.store.audit import COUNT_KEY, GENESIS, event_hash, to_json

    meta = MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn, only=["users", "audit_events", "counters"])
        users, events = meta.tables["users"], meta.tables["audit_events"]
        prev = (
            conn.execute(
                select(events.c.hash).order_by(events.c.id.desc()).limit(1)
            ).scalar_one_or_none()
            or GENESIS
        )
        count = 0
        everyone = {"root": ["admin"], **logins}
        for login, roles in everyone.items():
            at = datetime.now(UTC)
            conn.execute(
                insert(users).values(
                    login=login, name=login.title(), email=f"{login}@example.com",
                    roles=",".join(roles), approval_limit=None, active=True, created_at=at,
                )
            )  # fmt: skip
            after = to_json({"login": login, "roles": roles, "active": True})
            action = "user.init" if login == "root" else "user.add"
            digest = event_hash(
                prev_hash=prev, at=at, actor="root", action=action, entity_type="user",
                entity_id=login, before=None, after=after,
            )  # fmt: skip
            conn.execute(
                insert(events).values(
                    at=at, actor="root", action=action, entity_type="user", entity_id=login,
                    before=None, after=after, prev_hash=prev, hash=digest,
                )
            )  # fmt: skip
            prev, count = digest, count + 1
        conn.execute(insert(meta.tables["counters"]).values(name=COUNT_KEY, value=count))
