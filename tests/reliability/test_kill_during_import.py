"""A `bizops customer import` killed with SIGKILL half-way leaves the database consistent.

The import runs in one transaction; SQLite's write-ahead log makes the commit atomic, so
after a kill -9 the database holds all of the file's customers or none of them, passes
`bizops db check`, and the next import works.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.customer_files import write_customer_csv
from tests.support.processes import run_cli, start_cli

ROWS = 100_000


def _customers(db: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM customers").fetchone()[0])


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_100k_import(tmp_path: Path) -> None:
    db = str(tmp_path / "crash.db")
    wal = tmp_path / "crash.db-wal"
    assert run_cli(db, "init", "--admin", "root").returncode == 0
    added = run_cli(db, "--as", "root", "user", "add", "alice", "--role", "sales")
    assert added.returncode == 0, added.stderr
    big = tmp_path / "customers.csv"
    write_customer_csv(big, ROWS, owner="alice")
    wal_before = wal.stat().st_size if wal.exists() else 0

    proc = start_cli(db, "--as", "root", "customer", "import", str(big))
    # Wait until the import is well into writing: its uncommitted pages fill the WAL.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_before + 4_000_000:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # All or nothing (the kill may land after the commit, before the process exits).
    assert _customers(db) in (0, ROWS)
    checked = run_cli(db, "db", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Database OK" in checked.stdout and "audit chain" in checked.stdout

    # The next import works and numbers on from where the committed data ends.
    before = _customers(db)
    small = tmp_path / "more.csv"
    write_customer_csv(small, 500, owner="alice", start=ROWS)
    again = run_cli(db, "--as", "root", "customer", "import", str(small), "--format", "json")
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["imported"] == 500
    assert result["first_code"] == f"C{before + 1:04d}"
    assert _customers(db) == before + 500
    assert run_cli(db, "db", "check").returncode == 0
