"""Database operations: info, check, backup and restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bizops.domain.errors import Conflict, Invalid, StorageError
from bizops.services import dbops, users
from bizops.services.audit import verify
from bizops.store.engine import Database
from bizops.store.revisions import HEAD
from tests.support.factories import add_customer, add_user


def test_info(db: Database) -> None:
    add_user(db, "alice", "sales")
    data = dbops.info(db)
    assert data["schema"] == HEAD and data["schema_head"] == HEAD and data["up_to_date"]
    assert data["rows"]["users"] == 2 and data["rows"]["audit_events"] == 2
    assert "password" not in data["url"] and ":bizops@" not in data["url"]
    if db.is_sqlite:
        assert data["backend"] == "sqlite" and data["journal_mode"] == "wal"
        assert data["size_bytes"] > 0 and data["path"] == str(db.path)
    else:
        assert data["backend"] == "postgresql" and "***" in data["url"]


def test_check_ok_and_problems(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(db, "alice", "sales")
    result = dbops.check(db)
    assert result.ok, result.problems
    assert "audit chain" in result.checked and "schema revision" in result.checked
    if db.is_sqlite:
        assert {"integrity", "foreign keys"} <= set(result.checked)

    def every_user_has_an_email(session) -> list[str]:  # type: ignore[no-untyped-def]
        """users have emails"""
        rows = session.execute(text("SELECT login FROM users WHERE email IS NULL")).all()
        return [f"user {r[0]} has no email" for r in rows]

    monkeypatch.setattr(dbops, "CHECKS", [every_user_has_an_email])
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'x' WHERE id = 2"))
    result = dbops.check(db)
    assert "users have emails" in result.checked
    assert "user root has no email" in result.problems
    assert any(p.startswith("audit: event 2 ") for p in result.problems)


def test_check_finds_a_broken_foreign_key(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL enforces foreign keys; they cannot be broken")
    add_user(db, "alice", "sales")
    raw = sqlite3.connect(db.path)  # type: ignore[arg-type]
    raw.execute(
        "INSERT INTO customers (code, name, name_key, grade, stage, owner_id, stage_since, "
        "created_on, created_at) VALUES ('C9', 'x', 'x', 'A', 'prospect', 999, '2026-01-01', "
        "'2026-01-01', '2026-01-01 00:00:00')"
    )
    raw.commit()
    raw.close()
    result = dbops.check(db)
    assert any("customers" in p and "users" in p for p in result.problems)


def test_backup_and_restore_round_trip(db: Database, tmp_path: Path) -> None:
    if not db.is_sqlite:
        pytest.skip("restore is for SQLite; PostgreSQL uses pg_restore")
    add_user(db, "alice", "sales", name="陈爱丽")
    target = tmp_path / "backup.db"
    result = dbops.backup(db, target)
    assert result["file"] == str(target) and target.stat().st_size == result["size_bytes"]
    assert not target.with_name("backup.db.partial").exists()
    with pytest.raises(Conflict, match="exists; pass --force"):
        dbops.backup(db, target)
    dbops.backup(db, target, force=True)

    with db.write() as s:
        users.deactivate_user(s, actor=users.find_user(s, "root"), ref="alice")
        users.add_user(s, actor=users.find_user(s, "root"), login="zed", roles=["sales"])

    with pytest.raises(Conflict, match="pass --force"):
        dbops.restore(db, target)
    restored = dbops.restore(db, target, force=True)
    assert restored["schema"] == HEAD
    again = Database(f"sqlite:///{db.path}")
    with again.read() as s:
        views = {u.login: u for u in users.list_users(s)}
        assert set(views) == {"root", "alice"} and views["alice"].active
        assert views["alice"].name == "陈爱丽"
        assert verify(s).ok
    again.dispose()


def test_restore_refuses_what_is_not_a_backup(db: Database, tmp_path: Path) -> None:
    if not db.is_sqlite:
        with pytest.raises(Invalid, match="pg_restore"):
            dbops.restore(db, tmp_path / "x.dump")
        return
    add_user(db, "alice", "sales")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(Invalid, match="not a bizops backup"):
        dbops.restore(db, junk, force=True)
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(Invalid, match="not a bizops backup"):
        dbops.restore(db, plain, force=True)
    with pytest.raises(Invalid, match="does not exist"):
        dbops.restore(db, tmp_path / "missing.db", force=True)
    with db.read() as s:
        assert users.count_users(s) == 2  # the database was left as it was
    assert dbops.check(db).ok


def test_backup_refuses_a_missing_directory(db: Database, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="does not exist"):
        dbops.backup(db, tmp_path / "no" / "such" / "dir" / "b.db")


def test_postgresql_backup_with_pg_dump(db: Database, tmp_path: Path) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL only")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    add_user(db, "alice", "sales")
    result = dbops.backup(db, tmp_path / "team.dump")
    assert result["backend"] == "postgresql" and result["size_bytes"] > 0
    listing = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "team.dump")], capture_output=True, text=True
    )
    assert listing.returncode == 0 and "audit_events" in listing.stdout


WRITER = """
import sys
from bizops.store.engine import Database
from bizops.services import users
db = Database(sys.argv[1])
for i in range(int(sys.argv[2])):
    with db.write() as s:
        users.add_user(s, actor=users.find_user(s, "root"), login=f"w{i}", roles=["sales"])
print("done")
"""


@pytest.mark.slow
def test_backup_while_another_process_writes(db: Database, tmp_path: Path) -> None:
    if not db.is_sqlite:
        pytest.skip("the online backup is SQLite's; pg_dump is consistent by design")
    add_user(db, "root")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db.url, "150"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        deadline = time.monotonic() + 60
        while writer.poll() is None and time.monotonic() < deadline and len(copies) < 20:
            target = tmp_path / f"copy{len(copies)}.db"
            dbops.backup(db, target)
            copies.append(target)
    finally:
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert len(copies) >= 2, "the writer finished before a backup could overlap it"
    copies.append(tmp_path / "final.db")
    dbops.backup(db, copies[-1])
    counts = []
    for copy in copies:
        backup_db = Database(f"sqlite:///{copy}")
        with backup_db.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            result = verify(s)
            assert result.ok, (copy, result.problems)
            counts.append(users.count_users(s))
            assert result.events == counts[-1]  # one event per user, none half-written
        backup_db.dispose()
    assert counts == sorted(counts) and counts[-1] == 151


def test_backup_of_a_missing_file(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'never.db'}")
    with pytest.raises(StorageError, match="no database file"):
        dbops.backup(db, tmp_path / "b.db")


def test_check_finds_broken_product_rules(db: Database, policy, today) -> None:  # type: ignore[no-untyped-def]
    owner = add_user(db, "alice", "sales")
    ok = add_customer(db, name="华信科技有限公司", owner=owner, policy=policy, today=today)
    lost = add_customer(db, name="Acme Ltd.", owner=owner, policy=policy, today=today)
    assert dbops.check(db).ok
    with db.engine.begin() as conn:
        # Behind the services' back: a lost customer keeps its follow-up, an active one loses it.
        conn.execute(text("UPDATE customers SET stage = 'lost' WHERE id = :i"), {"i": lost["id"]})
        conn.execute(
            text("UPDATE followups SET status = 'done' WHERE customer_id = :i"), {"i": ok["id"]}
        )
    problems = dbops.check(db).problems
    assert "one open follow-up per active customer" in dbops.check(db).checked
    assert (
        f"follow-ups: customer {ok['code']} is active with 0 open follow-ups (should be 1)"
        in problems
    )
    assert f"follow-ups: customer {lost['code']} is lost but has 1 open follow-up(s)" in problems
