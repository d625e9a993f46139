"""Backups and restores, and the archived attachment copies that go with them.

A backup never replaces what it must not: its target is checked like every output
(never the database or its side files, never a directory or a device). A SQLite backup
takes the attachment copies along, beside it in ``<backup>.attachments/`` under the same
names (their SHA-256, which the backup's ``attachments`` rows also hold).

A restore is an admin's act. Before anything is replaced it refuses what is not a sound
bizops backup (not SQLite, corrupt, without bizops tables, from a newer schema); then it
keeps a safety copy of the database it replaces (``<db>.before-restore-<time>``), copies
the backup in, puts back the attachment copies and records ``db.restore`` in the restored
database.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.errors import Conflict, Invalid, NotPermitted, StorageError
from bizops.domain.roles import ADMIN
from bizops.i18n import _
from bizops.store import audit
from bizops.store.engine import Database
from bizops.store.files import check_target
from bizops.store.revisions import HEAD, REVISIONS

SQLITE_HEADER = b"SQLite format 3\x00"
ATTACHMENTS_SUFFIX = ".attachments"
CHUNK = 1024 * 1024


def attachment_root(database: Path) -> Path:
    """Where the copies of a SQLite database's attachments live (see contracts.attachments)."""
    return database.resolve().parent / "attachments"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_copies(database: Path) -> list[tuple[str, str, str]]:
    """(file name, sha256, stored path) of every attachment kept as a file."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT filename, sha256, stored_path FROM attachments WHERE stored_path IS NOT NULL"
        ).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        conn.close()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def attachment_problems(session: Session) -> list[str]:
    """Each archived copy that is missing or no longer has its recorded hash."""
    from bizops.services.contracts.attachments import storage_dir
    from bizops.store.models import Attachment

    root = storage_dir(session)
    if root is None:
        return []
    a = Attachment.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(a.filename, a.sha256, a.stored_path).where(a.stored_path.is_not(None))
    ).all()
    problems = []
    for name, expected, stored in rows:
        path = root / stored
        if not path.is_file():
            problems.append(
                _("{name}: the copy {path} is missing (sha256 {expected})").format(
                    name=name, path=path, expected=expected
                )
            )
            continue
        actual = sha256_of(path)
        if actual != expected:
            problems.append(
                _("{name}: the copy {path} was altered (expected sha256 {expected}, "
                  "found {actual})").format(
                    name=name, path=path, expected=expected, actual=actual
                )
            )  # fmt: skip
    return problems


# --------------------------------------------------------------------------- backup


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup into ``target`` (through a temporary name)."""
    tmp = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst, pages=1024)
        finally:
            dst.close()
            src.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(_("backup failed: {error}").format(error=exc)) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise Invalid(
            _("cannot write {path}: {error}").format(path=target, error=exc.strerror)
        ) from None


def _copy_attachments(database: Path, backup_file: Path) -> int:
    """The archived copies the backup's rows name, beside the backup; returns how many."""
    copies = _stored_copies(backup_file)
    if not copies:
        return 0
    root, into = attachment_root(database), Path(str(backup_file) + ATTACHMENTS_SUFFIX)
    count = 0
    for name, sha, stored in copies:
        source = root / stored
        if not source.is_file() or sha256_of(source) != sha:
            raise StorageError(
                _(
                    "attachment {name}: the copy {path} is missing or altered; "
                    "`bizops db check` lists the copies to repair"
                ).format(name=name, path=source)
            )
        target = into / stored
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        count += 1
    return count


def backup(db: Database, target: Path, *, force: bool = False) -> dict[str, Any]:
    """A consistent copy while others keep writing: SQLite's online backup (with the
    attachment copies beside it), or pg_dump."""
    target = check_target(
        target, protected=[db.path] if db.path is not None else [], option=_("backup file")
    )
    if target.exists() and not force:
        raise Conflict(
            _("backup file {path} exists; pass --force to overwrite it").format(path=target)
        )
    if db.is_sqlite:
        # An empty file is what opening a new path leaves: nothing to back up.
        if db.path is None or not db.path.exists() or db.path.stat().st_size == 0:
            raise StorageError(_("there is no database file to back up"))
        _copy_sqlite(db.path, target)
        copies = _copy_attachments(db.path, target)
        return {
            "backend": "sqlite",
            "file": str(target),
            "size_bytes": target.stat().st_size,
            "attachments": copies,
        }
    return _pg_dump(db, target)


def _pg_dump(db: Database, target: Path) -> dict[str, Any]:
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise StorageError(
            _("backing up PostgreSQL needs pg_dump on the PATH (package postgresql-client)")
        )
    from sqlalchemy.engine import make_url

    url = make_url(db.url).set(drivername="postgresql")
    proc = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(target), url.render_as_string(False)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        error = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode
        raise StorageError(_("pg_dump failed: {error}").format(error=error))
    return {"backend": "postgresql", "file": str(target), "size_bytes": target.stat().st_size}


# --------------------------------------------------------------------------- restore


def _not_a_backup(source: Path, why: object) -> Invalid:
    return Invalid(_("{path} is not a bizops backup: {error}").format(path=source, error=why))


