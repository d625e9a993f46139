"""`report` with --lang zh: the daily report and the metrics in Chinese, the same JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from bizops.i18n import set_language
from bizops.services.policy import default_policy
from bizops.store.engine import Database
from tests.support.factories import add_user
from tests.support.report_scenario import make_report_scenario

TODAY = ("--today", "2026-11-27")


@pytest.fixture
def team_cli(cli_admin) -> Iterator[Any]:
    db = Database(os.environ["BIZOPS_DB"])
    team = {"root": add_user(db, "root")}
    for login, role, name in (
        ("alice", "sales", "Alice Chen"),
        ("bob", "sales", "Bob Li"),
        ("mia", "manager", "Mia Wang"),
        ("fay", "finance", "Fay Zhao"),
        ("leo", "legal", "Leo Sun"),
        ("gus", "gm", "Gus Zhou"),
    ):
        team[login] = add_user(db, login, role, name=name)
    make_report_scenario(db, team, default_policy())
    yield cli_admin
    db.dispose()
    set_language("en")  # a run with --lang zh leaves its language behind


def _strip_actions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_actions(v) for k, v in value.items() if k != "action"}
    if isinstance(value, list):
        return [_strip_actions(v) for v in value]
    return value


def test_daily_text_and_md_in_chinese(team_cli):
    text = team_cli("--lang", "zh", "--as", "alice", *TODAY, "report", "daily")
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith(
        "bizops 每日提醒：Alice Chen（alice） — 2026-11-27\n共 9 项待办。\n"
    )
    assert "逾期跟进（2）" in text.stdout
    assert "拜访 华为技术有限公司（A，signed） — 已逾期3天（原定 2026-11-24）" in text.stdout
    md = team_cli("--lang", "zh", "--as", "bob", *TODAY, "report", "daily", "-f", "md")
    assert md.stdout.startswith("# 每日提醒：Bob Li（`bob`） — 2026-11-27")
    assert "首次联系3天后到期（2026-11-30）" in md.stdout
    english = team_cli("--as", "alice", *TODAY, "report", "daily")
    assert "Overdue follow-ups (2)" in english.stdout and "逾期跟进" not in english.stdout


def test_daily_json_is_the_same_in_both_languages(team_cli):
    args = ("--as", "mia", *TODAY, "report", "daily", "--all", "--format", "json")
    english = json.loads(team_cli(*args).stdout)
    chinese = json.loads(team_cli("--lang", "zh", *args).stdout)
    assert _strip_actions(chinese) == _strip_actions(english)
    assert chinese[0]["followups_overdue"][0]["action"].startswith("发邮件给 Old Co")
    assert english[0]["followups_overdue"][0]["action"].startswith("Email Old Co")


def test_errors_in_chinese_keep_their_prefix_and_exit_code(team_cli, tmp_path):
    target = tmp_path / "daily.xlsx"
    refused = team_cli("--lang", "zh", "--as", "alice", *TODAY, "report", "daily", "-o", target)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "Error: -o：每日提醒只能是 text、md、html 或 json，不能是 .xlsx"
    )
    assert not target.exists()


def test_contract_metrics_in_chinese(team_cli):
    table = team_cli("--lang", "zh", "--as", "mia", *TODAY, "report", "contracts", "-f", "csv")
    assert table.exit_code == 0, table.output
    header, *rows = table.stdout.splitlines()
    assert header == "section,key,currency,count,value,detail"  # CSV headers never change
    assert any(row.startswith("status,signed,CNY,1,") and "本期新建" in row for row in rows)
    as_json = ("--as", "mia", *TODAY, "report", "contracts", "-f", "json")
    assert json.loads(team_cli("--lang", "zh", *as_json).stdout) == json.loads(
        team_cli(*as_json).stdout
    )
