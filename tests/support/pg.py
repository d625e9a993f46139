"""Throw-away PostgreSQL databases on the server named by ``BIZOPS_TEST_PG_URL``.

Every test that needs a PostgreSQL database of its own takes one from here (the ``db`` and
``pg_url`` fixtures do): created empty, or as a copy of a template database, and dropped with
everything in it afterwards, even if a connection is still open.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_URL = os.environ.get("BIZOPS_TEST_PG_URL")

needs_pg = pytest.mark.skipif(not PG_URL, reason="BIZOPS_TEST_PG_URL is not set")


def server_url() -> str:
    """``BIZOPS_TEST_PG_URL`` in the form SQLAlchemy's psycopg driver takes."""
    assert PG_URL, "BIZOPS_TEST_PG_URL is not set"
    return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


@contextmanager
def throwaway_database(prefix: str = "bizops_t", *, template: str | None = None) -> Iterator[str]:
    """A new database (empty, or a copy of ``template``), dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        try:
            yield make_url(server_url()).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    assert name
    return name
