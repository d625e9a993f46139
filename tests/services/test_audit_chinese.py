"""`audit verify` findings in Chinese: each names the event, as the English ones do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bizops.i18n import set_language
from bizops.services.audit import verify
from bizops.store.engine import Database
from tests.support.factories import add_user


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def _ids(db: Database) -> list[int]:
    for login in ("alice", "bob", "carol"):
        add_user(db, login, "sales")
    with db.read() as s:
        return [int(i) for (i,) in s.execute(text("SELECT id FROM audit_events ORDER BY id"))]


def test_edits_and_deletions_in_chinese(db: Database, zh: None) -> None:
    ids = _ids(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :i"), {"i": ids[1]})
        conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": ids[-1]})
    with db.read() as s:
        found = [p.problem for p in verify(s).problems]
    assert found[0].startswith(f"事件 {ids[1]}（") and found[0].endswith(
        "被篡改：内容与其哈希值不符"
    )
    assert found[-1] == "缺少 1 条事件：审计日志应有 4 条，实际只有 3 条（最新的事件可能已被删除）"
