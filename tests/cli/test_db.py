"""`bizops db ...`: info, check, upgrade, backup and restore."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from tests.support.cli import one_error_line


def test_db_info_check_upgrade(cli_admin) -> None:  # type: ignore[no-untyped-def]
    from bizops.store.revisions import HEAD

    info = json.loads(cli_admin("db", "info", "--format", "json").stdout)
    assert info["schema"] == HEAD and info["up_to_date"] is True
    assert info["rows"]["users"] == 1 and info["path"] == os.environ["BIZOPS_DB"]
    r = cli_admin("db", "check")
    assert r.exit_code == 0 and r.stdout.startswith("Database OK: schema revision, integrity")
    r = cli_admin("db", "upgrade")
    assert r.exit_code == 0 and r.stdout.strip() == f"Schema is up to date ({HEAD})."


def test_db_check_fails_on_a_broken_chain(cli_admin) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    conn = sqlite3.connect(os.environ["BIZOPS_DB"])
    conn.execute("UPDATE audit_events SET after = '{}' WHERE id = 1")
    conn.commit()
    conn.close()
    r = cli_admin("db", "check")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == "Error: database check found 1 problem(s)"
    assert "event 1 " in r.stderr


def test_db_backup_and_restore(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    copy = tmp_path / "copy.db"
    r = cli_admin("db", "backup", str(copy))
    assert r.exit_code == 0 and r.stdout.startswith(f"Backed up to {copy}")
    assert "exists; pass --force" in one_error_line(cli_admin("db", "backup", str(copy)), 5)
    cli_admin("--as", "root", "user", "add", "bob", "-r", "sales")
    assert "pass --force" in one_error_line(cli_admin("db", "restore", str(copy)), 5)
    r = cli_admin("db", "restore", str(copy), "--force")
    assert r.exit_code == 0 and "Restored" in r.stdout
    rows = json.loads(cli_admin("user", "list", "-f", "json").stdout)
    assert [u["login"] for u in rows] == ["alice", "root"]
    assert cli_admin("audit", "verify").exit_code == 0
    fresh = tmp_path / "fresh.db"
    r = cli_admin("--db", str(fresh), "db", "restore", str(copy))
    assert r.exit_code == 0
    rows = json.loads(cli_admin("--db", str(fresh), "user", "list", "-f", "json").stdout)
    assert [u["login"] for u in rows] == ["alice", "root"]
