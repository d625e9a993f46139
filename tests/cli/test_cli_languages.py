"""The command line in English and in Chinese, on the demo of a fixed day.

Snapshots hold the exact text of representative commands in both languages
(tests/cli/snapshots/, see ``snapshot.py``); what scripts read (JSON, exit codes) is the same
in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bizops.cli import output
from tests.cli.snapshot import assert_snapshot
from tests.conftest import Cli
from tests.support.databases import shared_audit_key

DAY = "2026-11-27"
LANGUAGES = ("en", "zh")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One demo of ``DAY`` for the module's tests, which only read it."""
    from bizops.cli.app import app
    from bizops.cli.context import reset_state

    home = tmp_path_factory.mktemp("demo-home")
    target = home / "demo.db"
    env = {"BIZOPS_HOME": str(home), "BIZOPS_DB": str(home / "own.db"), "BIZOPS_LANG": "en"}
    with shared_audit_key(home):
        result = CliRunner().invoke(app, ["--today", DAY, "demo", "--db", str(target)], env=env)
        assert result.exit_code == 0, result.output
        reset_state()
        yield target


@pytest.fixture
def on_demo(cli: Cli, demo_db: Path) -> Any:
    """Run a command on the demo, as a user, in a language."""

    def run(language: str, *args: str, user: str = "zhangwei") -> Any:
        return cli("--db", str(demo_db), "--today", DAY, "--lang", language, "--as", user, *args)

    return run


@pytest.mark.parametrize("language", LANGUAGES)
def test_root_help(cli: Cli, language: str) -> None:
    result = cli("--lang", language, "--help")
    assert result.exit_code == 0, result.output
    assert_snapshot(f"help.{language}", result.stdout)


@pytest.mark.parametrize("language", LANGUAGES)
def test_followups_due_piped(on_demo: Any, language: str) -> None:
    result = on_demo(language, "followups", "due")
    assert result.exit_code == 0, result.output
    assert_snapshot(f"followups_due.{language}", result.stdout)


