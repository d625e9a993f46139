"""Chinese typed at the command line and in imports: values, dates, roles; and the working-day
calendar and the robots as `config check` reports them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bizops.domain import workdays

TODAY = ("--today", "2026-11-27")  # a Friday


@pytest.fixture
def crm(cli_admin):
    for login, role in (("alice", "销售"), ("mia", "销售经理")):
        result = cli_admin("--as", "root", "user", "add", login, "--role", role)
        assert result.exit_code == 0, result.output
    return cli_admin


def run(cli, *args, login="alice"):
    return cli("--as", login, *TODAY, *args)


def test_roles_are_typed_in_chinese(crm):
    shown = json.loads(run(crm, "user", "list", "--format", "json", login="root").stdout)
    assert {u["login"]: u["roles"] for u in shown}["mia"] in (["manager"], "manager")


def test_values_and_dates_in_chinese(crm):
    added = run(crm, "customer", "add", "鼎盛电子", "--grade", "甲类", "--stage", "潜在客户")
    assert added.exit_code == 0, added.output
    found = json.loads(run(crm, "customer", "list", "--grade", "A级", "--format", "json").stdout)
    assert [c["name"] for c in found] == ["鼎盛电子"]
    code = found[0]["code"]
    assert found[0]["grade"] == "A" and found[0]["stage"] == "prospect"
    logged = run(crm, "followups", "log", code, "--via", "微信", "--summary", "初次沟通")
    assert logged.exit_code == 0, logged.output
    # The first contact moved the prospect to contacted by itself; the next stage by name.
    moved = run(crm, "customer", "stage", code, "需求调研")
    assert moved.exit_code == 0, moved.output
    planned = run(crm, "followups", "plan", code, "--due", "下周一", "--purpose", "送方案")
    assert planned.exit_code == 0, planned.output
    shown = json.loads(run(crm, "customer", "show", code, "--format", "json").stdout)
    assert shown["stage"] == "needs"
    assert shown["next_due"] == "2026-11-30"


def test_unknown_values_list_the_chinese_names_in_chinese(crm):
    bad = run(crm, "--lang", "zh", "customer", "add", "某公司", "--grade", "丁类")
    assert bad.exit_code == 2
    assert "A（A级）, B（B级）, C（C级）" in bad.stderr
    english = run(crm, "customer", "add", "某公司", "--grade", "丁类")
    assert "accepted: A, B, C" in english.stderr


def test_import_reads_chinese_values(crm, tmp_path: Path):
    source = tmp_path / "客户.csv"
    source.write_text(
        "客户名称,等级,阶段,负责人,合作意向\n"
        "鼎盛电子,甲类,需求调研,alice,高\n"
        "华南贸易,乙,商务谈判,alice,中\n"
        "北方物流,丙类,休眠,alice,低\n",
        encoding="utf-8",
    )
    result = run(crm, "customer", "import", str(source), login="root")
    assert result.exit_code == 0, result.output
    rows = json.loads(run(crm, "customer", "list", "--format", "json", login="root").stdout)
    got = {r["name"]: (r["grade"], r["stage"]) for r in rows}
    assert got == {
        "鼎盛电子": ("A", "needs"),
        "华南贸易": ("B", "negotiation"),
        "北方物流": ("C", "dormant"),
    }


def _policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_check_warns_about_unpublished_years_and_robots_without_url(cli, tmp_path):
    last = max(workdays.published_years())
    cfg = _policy(
        tmp_path,
        '[mail]\nvia = "wecom"\n\n[[mail.robots]]\nname = "east"\nvia = "wecom"\n',
    )
    result = cli("--today", f"{last}-12-01", "config", "check", str(cfg))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Policy OK")
    assert f"Warning: calendar: the PRC holidays of {last + 1} are not known" in result.stderr
    assert "Warning: mail.robots (east): no url; nothing is sent to this robot" in result.stderr
    assert "mail.via is wecom, but no wecom robot has a url" in result.stderr
    quiet = cli("--today", f"{last}-03-01", "config", "check")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    weekends = _policy(tmp_path, '[calendar]\ncalendar = "weekends"\n')
    assert cli("--today", f"{last}-12-01", "config", "check", str(weekends)).stderr == ""


def test_config_check_refuses_a_bad_calendar(cli, tmp_path):
    cfg = _policy(tmp_path, '[calendar]\ncalendar = "lunar"\nholidays = ["someday"]\n')
    result = cli("config", "check", str(cfg))
    assert result.exit_code == 2
    assert "calendar.calendar: 'lunar'; accepted: prc, weekends" in result.stderr
    assert "calendar.holidays: 'someday' is not a date" in result.stderr


def test_first_contact_after_national_day(crm):
    added = crm(
        "--as", "alice", "--today", "2026-09-30", "customer", "add", "国庆客户", "--grade", "A"
    )
    assert added.exit_code == 0, added.output
    shown = json.loads(
        crm("--as", "alice", "--today", "2026-09-30", "customer", "list", "--format", "json").stdout
    )
    assert shown[0]["next_due"] == "2026-10-08"


def test_messages_in_chinese(crm, tmp_path):
    last = max(workdays.published_years())
    cfg = _policy(tmp_path, '[[mail.robots]]\nname = "east"\nvia = "wecom"\n')
    checked = crm("--lang", "zh", "--today", f"{last}-12-01", "config", "check", str(cfg))
    assert checked.exit_code == 0
    assert f"警告：calendar：尚不知道 {last + 1} 年的法定节假日" in checked.stderr
    assert "警告：mail.robots（east）：没有 url，不会向这个机器人发送任何消息" in checked.stderr
    added = run(crm, "--lang", "zh", "customer", "add", "某公司", "--grade", "A")
    assert added.exit_code == 0
    code = json.loads(run(crm, "customer", "list", "--format", "json").stdout)[0]["code"]
    planned = run(crm, "--lang", "zh", "followups", "plan", code, "--due", "某天", "--purpose", "x")
    assert planned.exit_code == 2
    assert "无法将 '某天' 识别为日期；可用写法：YYYY-MM-DD、今天" in planned.stderr
    role = run(crm, "--lang", "zh", "user", "add", "zoe", "--role", "老板", login="root")
    assert role.exit_code == 2 and "manager（经理）" in role.stderr


def test_json_is_the_same_in_both_languages(crm):
    run(crm, "customer", "add", "鼎盛电子", "--grade", "甲类", "--stage", "谈判")
    english = run(crm, "customer", "list", "--format", "json")
    chinese = run(crm, "--lang", "zh", "customer", "list", "--format", "json")
    assert english.exit_code == chinese.exit_code == 0
    assert json.loads(english.stdout) == json.loads(chinese.stdout)
    assert json.loads(chinese.stdout)[0]["stage"] == "negotiation"
