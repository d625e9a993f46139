"""Visibility on the command line: a rep's lists, show (exit 4), export and calendar."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import one_error_line


def test_a_rep_sees_only_their_own_customers(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    for login in ("alice", "bob"):
        assert cli("--as", "root", "user", "add", login, "--role", "sales").exit_code == 0
    assert cli("--as", "root", "user", "add", "fay", "--role", "finance").exit_code == 0
    assert cli("--as", "alice", "customer", "add", "华东电子", "--grade", "A").exit_code == 0
    assert cli("--as", "bob", "customer", "add", "北方物流", "--grade", "B").exit_code == 0

    def codes(login: str, *args: str) -> list[str]:
        r = cli("--as", login, "customer", "list", "--format", "json", *args)
        assert r.exit_code == 0, r.output
        return [row["code"] for row in json.loads(r.stdout)]

    assert codes("alice") == ["C0001"]
    assert codes("bob") == ["C0002"]
    assert codes("fay") == ["C0001", "C0002"]
    assert codes("alice", "--search", "北方") == []
    line = one_error_line(cli("--as", "alice", "customer", "show", "C0002"), 4)
    assert "alice may not see customer C0002" in line
    zh = cli("--lang", "zh", "--as", "alice", "customer", "show", "C0002")
    assert zh.exit_code == 4 and "不在其可见范围内" in zh.stderr
    out = tmp_path / "mine.json"
    assert cli("--as", "alice", "customer", "export", "-o", str(out)).exit_code == 0
    assert [row["code"] for row in json.loads(out.read_text(encoding="utf-8"))] == ["C0001"]
    due = cli("--as", "alice", "followups", "due", "--owner", "all", "--format", "json")
    assert {row["code"] for row in json.loads(due.stdout)} <= {"C0001"}
    duplicate = one_error_line(cli("--as", "alice", "customer", "add", "北方物流", "-g", "B"), 5)
    assert "a customer of bob" in duplicate and "C0002" not in duplicate