@pytest.mark.parametrize("language", LANGUAGES)
def test_customer_show_on_a_terminal(
    on_demo: Any, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    result = on_demo(language, "customer", "show", "C0001")
    assert result.exit_code == 0, result.output
    assert_snapshot(f"customer_show.{language}", result.stdout)


@pytest.mark.parametrize("language", LANGUAGES)
def test_approval_pending(on_demo: Any, language: str) -> None:
    result = on_demo(language, "approval", "pending", user="wangfang")
    assert result.exit_code == 0, result.output
    assert_snapshot(f"approval_pending.{language}", result.stdout)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_daily_text(on_demo: Any, language: str) -> None:
    result = on_demo(language, "report", "daily")
    assert result.exit_code == 0, result.output
    assert_snapshot(f"report_daily.{language}", result.stdout)


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_are_one_line_with_exit_2(on_demo: Any, language: str) -> None:
    refused = on_demo(language, "customer", "list", "--archived", "--all")
    missing = on_demo(language, "customer", "add", "华信科技")
    bad_value = on_demo(language, "report", "compliance", "--by", "region")
    unknown = on_demo(language, "customr", "list")
    for result in (refused, missing, bad_value, unknown):
        assert result.exit_code == 2, result.output
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    text = "".join(r.stderr for r in (refused, missing, bad_value, unknown))
    assert_snapshot(f"errors.{language}", text)


def test_errors_keep_their_prefix_in_chinese(on_demo: Any) -> None:
    result = on_demo("zh", "customer", "list", "--archived", "--all")
    assert result.stderr == "Error: --archived 与 --all 不能同时使用\n"
    english = on_demo("en", "customer", "list", "--archived", "--all")
    assert english.stderr == "Error: --archived and --all cannot be used together\n"


@pytest.mark.parametrize(
    "command",
    [("customer", "list"), ("followups", "due"), ("contract", "list")],
    ids=lambda c: " ".join(c),
)
def test_json_is_the_same_in_both_languages(on_demo: Any, command: tuple[str, ...]) -> None:
    english = on_demo("en", *command, "--format", "json")
    chinese = on_demo("zh", *command, "--format", "json")
    assert english.exit_code == chinese.exit_code == 0
    assert english.stdout_bytes == chinese.stdout_bytes
    assert english.stdout.startswith("[\n")


def test_csv_headers_are_the_field_names_unless_zh_is_asked(on_demo: Any) -> None:
    plain = on_demo("zh", "followups", "due", "--format", "csv")
    assert plain.stdout.splitlines()[0].lstrip("\ufeff").startswith("id,code,customer,grade")
    chinese = on_demo("en", "followups", "due", "--format", "csv", "--headers", "zh")
    header = chinese.stdout.splitlines()[0].lstrip("\ufeff")
    assert header.startswith("ID,编号,客户,等级,阶段,负责人,到期日")
    # Only the header changes: the rows hold the same codes.
    assert plain.stdout.splitlines()[1:] == chinese.stdout.splitlines()[1:]


def test_a_workbook_takes_chinese_headers(on_demo: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "contracts.xlsx"
    result = on_demo("zh", "contract", "list", "--headers", "zh", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("已写入 ")
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]][:4] == ["ID", "编号", "标题", "客户"]
    assert sheet.title == "合同"


def test_chinese_export_headers_are_read_back_by_import(on_demo: Any, tmp_path: Path) -> None:
    from bizops.services.customers.import_files import HEADER_ALIASES

    result = on_demo("zh", "customer", "export", "--headers", "zh")
    header = result.stdout.splitlines()[0].lstrip("\ufeff").split(",")
    accepted = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
    assert [accepted.get(h) for h in header] == list(HEADER_ALIASES)


def test_the_demo_speaks_chinese_and_keeps_its_commands(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = cli("--today", DAY, "--lang", "zh", "demo", "--db", str(target))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"已建立演示数据库 {target}（截至 {DAY}）：" in out
    assert "接下来可以试试" in out and "zhangwei 今天的到期清单：" in out
    assert f"bizops --db {target} --today {DAY} --as zhangwei followups due" in out
    assert '--summary "电话沟通报价"' in out
    header = next(line for line in out.splitlines() if line.startswith("ID\t"))
    assert header.startswith("ID\t编号\t客户\t等级")


def test_help_of_a_group_and_a_command_in_chinese(cli: Cli) -> None:
    group = cli("--lang", "zh", "customer", "--help").stdout
    assert "用法：bizops customer" in group and "显示此帮助信息并退出。" in group
    assert "客户与销售管道" in group and "Options" not in group and "Commands" not in group
    command = cli("--lang", "zh", "customer", "list", "--help").stdout
    assert "示例：bizops customer list --grade A" in command and "[默认：code]" in command
    english = cli("--lang", "en", "customer", "list", "--help").stdout
    assert "Usage: bizops customer list" in english and "Show this message and exit." in english


def test_the_language_of_one_run_does_not_leak_into_the_next(cli: Cli) -> None:
    assert "用法：" in cli("--lang", "zh", "--help").stdout
    assert "Usage:" in cli("--lang", "en", "--help").stdout
    assert "客户与销售管道" in cli("--lang", "zh", "customer", "--help").stdout
    assert "List customers" in cli("--lang", "en", "customer", "--help").stdout
    english = cli("--lang", "en", "customer", "list", "--help").stdout
    assert "Example: bizops customer list" in english and "示例" not in english
    from typer.main import get_command

    from bizops.cli.app import app

    root = get_command(app)
    assert all("环境变量" not in (p.help or "") for p in root.params)
    result = cli("--lang", "en", "customer", "add", "X")
    assert result.stderr.startswith("Error: Missing option '--grade'")


def test_environment_variable_chooses_chinese(cli: Cli) -> None:
    result = cli("user", "list", env={"BIZOPS_LANG": "zh"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("登录名\t姓名\t邮箱\t角色")
