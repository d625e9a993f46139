"""`db restore` is an admin's act: refused for others and for unsound backups before anything
is replaced; the database replaced is kept; the restore is audited; attachment copies travel
with the backup and `db check` notices a missing or altered one."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bizops.domain.errors import Invalid, NotPermitted
from bizops.services import dbops, users
from bizops.services.audit import verify
from bizops.services.contracts import attachments
from bizops.store.engine import Database
from bizops.store.models import AuditEvent
from bizops.store.revisions import HEAD
from tests.support.factories import add_customer, add_user, new_contract

MOMENT = datetime(2026, 12, 1, 9, 30, 15, tzinfo=UTC)


@pytest.fixture
def sqlite_db(db: Database) -> Database:
    if not db.is_sqlite:
        pytest.skip("restore is for SQLite; PostgreSQL uses pg_restore")
    return db


def _logins(db: Database) -> set[str]:
    again = Database(db.url)
    with again.read() as s:
        found = {u.login for u in users.list_users(s)}
    again.dispose()
    return found


def test_only_an_admin_restores(sqlite_db: Database, tmp_path: Path) -> None:
    add_user(sqlite_db, "alice", "sales")
    backup = tmp_path / "b" / "backup.db"
    backup.parent.mkdir()
    dbops.backup(sqlite_db, backup)
    add_user(sqlite_db, "bob", "sales")
    with pytest.raises(NotPermitted, match="only an admin may restore"):
        dbops.restore(sqlite_db, backup, force=True, as_user="alice")
    assert _logins(sqlite_db) == {"root", "alice", "bob"}
    assert not list(sqlite_db.path.parent.glob("*.before-restore-*"))  # type: ignore[union-attr]


def test_restore_keeps_a_safety_copy_and_is_audited(sqlite_db: Database, tmp_path: Path) -> None:
    add_user(sqlite_db, "alice", "sales")
    backup = tmp_path / "b" / "backup.db"
    backup.parent.mkdir()
    dbops.backup(sqlite_db, backup)
    add_user(sqlite_db, "bob", "sales")
    result = dbops.restore(sqlite_db, backup, force=True, as_user="root", now=MOMENT)
    assert sqlite_db.path is not None
    kept = sqlite_db.path.with_name(f"{sqlite_db.path.name}.before-restore-20261201T093015")
    assert result["safety_copy"] == str(kept) and kept.exists()
    assert _logins(Database(f"sqlite:///{kept}")) == {"root", "alice", "bob"}
    assert _logins(sqlite_db) == {"root", "alice"}
    again = Database(sqlite_db.url)
    with again.read() as s:
        event = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()  # type: ignore[attr-defined]
        assert (event.action, event.actor) == ("db.restore", "root")
        assert str(backup) in event.after and str(kept) in event.after
        assert verify(s).ok
    again.dispose()


def test_a_backup_from_a_newer_schema_is_refused(sqlite_db: Database, tmp_path: Path) -> None:
    backup = tmp_path / "b" / "future.db"
    backup.parent.mkdir()
    dbops.backup(sqlite_db, backup)
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    add_user(sqlite_db, "alice", "sales")
    with pytest.raises(Invalid) as refused:
        dbops.restore(sqlite_db, backup, force=True)
    assert "0099_from_the_future" in refused.value.message and HEAD in refused.value.message
    assert _logins(sqlite_db) == {"root", "alice"}


def test_a_corrupt_backup_is_refused(sqlite_db: Database, tmp_path: Path) -> None:
    backup = tmp_path / "b" / "broken.db"
    backup.parent.mkdir()
    dbops.backup(sqlite_db, backup)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    backup.write_bytes(bytes(data))
    with pytest.raises(Invalid, match="not a (sound )?bizops backup"):
        dbops.restore(sqlite_db, backup, force=True)
    assert dbops.check(sqlite_db).ok


def test_attachment_copies_travel_with_the_backup(  # type: ignore[no-untyped-def]
    sqlite_db: Database, team, policy, today, tmp_path: Path
) -> None:
    acme = add_customer(
        sqlite_db, name="上海华东机电有限公司", owner=team["alice"], policy=policy, today=today
    )
    number = new_contract(
        sqlite_db, actor=team["alice"], customer=acme, policy=policy, today=today
    )["number"]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF signed scan")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    with sqlite_db.write() as s:
        attachments.attach_file(s, actor=team["alice"], ref=number, path=scan, today=today)
    backup = tmp_path / "b" / "backup.db"
    backup.parent.mkdir()
    result = dbops.backup(sqlite_db, backup)
    assert result["attachments"] == 1
    beside = Path(f"{backup}.attachments") / sha[:2] / sha
    assert beside.read_bytes() == scan.read_bytes()

    assert sqlite_db.path is not None
    copy = sqlite_db.path.parent / "attachments" / sha[:2] / sha
    copy.write_bytes(b"tampered")
    altered = hashlib.sha256(b"tampered").hexdigest()
    problems = dbops.check(sqlite_db).problems
    assert any(
        "scan.pdf" in p and "altered" in p and sha in p and altered in p for p in problems
    ), problems
    copy.unlink()
    problems = dbops.check(sqlite_db).problems
    assert any("scan.pdf" in p and "missing" in p and sha in p for p in problems), problems

    restored = dbops.restore(sqlite_db, backup, force=True)
    assert restored["attachments"] == 1 and copy.read_bytes() == scan.read_bytes()
    assert dbops.check(Database(sqlite_db.url)).ok
    shutil.rmtree(Path(f"{backup}.attachments"))
