"""The conventions of a good command line: write commands print what they wrote as JSON on
request, listings page with --limit/--offset in the query, a mistyped --db creates nothing,
options that cannot be combined say so, and the calendar goes to standard output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.cli.test_contracts import Team, created
from tests.cli.test_contracts import team as team  # noqa: F401  (the fixture)

# Every command that writes a record and prints it with --format json.
WRITE_COMMANDS = {
    "customer add",
    "customer update",
    "customer archive",
    "customer restore",
    "followups log",
    "contract new",
    "contract update",
    "contract submit",
    "contract sign",
    "contract seal",
    "contract activate",
    "contract complete",
    "contract terminate",
    "contract archive",
    "contract reopen",
    "contract amend",
    "approval approve",
    "approval reject",
    "approval withdraw",
    "user add",
    "contract invoice request",
    "contract invoice issue",
    "contract receipt add",
}


def _commands() -> dict[str, set[str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import gen_reference

    found = {}
    for node in gen_reference.walk():
        name = node.name.removeprefix("bizops ").strip()
        found[name] = {p.name for p in getattr(node.command, "params", ())}
    return found


def test_every_write_command_takes_format_json() -> None:
    commands = _commands()
    for name in sorted(WRITE_COMMANDS):
        assert name in commands, name
        assert "fmt" in commands[name], name


def test_every_listing_takes_offset() -> None:
    for name, params in _commands().items():
        if "limit" in params and params & {"fmt", "format"} and "columns" in params:
            assert "offset" in params, name


def test_write_json_is_the_show_object(team: Team) -> None:  # noqa: F811
    added = team("alice", "customer", "add", "北京测试有限公司", "--grade", "B", "-f", "json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout) == json.loads(
        team("alice", "customer", "show", "C0003", "-f", "json").stdout
    )
    assert "Added C0003" in added.stderr and "C0003\n" in added.stderr  # status on stderr

    text = team("alice", "customer", "update", "C0003", "--region", "华北")
    assert text.stdout.startswith("Updated C0003")  # text: as before, on stdout
    number = created(team)
    submitted = team("alice", "contract", "submit", number, "--format", "json")
    assert submitted.exit_code == 0, submitted.output
    shown = json.loads(team("alice", "contract", "show", number, "-f", "json").stdout)
    assert json.loads(submitted.stdout) == shown and shown["status"] == "pending_approval"
    assert submitted.stderr.startswith("Submitted " + number)

    request = str(shown["approval_requests"][0]["id"])
    approved = team("mia", "approval", "approve", request, "-f", "json")
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.stdout) == json.loads(
        team("mia", "approval", "show", request, "-f", "json").stdout
    )

    logged = team("alice", "followups", "log", "C0003", "--via", "phone", "--summary", "报价")
    assert logged.exit_code == 0 and logged.stdout.startswith("Logged")
    again = team("alice", "followups", "log", "C0003", "--via", "visit", "--summary", "拜访", "-f")
    assert again.exit_code == 2  # -f needs its value
    again = team(
        "alice", "followups", "log", "C0003", "--via", "visit", "--summary", "拜访", "-f", "json"
    )
    out = json.loads(again.stdout)
    assert out["customer"] == "C0003" and out["interaction"]["summary"] == "拜访"
    assert out["closed"]["status"] == "done" and out["next"]["status"] == "open"
    assert out["closed"]["id"] != out["next"]["id"]

    user = team("root", "user", "add", "zoe", "--role", "sales", "-f", "json")
    assert json.loads(user.stdout) == json.loads(
        team("root", "user", "show", "zoe", "-f", "json").stdout
    )


def _statements(run: Any) -> list[str]:
    seen: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(Engine, "before_cursor_execute", keep)
    return seen


def test_limit_and_offset_stop_the_query(team: Team) -> None:  # noqa: F811
    for i in range(5):
        assert team("alice", "customer", "add", f"客户{i}号公司", "--grade", "C").exit_code == 0
    seen = _statements(
        lambda: team("alice", "customer", "list", "--limit", "2", "--offset", "1", "-f", "json")
    )
    listing = [s for s in seen if "FROM customers" in s and "LIMIT" in s]
    assert listing and "OFFSET" in listing[0], seen
    rows = json.loads(
        team("alice", "customer", "list", "--limit", "2", "--offset", "1", "-f", "json").stdout
    )
    every = json.loads(team("alice", "customer", "list", "-f", "json").stdout)
    assert [r["code"] for r in rows] == [r["code"] for r in every[1:3]]
    # A listing paged after its query skips the same way.
    users = json.loads(team("root", "user", "list", "--offset", "2", "-f", "json").stdout)
    all_users = json.loads(team("root", "user", "list", "-f", "json").stdout)
    assert users == all_users[2:]
    for command in (["audit", "log"], ["contract", "list"], ["invoice", "list"]):
        seen = _statements(lambda c=command: team("root", *c, "--limit", "3", "-f", "json"))
        assert any("LIMIT" in s for s in seen), command


def test_a_missing_database_is_not_created(cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = cli("--db", str(missing), "customer", "list")
    assert result.exit_code == 3
    assert result.stderr == f"Error: no bizops database at {missing}; run `bizops init`\n"
    assert not missing.exists()
    zh = cli("--lang", "zh", "--db", str(missing), "user", "list")
    assert zh.stderr == f"Error: {missing} 处没有 bizops 数据库；请先运行 `bizops init`\n"
    assert not missing.exists()
    made = cli("--db", str(missing), "init", "--admin", "root")
    assert made.exit_code == 0 and missing.exists()
    assert cli("--db", str(missing), "user", "list").exit_code == 0


def test_a_postgresql_url_is_not_a_file() -> None:
    from bizops.cli.context import AppState

    pytest.importorskip("psycopg")
    database = AppState(db_url="postgresql://nobody@localhost:1/none").database(migrate=False)
    assert not database.is_sqlite
    database.dispose()


def test_overdue_and_a_window_cannot_be_combined(cli_admin: Any) -> None:
    for window in (["--within", "7d"], ["--until", "2026-12-31"]):
        result = cli_admin("--as", "root", "followups", "due", "--overdue", *window)
        assert result.exit_code == 2
        assert "--overdue and " + window[0] + " cannot be used together" in result.stderr


def test_calendar_goes_to_standard_output(cli_admin: Any) -> None:
    result = cli_admin("--as", "root", "followups", "ics")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "follow-up(s)" in result.stderr


def test_contract_report_json_says_limit_is_ignored(cli_admin: Any) -> None:
    result = cli_admin("--as", "root", "report", "contracts", "-f", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "--limit and --offset are ignored" in result.stderr
    assert json.loads(result.stdout)


def test_the_same_refusal_has_the_same_exit_code(cli_admin: Any, tmp_path: Path) -> None:
    """(command, refusal, code): "exists, pass --force" is a conflict (5) everywhere; an
    unknown user where the command looks one up is not found (3), on every listing."""
    copy = tmp_path / "copy.db"
    assert cli_admin("db", "backup", str(copy)).exit_code == 0
    demo = tmp_path / "demo.db"
    demo.write_bytes(b"")
    assert cli_admin("config", "init").exit_code == 0
    table: list[tuple[list[str], str, int]] = [
        (["config", "init"], "exists; pass --force", 5),
        (["db", "backup", str(copy)], "exists; pass --force", 5),
        (["db", "restore", str(copy)], "exists; pass --force", 5),
        (["demo", "--db", str(demo)], "already exists; add --force", 5),
        (["user", "show", "nobody"], "no user 'nobody'", 3),
        (["customer", "list", "--owner", "nobody"], "no user 'nobody'", 3),
        (["contract", "list", "--owner", "nobody"], "no user 'nobody'", 3),
        (["followups", "due", "--owner", "nobody"], "no user 'nobody'", 3),
        (["invoice", "list", "--owner", "nobody"], "no user 'nobody'", 3),
        (["report", "receivables", "--owner", "nobody"], "no user 'nobody'", 3),
        (["report", "payables", "--owner", "nobody"], "no user 'nobody'", 3),
        (["customer", "add", "X", "--grade", "B", "--owner", "nobody"], "no user 'nobody'", 3),
    ]
    for command, refusal, code in table:
        result = cli_admin("--as", "root", *command)
        assert (result.exit_code, refusal in result.stderr) == (code, True), (
            command,
            result.stderr,
        )
