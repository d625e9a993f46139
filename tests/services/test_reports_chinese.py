"""The daily report and the metrics in Chinese, on a database filled through the services:
each language speaks its own words; the JSON differs only in the sentences for people."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from bizops.i18n import set_language
from bizops.reports.metrics import contracts_rows
from bizops.reports.render import json_text, render_daily
from bizops.services import reports as svc
from tests.support.report_scenario import make_report_scenario


@pytest.fixture
def data(db, team, policy):
    return make_report_scenario(db, team, policy)


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def _reports(db, actor, policy, today: date, **kw: Any) -> list[Any]:
    with db.read() as s:
        return svc.daily_reports(s, actor=actor, policy=policy, today=today, **kw)


def _without_actions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_actions(v) for k, v in value.items() if k != "action"}
    if isinstance(value, list):
        return [_without_actions(v) for v in value]
    return value


def test_daily_text_in_chinese(db, team, policy, today, data, zh):
    (report,) = _reports(db, team["alice"], policy, today)
    text = render_daily([report], "text")
    lines = text.splitlines()
    assert lines[0] == "bizops 每日提醒：Alice Chen（alice） — 2026-11-27"
    assert lines[1] == "共 9 项待办。"
    assert "逾期跟进（2）" in lines and "今日跟进（1）" in lines
    assert "超时审批（1）" in lines and "合同到期提醒（1）" in lines
    assert "未联系的新客户（1）" in lines
    assert (
        "  - 拜访 华为技术有限公司（A级，已签约） — 已逾期3天（原定 2026-11-24）；"
        "建议渠道：拜访/电话"
    ) in lines
    assert (
        "  - 首次联系 Acme Trading（B级，潜在客户） — 今天到期（2026-11-27）；建议渠道：电话/邮件"
        in lines
    )
    ending = data["ending"]
    assert (
        f"  - {ending} 框架协议 2026（华为技术有限公司，120,000.00 CNY） 将于 2026-12-27 到期 — "
        "还剩30天；请在 2026-11-27 前发出通知或续约（续约提醒期30天）"
    ) in lines
    milestone = data["milestones"]["delivery"]
    assert (
        f"  - {ending} 框架协议 2026（华为技术有限公司）的交付节点 — 6天后到期（2026-12-03）；"
        f"完成后执行：`bizops contract milestone done {milestone}`"
    ) in lines
    # Each language speaks its own: no English heading is left over.
    for english in ("Overdue follow-ups", "item(s)", "due in", "overdue", "suggested"):
        assert english not in text


def test_daily_md_and_html_in_chinese(db, team, policy, today, data, zh):
    reports = _reports(db, team["mia"], policy, today, everyone=True)
    mia = next(r for r in reports if r["user"] == "mia")
    md = render_daily([mia], "md")
    assert md.startswith("# 每日提醒：Mia Wang（`mia`） — 2026-11-27\n\n共 **2** 项待办。")
    assert "## 待您审批（1）" in md
    small = data["small_request"]
    assert (
        "- 请以 经理 身份同意或驳回 HT-2026-0003 Service renewal（Old Co，50,000.00 CNY），"
        f"第 1/2 环节 — 还有 2 个工作日到期（2026-12-01）；\\`bizops approval show {small}\\`"
    ) in md
    assert "## 按负责人统计的团队逾期跟进（2）" in md
    assert "| 负责人 | 姓名 | 逾期 | 最早到期日 | 天数 |" in md
    leo = next(r for r in reports if r["user"] == "leo")
    assert "今日无待办。" in render_daily([leo], "md")
    html = render_daily([mia], "html")
    assert '<html lang="zh-CN">' in html and "共 <strong>2</strong> 项待办。" in html
    assert "由 bizops 发送。详情：<code>bizops followups due</code>" in html


def test_json_keys_and_values_do_not_change_with_the_language(db, team, policy, today, data):
    english = _reports(db, team["mia"], policy, today, everyone=True)
    set_language("zh")
    try:
        chinese = _reports(db, team["mia"], policy, today, everyone=True)
        text = json_text(chinese)
    finally:
        set_language("en")
    assert _without_actions(chinese) == _without_actions(english)
    assert json.loads(text) == chinese
    alice_en, alice_zh = english[0], chinese[0]
    assert alice_en["followups_overdue"][1]["action"].startswith("Visit 华为技术有限公司")
    assert alice_zh["followups_overdue"][1]["action"].startswith("拜访 华为技术有限公司")


def test_contract_metrics_in_chinese(db, team, policy, today, data):
    with db.read() as s:
        report = svc.contracts_report(s, today=today)
    english = contracts_rows(report)
    set_language("zh")
    try:
        chinese = contracts_rows(report)
    finally:
        set_language("en")
    assert [{**r, "detail": None} for r in chinese] == [{**r, "detail": None} for r in english]
    details = {(r["section"], r["key"]): r["detail"] for r in chinese}
    assert details["status", "signed"] == "本期新建 1 份"
    assert details["approval_cycle", "submitted_to_closed"].startswith("平均 ")
    assert "通过 1 份，驳回 0 份" in details["approval_cycle", "submitted_to_closed"]
    assert details["non_standard", "created_in_period"] == "3 份中有 3 份（100.0%）"
