"""The audit log: filters, and a hash chain that shows every edit, deletion or reordering."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from bizops.services import users
from bizops.services.audit import audit_log, verify
from bizops.store import audit
from bizops.store.engine import Database
from tests.support.factories import add_user


@pytest.fixture
def events(db: Database) -> list[int]:
    """root, then alice, bob, carol, dave added: five events, ids returned oldest first."""
    for login in ("alice", "bob", "carol", "dave"):
        add_user(db, login, "sales", name=f"名字 {login}")
    with db.read() as s:
        return [int(i) for (i,) in s.execute(text("SELECT id FROM audit_events ORDER BY id"))]


def tamper(db: Database, sql: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def problems(db: Database) -> list[tuple[int | None, str]]:
    with db.read() as s:
        result = verify(s)
    return [(p.event_id, p.problem) for p in result.problems]


def test_a_clean_chain_verifies(db: Database, events: list[int]) -> None:
    with db.read() as s:
        result = verify(s)
    assert result.ok and result.events == 5


def test_empty_log_verifies(db: Database) -> None:
    with db.read() as s:
        result = verify(s)
    assert result.ok and result.events == 0


def test_edited_after_is_named(db: Database, events: list[int]) -> None:
    target = events[2]
    tamper(
        db,
        "UPDATE audit_events SET after = :a WHERE id = :i",
        a='{"login": "bob", "roles": ["admin"]}',
        i=target,
    )
    found = problems(db)
    assert found == [(target, found[0][1])]
    assert f"event {target} " in found[0][1] and "was edited" in found[0][1]


@pytest.mark.parametrize("column", ["actor", "action", "entity_id"])
def test_edited_fields_are_named(db: Database, events: list[int], column: str) -> None:
    tamper(db, f"UPDATE audit_events SET {column} = 'mallory' WHERE id = :i", i=events[1])
    assert [i for i, _ in problems(db)] == [events[1]]


def test_edited_time_is_named(db: Database, events: list[int]) -> None:
    tamper(
        db,
        "UPDATE audit_events SET at = :t WHERE id = :i",
        t=datetime(2020, 1, 1, tzinfo=UTC),
        i=events[3],
    )
    assert [i for i, _ in problems(db)] == [events[3]]


def test_deleting_a_middle_event_names_the_next(db: Database, events: list[int]) -> None:
    tamper(db, "DELETE FROM audit_events WHERE id = :i", i=events[2])
    found = problems(db)
    ids = [i for i, _ in found]
    assert events[3] in ids
    text_ = " ".join(p for _, p in found)
    assert f"event {events[3]} does not follow event {events[1]}" in text_
    assert "missing" in text_


def test_deleting_the_first_event_is_detected(db: Database, events: list[int]) -> None:
    tamper(db, "DELETE FROM audit_events WHERE id = :i", i=events[0])
    found = problems(db)
    assert found[0][0] == events[1] and "earlier events were deleted" in found[0][1]


def test_deleting_the_newest_event_is_detected(db: Database, events: list[int]) -> None:
    tamper(db, "DELETE FROM audit_events WHERE id = :i", i=events[-1])
    found = problems(db)
    assert len(found) == 1
    assert found[0][0] is None and "1 event(s) missing" in found[0][1]
    assert "should hold 5 events and holds 4" in found[0][1]


def test_swapping_contents_is_detected(db: Database, events: list[int]) -> None:
    a, b = events[1], events[3]
    cols = "at, actor, action, entity_type, entity_id, before, after"
    with db.engine.begin() as conn:
        row_a = conn.execute(text(f"SELECT {cols} FROM audit_events WHERE id = :i"), {"i": a}).one()
        row_b = conn.execute(text(f"SELECT {cols} FROM audit_events WHERE id = :i"), {"i": b}).one()
        sets = ", ".join(f"{c.strip()} = :{c.strip()}" for c in cols.split(","))
        conn.execute(
            text(f"UPDATE audit_events SET {sets} WHERE id = :i"), {**row_b._asdict(), "i": a}
        )
        conn.execute(
            text(f"UPDATE audit_events SET {sets} WHERE id = :i"), {**row_a._asdict(), "i": b}
        )
    assert {i for i, _ in problems(db)} == {a, b}


def test_swapping_whole_rows_with_their_hashes_is_detected(db: Database, events: list[int]) -> None:
    a, b = events[1], events[2]
    cols = [
        "at",
        "actor",
        "action",
        "entity_type",
        "entity_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ]
    with db.engine.begin() as conn:
        rows = {
            i: conn.execute(
                text(f"SELECT {', '.join(cols)} FROM audit_events WHERE id = :i"), {"i": i}
            )
            .one()
            ._asdict()
            for i in (a, b)
        }
        # hash is unique: park one row's hash first
        conn.execute(text("UPDATE audit_events SET hash = 'parked' WHERE id = :i"), {"i": a})
        sets = ", ".join(f"{c} = :{c}" for c in cols)
        conn.execute(text(f"UPDATE audit_events SET {sets} WHERE id = :i"), {**rows[a], "i": b})
        conn.execute(text(f"UPDATE audit_events SET {sets} WHERE id = :i"), {**rows[b], "i": a})
    found = problems(db)
    assert found and all("does not follow" in p or "first" in p for _, p in found)
    assert {i for i, _ in found} >= {a}


def test_an_inserted_event_is_detected(db: Database, events: list[int]) -> None:
    with db.write() as s:
        audit.record(s, actor="root", action="user.add", entity_type="user", entity_id="x")
    # a forged row outside bizops: counter not advanced
    tamper(
        db,
        "INSERT INTO audit_events (at, actor, action, entity_type, entity_id, prev_hash, hash) "
        "VALUES (:t, 'mallory', 'user.add', 'user', 'mallory', :p, :h)",
        t=datetime.now(UTC),
        p="0" * 64,
        h="f" * 64,
    )
    text_ = " ".join(p for _, p in problems(db))
    assert "inserted by hand" in text_


def test_record_returns_a_linked_event(db: Database) -> None:
    with db.write() as s:
        first = audit.record(
            s, actor="root", action="demo.a", entity_type="thing", entity_id=1, after={"n": "中文"}
        )
        second = audit.record(s, actor="root", action="demo.b", entity_type="thing", entity_id=1)
        assert first.prev_hash == audit.GENESIS
        assert second.prev_hash == first.hash and len(second.hash) == 64
    with db.read() as s:
        assert verify(s).ok


def test_log_filters(db: Database, events: list[int]) -> None:
    with db.write() as s:
        root = users.find_user(s, "root")
        users.update_user(s, actor=root, ref="alice", name="Alice Chen")
    with db.read() as s:
        everything = audit_log(s)
        assert [e["id"] for e in everything] == sorted([e["id"] for e in everything], reverse=True)
        assert len(everything) == 6
        assert [e["action"] for e in audit_log(s, entity="user:alice")] == [
            "user.update",
            "user.add",
        ]
        assert len(audit_log(s, entity="user")) == 6
        assert audit_log(s, entity="customer") == []
        assert {e["actor"] for e in audit_log(s, actor="ROOT")} == {"root"}
        assert audit_log(s, actor="alice") == []
        assert [e["action"] for e in audit_log(s, action="user.up")] == ["user.update"]
        assert len(audit_log(s, action="user.")) == 6
        assert len(audit_log(s, limit=2)) == 2
        assert len(audit_log(s, since=date(2000, 1, 1))) == 6
        assert audit_log(s, since=date(2999, 1, 1)) == []
        first = everything[0]
        assert set(first) >= {
            "id",
            "at",
            "actor",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
        }
        assert first["before"]["name"] == "名字 alice" and first["after"]["name"] == "Alice Chen"
        assert first["at"].endswith("+00:00")
