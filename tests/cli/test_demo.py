"""`bizops demo`: a separate demo database, then real commands pointed at it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import Cli

DAY = "2026-11-27"


@pytest.mark.slow
def test_demo_then_the_daily_commands_work_on_it(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = cli("--today", DAY, "demo", "--db", str(target))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert target.exists()
    assert f"Built the demo database {target}" in out
    assert "8 users" in out and "64 customers" in out
    for status in ("draft", "pending_approval", "approved", "signed", "active", "completed"):
        assert status in out
    # How to point further commands at the demo, and the due list of a sales rep.
    prefix = f"bizops --db {target} --today {DAY}"
    assert f"{prefix} --as zhangwei followups due" in out
    assert f"{prefix} --as wangfang approval pending" in out
    assert "report daily --all" in out
    assert "Due list of zhangwei" in out
    due_lines = [line for line in out.splitlines() if "\tzhangwei\t" in line]
    assert due_lines, out

    # The user's own database was not touched.
    assert not Path(os.environ["BIZOPS_DB"]).exists()

    base = ("--db", str(target), "--today", DAY)
    due = cli(*base, "--as", "zhangwei", "followups", "due", "--format", "json")
    assert due.exit_code == 0, due.output
    rows = json.loads(due.stdout)
    assert rows and {r["owner"] for r in rows} == {"zhangwei"}
    assert any(r["days_overdue"] > 0 for r in rows)
    assert len(due_lines) == len(rows)

    number = next(
        line.split("contract draft ")[1].split()[0]
        for line in out.splitlines()
        if "contract draft " in line
    )
    draft = tmp_path / "draft.html"
    drafted = cli(
        *base, "--as", "zhangwei", "contract", "draft", number, "--format", "html", "-o", draft
    )
    assert drafted.exit_code == 0, drafted.output
    html = draft.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "武汉鼎盛电子科技有限公司" in html

    pending = cli(*base, "--as", "wangfang", "approval", "pending", "--format", "json")
    assert pending.exit_code == 0, pending.output
    inbox = json.loads(pending.stdout)
    assert len(inbox) >= 3 and {r["role"] for r in inbox} == {"manager"}
    assert any(r["days_overdue"] > 0 for r in inbox)

    daily = cli(*base, "--as", "wangfang", "report", "daily", "--all")
    assert daily.exit_code == 0, daily.output
    assert "zhangwei" in daily.stdout and "lina" in daily.stdout

    customer = cli(*base, "--as", "zhangwei", "customer", "show", rows[0]["code"])
    assert customer.exit_code == 0, customer.output
    assert rows[0]["customer"] in customer.stdout

    check = cli(*base, "db", "check")
    assert check.exit_code == 0, check.output


@pytest.mark.slow
def test_default_path_refusals_and_force(cli: Cli, tmp_path: Path) -> None:
    home = Path(os.environ["BIZOPS_HOME"])
    built = cli("--today", DAY, "demo")
    assert built.exit_code == 0, built.output
    default = home / "demo.db"
    assert default.exists() and f"--db {default}" in built.stdout
    size = default.stat().st_size

    again = cli("--today", DAY, "demo")
    assert again.exit_code == 5
    assert again.stderr.startswith("Error: --db: ") and "--force" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert default.stat().st_size == size

    # Never the user's own database, not even with --force.
    own = os.environ["BIZOPS_DB"]
    mine = cli("demo", "--db", own, "--force")
    assert mine.exit_code == 5
    assert "your own database" in mine.stderr
    assert not Path(own).exists()
    other = tmp_path / "mine.db"
    clash = cli("--db", str(other), "demo", "--db", str(other))
    assert clash.exit_code == 5 and "your own database" in clash.stderr
    assert not other.exists()
    # The global --db alone names the user's database: the demo says where it is built.
    typed = cli("--db", str(other), "demo")
    assert typed.exit_code == 2 and "bizops demo --db PATH" in typed.stderr
    assert not other.exists() and default.stat().st_size == size

    folder = cli("demo", "--db", str(tmp_path))
    assert folder.exit_code == 2 and "directory" in folder.stderr
    memory = cli("demo", "--db", "sqlite://")
    assert memory.exit_code == 2

    # --force replaces the file with a fresh demo (the same data for the same day).
    default.write_bytes(b"not a database")
    forced = cli("--today", DAY, "demo", "--force")
    assert forced.exit_code == 0, forced.output
    assert default.stat().st_size > 1000
    users = cli("--db", str(default), "user", "list", "--format", "json")
    assert users.exit_code == 0, users.output
    assert len(json.loads(users.stdout)) == 8


def test_help_names_the_options(cli: Cli) -> None:
    result = cli("demo", "--help")
    assert result.exit_code == 0
    assert "--db" in result.stdout and "--force" in result.stdout
    assert "Example: bizops demo" in result.stdout
