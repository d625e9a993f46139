"""The same data set on PostgreSQL: a generated SQLite file copied into a bench database.

    python bench/pgload.py postgresql://bizops:bizops@localhost:5432/postgres bench/out/bench-100000.db

Creates (once; reused while its row counts match) the database ``bizops_bench_<file stem>``
on that server, migrates it with bizops' own migrations, and copies every table's rows with
COPY. Prints the URL to pass to `bizops --db`.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SKIP = {"alembic_version", "audit_chain"}  # the migrations write these on PostgreSQL


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(_psycopg_url(server).replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database=name).render_as_string(hide_password=False)


def _count(url: str, table: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(_psycopg_url(url)) as conn:
            return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # type: ignore[index]
    except psycopg.Error:
        return None


def load(server: str, source: Path) -> str:
    """The URL of a PostgreSQL copy of ``source`` (made if missing or different)."""
    import psycopg

    name = "bizops_bench_" + source.stem.replace("-", "_")
    url = database_url(server, name)
    lite = sqlite3.connect(source)
    customers = lite.execute("SELECT count(*) FROM customers").fetchone()[0]
    if _count(url, "customers") == customers:
        return url
    started = time.perf_counter()
    with psycopg.connect(_psycopg_url(server), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    from sqlalchemy import MetaData, create_engine

    from bizops.store.engine import Database
    from bizops.store.migrate import ensure_schema

    db = Database(url)
    ensure_schema(db)
    db.dispose()
    meta = MetaData()
    engine = create_engine(url)
    meta.reflect(engine)
    engine.dispose()
    with psycopg.connect(_psycopg_url(url)) as conn:
        for table in meta.sorted_tables:
            if table.name in SKIP:
                continue
            cols = [r[1] for r in lite.execute(f'PRAGMA table_info("{table.name}")')]
            if not cols:
                continue
            conn.execute(f'DELETE FROM "{table.name}"')
            names = ", ".join(f'"{c}"' for c in cols)
            with conn.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in lite.execute(f'SELECT {names} FROM "{table.name}"'):
                    copy.write_row(row)
            if "id" in cols and table.c.get("id") is not None and table.c.id.autoincrement:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"loaded {source.name} into {name} in {time.perf_counter() - started:.0f} s")
    return url


def main() -> None:
    server, source = sys.argv[1], Path(sys.argv[2])
    print(load(server, source))


if __name__ == "__main__":
    main()
