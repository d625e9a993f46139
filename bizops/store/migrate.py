"""Bring a database to the package's schema: create, upgrade, or refuse a newer one.

Alembic is imported only when a migration actually runs; the check itself is one query.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bizops.domain.errors import StorageError
from bizops.i18n import _
from bizops.store.engine import Database, translate_errors
from bizops.store.revisions import HEAD, REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATE_LOCK_KEY = 0x6B1206


@dataclass(frozen=True)
class SchemaState:
    revision: str | None
    head: str = HEAD

    @property
    def is_current(self) -> bool:
        return self.revision == self.head

    @property
    def is_newer(self) -> bool:
        return self.revision is not None and self.revision not in REVISIONS


def stored_revision(conn: Connection) -> str | None:
    try:
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except Exception:
        conn.rollback()
        if inspect(conn).get_table_names():
            raise StorageError(
                _(
                    "this database has tables but no bizops schema version; it is not a bizops "
                    "database (or was damaged)"
                )
            ) from None
        return None
    return row[0] if row else None


def schema_state(db: Database) -> SchemaState:
    with translate_errors(db), db.engine.connect() as conn:
        return SchemaState(stored_revision(conn))


def refuse_newer(db: Database, state: SchemaState) -> None:
    if state.is_newer:
        raise StorageError(
            _(
                "database {path} has schema revision {revision}, newer than this bizops knows "
                "({head}); upgrade bizops (pip install -U bizops)"
            ).format(path=db.path or db.display_url, revision=repr(state.revision), head=HEAD)
        )


@contextmanager
def _migration_lock(db: Database) -> Iterator[Connection | None]:
    """Only one process migrates; the others wait, then find the work done."""
    if db.is_sqlite:
        if db.path is None:
            yield None
            return
        import fcntl

        lock_path = db.path.with_name(db.path.name + ".migrate-lock")
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield None
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with db.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
        conn.commit()
        try:
            yield conn
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATE_LOCK_KEY})
            conn.commit()


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.attributes["connection"] = connection
    return cfg


def refuse_member(db: Database, state: SchemaState) -> None:
    """Team mode: a member's login cannot change the schema; the DBA upgrades it."""
    if db.is_sqlite:
        return
    from bizops.store.pgroles import current_login, roles_exist

    with db.engine.connect() as conn:
        if not roles_exist(conn) or current_login(conn).privileged:
            return
        login = current_login(conn).name
    raise StorageError(
        _(
            "database {path} has schema revision {revision} and this bizops needs {head}; "
            "database login {login} may not change the schema: ask the DBA to run "
            "`bizops db upgrade` (as the owner role or a superuser)"
        ).format(path=db.display_url, revision=state.revision or _("empty"), head=HEAD, login=login)
    )


def _reapply_privileges(db: Database) -> None:
    """New tables get the members' grants and policies as soon as they exist."""
    if db.is_sqlite:
        return
    from bizops.store.pgroles import apply_privileges, roles_exist

    with db.engine.begin() as conn:
        if roles_exist(conn):
            apply_privileges(conn)


def _upgrade_sqlite(db: Database, target: str) -> None:
    """SQLite changes a column by rebuilding its table, which a table that others point at
    cannot survive with foreign keys enforced: they are off while the revisions run (SQLite
    ignores the switch inside a transaction), and every reference is checked afterwards."""
    from alembic import command

    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), target)
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    if broken:
        raise StorageError(
            _(
                "the upgrade left {count} row(s) pointing at missing rows, first in table {table}"
            ).format(count=len(broken), table=broken[0][0])
        )


def upgrade(db: Database, *, target: str = "head", backup: bool = True) -> tuple[str | None, str]:
    """Upgrade to ``target``; returns (from, to). A SQLite file with data is copied first."""
    with translate_errors(db), _migration_lock(db):
        state = schema_state(db)
        refuse_newer(db, state)
        if state.revision == (HEAD if target == "head" else target):
            return state.revision, state.revision or HEAD
        refuse_member(db, state)
        if backup and state.revision is not None and db.path is not None and db.path.exists():
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy2(db.path, db.path.with_name(f"{db.path.name}.before-{HEAD}.bak"))
        from alembic import command

        if db.is_sqlite:
            _upgrade_sqlite(db, target)
        else:
            with db.engine.begin() as conn:
                command.upgrade(alembic_config(conn), target)
        _reapply_privileges(db)
        return state.revision, schema_state(db).revision or HEAD


def ensure_schema(db: Database) -> None:
    """Called on first use: a new database is created, an older one upgraded, a newer refused."""
    state = schema_state(db)
    if state.is_current:
        return
    refuse_newer(db, state)
    upgrade(db)
