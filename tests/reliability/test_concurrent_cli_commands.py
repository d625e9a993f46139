"""Ten people at once: every write succeeds, nobody sees "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_URL

PROCESSES = 10


def bizops(db: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bizops", "--db", db, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    proc = bizops(db, *args)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def ten_at_once(db: str) -> None:
    init = run(db, "init", "--admin", "root")
    assert init.returncode == 0, init.stderr
    procs = [
        bizops(db, "--as", "root", "user", "add", f"u{i}", "--role", "sales")
        for i in range(PROCESSES)
    ]
    results = [(p, *p.communicate(timeout=180)) for p in procs]
    for proc, out, err in results:
        assert "locked" not in err.lower(), err
        assert proc.returncode == 0, err
        assert out.startswith("Added user u")
    listing = run(db, "user", "list", "--format", "json")
    import json

    logins = sorted(u["login"] for u in json.loads(listing.stdout))
    assert logins == sorted(["root", *[f"u{i}" for i in range(PROCESSES)]])
    verify = run(db, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert f"{PROCESSES + 1} events verified" in verify.stdout


@pytest.mark.slow
def test_ten_processes_on_one_sqlite_file(tmp_path: Path) -> None:
    ten_at_once(str(tmp_path / "team.db"))


@pytest.mark.slow
def test_ten_processes_migrating_a_new_sqlite_file_at_once(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    procs = [bizops(db, "user", "list", "--format", "json") for _ in range(PROCESSES)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert out.strip() == "[]"


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("BIZOPS_TEST_PG_URL is not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"bizops_conc_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_ten_processes_on_postgresql(fresh_pg_url: str) -> None:
    ten_at_once(fresh_pg_url)
