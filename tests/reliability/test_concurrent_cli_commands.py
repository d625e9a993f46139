"""Ten people at once: every write succeeds, nobody sees "database is locked"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import run_cli, start_cli

PROCESSES = 10


def ten_at_once(db: str) -> None:
    init = run_cli(db, "init", "--admin", "root")
    assert init.returncode == 0, init.stderr
    procs = [
        start_cli(db, "--as", "root", "user", "add", f"u{i}", "--role", "sales")
        for i in range(PROCESSES)
    ]
    results = [(p, *p.communicate(timeout=180)) for p in procs]
    for proc, out, err in results:
        assert "locked" not in err.lower(), err
        assert proc.returncode == 0, err
        assert out.startswith("Added user u")
    listing = run_cli(db, "user", "list", "--format", "json")
    import json

    logins = sorted(u["login"] for u in json.loads(listing.stdout))
    assert logins == sorted(["root", *[f"u{i}" for i in range(PROCESSES)]])
    verify = run_cli(db, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert f"{PROCESSES + 1} events verified" in verify.stdout


@pytest.mark.slow
def test_ten_processes_on_one_sqlite_file(tmp_path: Path) -> None:
    ten_at_once(str(tmp_path / "team.db"))


@pytest.mark.slow
def test_ten_processes_migrating_a_new_sqlite_file_at_once(tmp_path: Path) -> None:
    # A file at the first revision (only `init` makes a new one): all ten upgrade it at once.
    from bizops.store.engine import Database
    from tests.support.databases import upgrade_to

    db = str(tmp_path / "new.db")
    old = Database(f"sqlite:///{db}")
    upgrade_to(old, "0001_foundation")
    old.engine.dispose()
    procs = [start_cli(db, "user", "list", "--format", "json") for _ in range(PROCESSES)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert out.strip() == "[]"


@pytest.mark.slow
def test_ten_processes_on_postgresql(pg_url: str) -> None:
    ten_at_once(pg_url)
