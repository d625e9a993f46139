"""`bizops audit anchor` and `audit verify --anchor/--anchors/--deep` on a personal database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.support.cli import Cli, one_error_line


def test_anchor_then_verify_with_it(cli_admin: Cli, tmp_path: Path) -> None:
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    anchor = cli_admin("audit", "anchor").stdout.strip()
    assert anchor.startswith("2:") and len(anchor) == 2 + 64
    cli_admin("--as", "root", "user", "add", "bob", "-r", "sales")
    file = tmp_path / "anchors.txt"
    file.write_text(anchor + "\n" + cli_admin("audit", "anchor").stdout)
    result = cli_admin("audit", "verify", "--anchor", anchor, "--anchors", str(file), "--deep")
    assert result.exit_code == 0, result.output
    assert "All 3 anchor(s) hold." in result.stdout
    assert "The tables match what the log implies." in result.stdout


def test_deep_verify_names_a_direct_edit(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    conn = sqlite3.connect(os.environ["BIZOPS_DB"])
    conn.execute("UPDATE users SET roles = 'admin' WHERE login = 'alice'")
    conn.commit()
    conn.close()
    assert cli_admin("audit", "verify").exit_code == 0  # the chain itself is intact
    result = cli_admin("audit", "verify", "--deep")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: the tables differ from the audit log in 1 place(s)"
    )
    assert 'users alice: roles is ["admin"], the log implies ["sales"]' in result.stderr
    zh = cli_admin("--lang", "zh", "audit", "verify", "--deep")
    assert "各表与审计日志有 1 处不一致" in zh.stderr
    assert "按日志应为" in zh.stderr


def test_a_bad_anchor_is_a_usage_error(cli_admin: Cli) -> None:
    assert "COUNT:HASH" in one_error_line(cli_admin("audit", "verify", "--anchor", "x"), 2)
    zh = cli_admin("--lang", "zh", "audit", "verify", "--anchor", "x")
    assert "不是锚点" in one_error_line(zh, 2)


def test_anchor_as_json(cli_admin: Cli) -> None:
    import json

    data = json.loads(cli_admin("audit", "anchor", "-f", "json").stdout)
    assert data["events"] == 1 and data["anchor"] == f"1:{data['hash']}"
