"""The keyed chain, anchors and deep verify: tamper evidence that holds against someone who
can write to the database but does not hold the key."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bizops.domain.errors import Invalid, StorageError
from bizops.domain.policy import Policy
from bizops.services.audit import (
    current_anchor,
    parse_anchor,
    read_anchors,
    verify,
)
from bizops.services.audit_replay import differences
from bizops.store import audit
from bizops.store.audit_key import key_path
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support import TODAY
from tests.support.factories import (
    add_customer,
    add_user,
    approved_contract,
    submitted_contract,
)


def tamper(db: Database, sql: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def problems(db: Database, **options: object) -> list[str]:
    with db.read() as s:
        result = verify(s, **options)  # type: ignore[arg-type]
    return [p.problem for p in result.problems] + [d.message for d in result.differences]


@pytest.fixture
def sqlite_db(tmp_path: Path, _sqlite_template: Path) -> Database:
    import shutil

    path = tmp_path / "keyed.db"
    shutil.copy(_sqlite_template, path)
    return Database(f"sqlite:///{path}")


def test_the_key_file_is_private_and_apart_from_the_database(sqlite_db: Database) -> None:
    add_user(sqlite_db, "alice", "sales")
    path = key_path()
    assert path.exists() and path.parent != sqlite_db.path.parent  # type: ignore[union-attr]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_outputs_may_not_overwrite_the_key(sqlite_db: Database) -> None:
    from bizops.cli.context import state

    assert key_path() in state().protected_files()


def test_a_chain_recomputed_without_the_key_fails(sqlite_db: Database) -> None:
    """Rewrite an event and recompute every hash after it as plain SHA-256 (the old chain)."""
    for login in ("alice", "bob"):
        add_user(sqlite_db, login, "sales")
    tamper(sqlite_db, "UPDATE audit_events SET after = '{}' WHERE id = 2")
    with sqlite_db.engine.begin() as conn:
        prev = audit.GENESIS
        for row in conn.execute(text("SELECT * FROM audit_events ORDER BY id")).mappings().all():
            fake = hashlib.sha256(f"{prev}{row['after']}".encode()).hexdigest()
            conn.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i"),
                {"p": prev, "h": fake, "i": row["id"]},
            )
            prev = fake
    found = problems(sqlite_db)
    assert found and all("was edited" in p for p in found)


def test_a_chain_recomputed_with_the_key_passes_but_the_anchor_does_not(
    sqlite_db: Database,
) -> None:
    """Whoever holds the key can rewrite the chain: an anchor kept elsewhere still shows it."""
    add_user(sqlite_db, "alice", "sales")
    with sqlite_db.read() as s:
        anchor = parse_anchor(current_anchor(s)["anchor"])
    key = bytes.fromhex(key_path().read_text().strip())
    tamper(sqlite_db, "UPDATE audit_events SET after = '{}' WHERE id = 2")
    with sqlite_db.write() as s:
        prev = audit.GENESIS
        for ev in s.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars().all():
            from bizops.store.models import AuditEvent

            event = s.get(AuditEvent, ev)
            assert event is not None
            event.prev_hash = prev
            event.hash = hmac.new(key, audit.keyed_message(event), hashlib.sha256).hexdigest()
            s.flush()
            prev = event.hash
    assert problems(sqlite_db) == []
    found = problems(sqlite_db, anchors=[anchor])
    assert len(found) == 1 and "history up to the anchor was changed" in found[0]


def test_anchors_hold_while_the_log_only_grows(sqlite_db: Database, tmp_path: Path) -> None:
    add_user(sqlite_db, "alice", "sales")
    with sqlite_db.read() as s:
        first = current_anchor(s)
    assert first["events"] == 2 and first["anchor"] == f"2:{first['hash']}"
    add_user(sqlite_db, "bob", "sales")
    with sqlite_db.read() as s:
        second = current_anchor(s)
    file = tmp_path / "anchors.txt"
    file.write_text(f"# kept by the manager\n{first['anchor']}\n\n{second['anchor']}\n")
    anchors = read_anchors(file)
    assert [a.count for a in anchors] == [2, 3]
    assert problems(sqlite_db, anchors=anchors) == []


def test_an_anchor_shows_events_removed_after_it(sqlite_db: Database) -> None:
    add_user(sqlite_db, "alice", "sales")
    with sqlite_db.read() as s:
        anchor = parse_anchor(current_anchor(s)["anchor"])
    tamper(sqlite_db, "DELETE FROM audit_events WHERE id = 2")
    tamper(sqlite_db, "UPDATE counters SET value = 1 WHERE name = 'audit.events'")
    found = problems(sqlite_db, anchors=[anchor])
    assert any("events were removed" in p for p in found)


def test_a_bad_anchor_is_invalid() -> None:
    with pytest.raises(Invalid, match="COUNT:HASH"):
        parse_anchor("12:nothex")


def test_a_missing_key_is_named_and_blocks_writes(sqlite_db: Database) -> None:
    add_user(sqlite_db, "alice", "sales")
    os.remove(key_path())
    assert any("audit key" in p and "missing" in p for p in problems(sqlite_db))
    with pytest.raises(StorageError, match="missing"):
        add_user(sqlite_db, "bob", "sales")


def test_moving_the_boundary_is_detected(sqlite_db: Database) -> None:
    add_user(sqlite_db, "alice", "sales")
    tamper(sqlite_db, "UPDATE audit_chain SET keyed_after = 100")
    assert any("boundary" in p for p in problems(sqlite_db))


def test_an_upgraded_database_keeps_its_plain_history(tmp_path: Path) -> None:
    """Events written before the chain was keyed still verify; later ones are keyed."""
    from tests.support.databases import upgrade_to

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_to(db, "0005_customer_pinyin")
    with db.engine.begin() as conn:
        at = "2026-01-01 00:00:00.000000"
        digest = audit.event_hash(
            prev_hash=audit.GENESIS,
            at=__import__("datetime").datetime(2026, 1, 1),
            actor="root",
            action="user.init",
            entity_type="user",
            entity_id="root",
            before=None,
            after=None,
        )
        conn.execute(
            text(
                "INSERT INTO audit_events (at, actor, action, entity_type, entity_id, "
                "prev_hash, hash) VALUES (:at, 'root', 'user.init', 'user', 'root', :p, :h)"
            ),
            {"at": at, "p": audit.GENESIS, "h": digest},
        )
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('audit.events', 1)"))
    from bizops.store.migrate import upgrade

    upgrade(db, backup=False)
    with db.write() as s:
        audit.record(s, actor="root", action="demo.a", entity_type="thing", entity_id=1)
    with db.read() as s:
        result = verify(s)
        boundary = s.execute(text("SELECT keyed_after FROM audit_chain")).scalar_one()
    assert result.ok and result.events == 2 and boundary == 1
    db.dispose()


# --- deep verify: every kind of difference, on both backends ------------------------------


def approvers(team: dict[str, User]) -> dict[str, User]:
    return {"manager": team["mia"], "finance": team["fay"], "legal": team["leo"], "gm": team["gus"]}


def named(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as s:
        return [(d.table, d.key, d.field) for d in differences(s)]


def test_a_clean_database_has_no_differences(
    db: Database, team: dict[str, User], policy: Policy
) -> None:
    customer = add_customer(db, name="华东机械", owner=team["alice"], policy=policy, today=TODAY)
    approved_contract(
        db,
        actor=team["alice"],
        customer=customer,
        approvers=approvers(team),
        policy=policy,
        today=TODAY,
    )
    assert named(db) == []


def test_an_import_whose_codes_gain_a_digit_is_recorded(
    db: Database, team: dict[str, User], policy: Policy, tmp_path: Path
) -> None:
    """An import numbered C9999..C10001 records all three customers: codes compare by
    their number, not as text of one length."""
    from bizops.services import customers

    with db.write() as s:
        s.execute(text("INSERT INTO counters (name, value) VALUES ('customer', 9998)"))
    path = tmp_path / "three.csv"
    path.write_text("name,grade,owner\nOne Co,B,alice\nTwo Co,B,alice\nThree Co,B,alice\n")
    with db.write() as s:
        result = customers.import_customers(
            s, actor=team["alice"], path=path, policy=policy, today=TODAY
        )
    assert (result.first_code, result.last_code) == ("C9999", "C10001")
    assert named(db) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE users SET roles = 'admin' WHERE login = 'alice'", ("users", "alice", "roles")),
        ("UPDATE users SET approval_limit = 1 WHERE login = 'mia'", ("users", "mia", "limit")),
        ("UPDATE users SET active = false WHERE login = 'bob'", ("users", "bob", "active")),
        (
            "UPDATE customers SET owner_id = (SELECT id FROM users WHERE login = 'bob')",
            ("customers", "C0001", "owner"),
        ),
        ("UPDATE customers SET grade = 'A'", ("customers", "C0001", "grade")),
        ("UPDATE customers SET stage = 'won'", ("customers", "C0001", "stage")),
    ],
)
def test_each_edited_field_is_named(
    db: Database,
    team: dict[str, User],
    policy: Policy,
    sql: str,
    expected: tuple[str, str, str],
) -> None:
    add_customer(db, name="华东机械", owner=team["alice"], policy=policy, today=TODAY, grade="B")
    tamper(db, sql)
    assert expected in named(db)


def test_contract_and_approval_edits_are_named(
    db: Database, team: dict[str, User], policy: Policy
) -> None:
    customer = add_customer(db, name="华东机械", owner=team["alice"], policy=policy, today=TODAY)
    number, request = submitted_contract(
        db, actor=team["alice"], customer=customer, policy=policy, today=TODAY
    )
    # amounts are stored as cents: 100 is 1.00
    tamper(db, "UPDATE contracts SET amount = 100, currency = 'USD', status = 'approved'")
    tamper(db, "UPDATE contracts SET \"end\" = '2099-01-01', owner_id = :o", o=team["bob"].id)
    tamper(db, "UPDATE approval_requests SET status = 'approved', current_step = 9")
    tamper(db, "UPDATE approval_steps SET status = 'approved', decided_by = 'alice'")
    found = named(db)
    for field in ("amount", "currency", "status", "end", "owner_id"):
        assert ("contracts", number, field) in found
    assert ("approval_requests", str(request), "status") in found
    assert ("approval_requests", str(request), "current_step") in found
    assert ("approval_steps", f"{request}/1", "decided_by") in found
    assert ("approval_steps", f"{request}/1", "status") in found
    with db.read() as s:
        message = next(d for d in differences(s) if d.field == "amount").message
    assert message == f'contracts {number}: amount is "1.00", the log implies "120000.00"'


def test_rows_added_or_removed_by_hand_are_named(
    db: Database, team: dict[str, User], policy: Policy
) -> None:
    add_customer(db, name="华东机械", owner=team["alice"], policy=policy, today=TODAY)
    tamper(
        db,
        "INSERT INTO users (login, name, roles, active, created_at) "
        "VALUES ('mallory', 'M', 'admin', true, CURRENT_TIMESTAMP)",
    )
    tamper(db, "DELETE FROM followups")
    tamper(db, "DELETE FROM stage_changes")
    tamper(db, "DELETE FROM customers")
    found = named(db)
    assert ("users", "mallory", "(row)") in found
    assert ("customers", "C0001", "(row)") in found


def test_milestone_edits_are_named(db: Database, team: dict[str, User], policy: Policy) -> None:
    from bizops.services.contracts import add_milestone

    customer = add_customer(db, name="华东机械", owner=team["alice"], policy=policy, today=TODAY)
    number = approved_contract(
        db,
        actor=team["alice"],
        customer=customer,
        approvers=approvers(team),
        policy=policy,
        today=TODAY,
    )
    with db.write() as s:
        row = add_milestone(
            s,
            actor=team["alice"],
            ref=number,
            kind="payment",
            due="2026-12-31",
            amount="1000",
            today=TODAY,
        )
    tamper(db, "UPDATE milestones SET amount = 1, due = '2030-01-01'")
    found = named(db)
    assert ("milestones", str(row["id"]), "amount") in found
    assert ("milestones", str(row["id"]), "due") in found
