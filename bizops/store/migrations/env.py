"""Alembic environment: bizops passes its own connection; there is no alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bizops.store.models import all_tables

config = context.config
target_metadata = all_tables()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no connection or sqlalchemy.url given to the migration")
        with create_engine(url).begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
