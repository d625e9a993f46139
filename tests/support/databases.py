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
