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


def test_the_shared_pool_on_the_command_line(cli_admin) -> None:  # type: ignore[no-untyped-def]
    from tests.support.policies import apply_policy, cli_database

    cli = cli_admin
    apply_policy(cli_database(), {"pool": {"max_claims": 1, "return_after_days": 30}})
    for login in ("alice", "bob"):
        assert cli("--as", "root", "user", "add", login, "--role", "sales").exit_code == 0
    today = ("--today", "2026-11-27")
    assert cli("--as", "alice", *today, "customer", "add", "华东电子", "-g", "A").exit_code == 0
    assert cli("--as", "alice", *today, "customer", "add", "江南纺织", "-g", "B").exit_code == 0
    # No reason: refused, nothing changes.
    one_error_line(cli("--as", "alice", *today, "customer", "release", "C0001"), 2)
    # bob may not take alice's customer, nor give it up.
    line = one_error_line(cli("--as", "bob", *today, "customer", "claim", "C0001"), 5)
    assert "belongs to alice" in line
    one_error_line(cli("--as", "bob", *today, "customer", "release", "C0001", "--reason", "x"), 4)
    released = cli("--as", "alice", *today, "customer", "release", "C0001", "--reason", "预算取消")
    assert released.exit_code == 0 and "shared pool" in released.stdout
    pool = cli("--as", "bob", *today, "customer", "list", "--pool", "--format", "json")
    assert [row["code"] for row in json.loads(pool.stdout)] == ["C0001"]
    claimed = cli("--lang", "zh", "--as", "bob", *today, "customer", "claim", "C0001")
    assert claimed.exit_code == 0 and "已领取 C0001" in claimed.stdout
    assert cli("--as", "alice", *today, "customer", "show", "C0001").exit_code == 4
    # The limit: one claim within 30 days.
    assert (
        cli("--as", "root", *today, "customer", "release", "C0002", "--reason", "x").exit_code == 0
    )
    limit = cli("--lang", "zh", "--as", "bob", *today, "customer", "claim", "C0002")
    assert limit.exit_code == 5 and "pool.max_claims" in limit.stderr and "上限" in limit.stderr
    # 31 days on, with no contact, bob's claimed customer returns when the report runs.
    later = ("--today", "2026-12-28")
    report = cli("--as", "bob", *later, "report", "daily", "--format", "json")
    assert report.exit_code == 0, report.output
    returned = json.loads(report.stdout)["returned_to_pool"]
    assert [item["code"] for item in returned] == ["C0001"]
    text = cli("--as", "bob", *later, "report", "daily")
    assert "Returned to the shared pool today" in text.stdout
    assert (
        json.loads(
            cli("--as", "bob", *later, "customer", "show", "C0001", "--format", "json").stdout
        )["owner"]
        is None
    )