def probe_backup(source: Path) -> str:
    """The schema revision of a sound bizops backup; anything else is refused."""
    try:
        with open(source, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise Invalid(
            _("cannot read {path}: {error}").format(path=source, error=exc.strerror)
        ) from None
    if header != SQLITE_HEADER:
        raise _not_a_backup(source, _("it is not a SQLite database"))
    try:
        probe = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = probe.execute("PRAGMA integrity_check").fetchone()[0]
            version = probe.execute("SELECT version_num FROM alembic_version").fetchone()
            probe.execute("SELECT login, roles FROM users LIMIT 1").fetchall()
            probe.execute("SELECT hash FROM audit_events LIMIT 1").fetchall()
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise _not_a_backup(source, exc) from None
    if ok != "ok" or not version:
        raise Invalid(
            _("{path} is not a sound bizops backup (integrity: {result})").format(
                path=source, result=ok
            )
        )
    revision = str(version[0])
    if revision not in REVISIONS:
        raise Invalid(
            _(
                "{path} is a backup of a newer bizops (schema {revision}; this bizops knows "
                "up to {head}); upgrade bizops before restoring it"
            ).format(path=source, revision=revision, head=HEAD)
        )
    return revision


def _is_admin_in(database: Path, login: str) -> bool:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT roles, active FROM users WHERE login = ?", (login.lower(),)
        ).fetchone()
    finally:
        conn.close()
    return bool(row) and ADMIN in str(row[0]).split(",") and bool(row[1])


def _require_admin(db: Database, source: Path, as_user: str | None) -> str:
    """The acting admin's login: an admin of the database replaced, or, when that cannot be
    read (there is none yet, or it is broken), of the backup."""
    from bizops.services.users import os_login

    assert db.path is not None
    login = (as_user or os_login() or "").strip()
    where = source
    try:
        if db.path.exists() and db.path.stat().st_size > 0:
            where = db.path
            allowed = _is_admin_in(db.path, login)
        else:
            allowed = _is_admin_in(source, login)
    except sqlite3.Error:
        where = source
        allowed = _is_admin_in(source, login)
    if not allowed:
        raise NotPermitted(
            _("only an admin may restore a database; {login} is not an admin in {path}").format(
                login=login or "?", path=where
            )
        )
    return login.lower()


def _safety_copy(database: Path, now: datetime) -> Path | None:
    if not database.exists() or database.stat().st_size == 0:
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    _copy_sqlite(database, kept)
    return kept


def _put_back_attachments(database: Path, source: Path) -> int:
    """Copies the restored rows name that are missing or altered here, from beside the
    backup (each checked against its hash first)."""
    root, beside = attachment_root(database), Path(str(source) + ATTACHMENTS_SUFFIX)
    count = 0
    for _name, sha, stored in _stored_copies(database):
        here = root / stored
        if here.is_file() and sha256_of(here) == sha:
            continue
        kept = beside / stored
        if not kept.is_file() or sha256_of(kept) != sha:
            continue  # `db check` reports it
        here.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, here)
        count += 1
    return count


def restore(
    db: Database,
    source: Path,
    *,
    force: bool = False,
    as_user: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Replace a SQLite database with a backup, after checking the backup is sound and the
    actor is an admin; the database replaced is kept as a safety copy."""
    if not db.is_sqlite or db.path is None:
        raise Invalid(
            _("restore works on SQLite files; for PostgreSQL use pg_restore (see docs/backup.md)")
        )
    source = source.expanduser()
    if not source.exists():
        raise Invalid(_("backup file {path} does not exist").format(path=source))
    if not source.is_file():
        raise Invalid(_("{path} is not a regular file").format(path=source))
    if source.resolve() == db.path.resolve():
        raise Invalid(_("{path} is the database itself; give a backup file").format(path=source))
    revision = probe_backup(source)
    # An empty file is what opening a new path leaves (0600, nothing in it): no database.
    if db.path.exists() and db.path.stat().st_size > 0 and not force:
        raise Conflict(
            _("{path} exists; pass --force to replace it with {backup}").format(
                path=db.path, backup=source
            )
        )
    login = _require_admin(db, source, as_user)
    moment = now or datetime.now(UTC)
    kept = _safety_copy(db.path, moment)
    db.dispose()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(db.path, timeout=60)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    copies = _put_back_attachments(db.path, source)
    _record_restore(db, login, source, kept, moment)
    return {
        "file": str(db.path),
        "from": str(source),
        "schema": revision,
        "safety_copy": str(kept) if kept else None,
        "attachments": copies,
    }


def _record_restore(
    db: Database, login: str, source: Path, kept: Path | None, now: datetime
) -> None:
    from bizops.store.migrate import ensure_schema

    db.dispose()
    ensure_schema(db)
    with db.write() as session:
        audit.record(
            session,
            actor=login,
            action="db.restore",
            entity_type="database",
            entity_id=db.path.name if db.path else "",
            after={"source": str(source), "safety_copy": str(kept) if kept else None},
            now=now,
        )
    db.dispose()
