"""One engine factory for SQLite paths, ``sqlite:///`` URLs and PostgreSQL URLs.

SQLite runs in WAL mode with foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for
writes, so that cron and several people at once queue for the write lock instead of failing
with "database is locked". On PostgreSQL every write first takes one transaction-scoped
advisory lock, which gives the same one-writer-at-a-time order to counters and the audit chain.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.orm import Session as _OrmSession

from bizops.domain.errors import Invalid, NotPermitted, StorageError
from bizops.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session


def _session(bind: Any) -> Session:
    """A plain SQLAlchemy session, typed as SQLModel's for the services.

    SQLModel's Session adds only ``exec``, which bizops does not use; importing sqlmodel (and
    pydantic) costs a tenth of a second that commands reading through Core should not pay.
    """
    return cast("Session", _OrmSession(bind=bind, expire_on_commit=False))


BUSY_TIMEOUT_S = 60
WRITE_LOCK_KEY = 0x6B1205  # pg_advisory_xact_lock key shared by every bizops write


def default_data_dir() -> Path:
    """``BIZOPS_HOME`` if set, else the platform's user data directory."""
    home = os.environ.get("BIZOPS_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("bizops", appauthor=False))


def resolve_url(value: str | None) -> str:
    """A database URL from ``--db`` / ``BIZOPS_DB``: a path, ``sqlite:///...`` or PostgreSQL."""
    if not value:
        return f"sqlite:///{default_data_dir() / 'bizops.db'}"
    value = value.strip()
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if value.startswith(("postgresql+psycopg://", "sqlite://")):
        return value
    if "://" in value:
        raise Invalid(
            _(
                "--db: unsupported database URL {url}; use a file path, sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST/DB"
            ).format(url=repr(value))
        )
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: URL | str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


class Database:
    """The engine plus read and write units of work. Create one per command or test."""

    def __init__(self, url: str) -> None:
        self.url = resolve_url(url) if "://" not in url else url
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path = sqlite_path(parsed)
        self.engine = self._make_engine(parsed)

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The URL without its password."""
        return make_url(self.url).render_as_string(hide_password=True)

    def _make_engine(self, url: URL) -> Engine:
        if not self.is_sqlite:
            try:
                return create_engine(url, pool_pre_ping=False, future=True)
            except ModuleNotFoundError as exc:
                raise Invalid(
                    _(
                        "{url}: the database driver {module} is not installed; for PostgreSQL "
                        "install bizops with its postgres extra: pip install 'bizops[postgres]'"
                    ).format(url=self.display_url, module=exc.name)
                ) from None
        if self.path is not None:
            if not self.path.parent.exists():
                raise StorageError(
                    _("cannot open database {path}: directory {folder} does not exist").format(
                        path=self.path, folder=self.path.parent
                    )
                )
            if self.path.is_dir():
                raise StorageError(
                    _("cannot open database {path}: it is a directory").format(path=self.path)
                )
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, future=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event below decide how each transaction starts.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            cur.execute("PRAGMA foreign_keys = ON")
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            write = conn.get_execution_options().get("bizops_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        bind = self.engine.execution_options(bizops_write=True)
        with translate_errors(self), _session(bind) as session:
            if not self.is_sqlite:
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self), _session(self.engine) as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Database failures become one readable line instead of a driver traceback."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":
            # PostgreSQL refused a member's login: a grant or a row-level policy says no.
            raise NotPermitted(
                _("the database refused: {error}").format(
                    error=str(exc.orig).strip().splitlines()[0]
                )
            ) from exc
        if isinstance(exc, IntegrityError | ProgrammingError | DataError):
            # Integrity and programming errors are bugs or races the services did not foresee.
            orig = exc.orig
            if orig is not None and "locked" not in str(orig).lower():
                raise
        # Operational errors, and the plain DatabaseError SQLite raises for a corrupt file
        # ("file is not a database"), become one readable line.
        raise StorageError(describe_db_error(db, exc)) from exc


def describe_db_error(db: Database, exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    where = str(db.path) if db.path else db.display_url
    lowered = message.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        text = _("cannot open database {path}: the file is corrupt or not a bizops database")
    elif "readonly" in lowered or "read-only" in lowered:
        text = _("cannot write database {path}: the file or its directory is read-only")
    elif "unable to open" in lowered:
        text = _("cannot open database {path}: {error}")
    else:
        text = _("database {path}: {error}")
    return text.format(path=where, error=message)
