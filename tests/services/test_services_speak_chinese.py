"""The services' messages in Chinese: refusals, problems and explanations people read.

Each test sets the language to zh and puts it back to English afterwards; codes, option names
and values stay as they are inside the Chinese text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.i18n import _, current_language, set_language
from bizops.services import contracts, customers, dbops, followups, lookup, reports, users
from bizops.services.approvals import routing
from tests.support.factories import add_customer

SERVICES = Path(__file__).resolve().parents[2] / "bizops" / "services"
TERMS = {
    "type": "sales",
    "title": "设备采购",
    "amount": "12万",
    "risk": "low",
    "start": "2026-12-01",
    "end": "2027-11-30",
}


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def test_every_service_message_has_a_chinese_translation(zh) -> None:
    untranslated = [
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(SERVICES), keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        )
        if isinstance(message, str) and _(message) == message
    ]
    assert untranslated == []


def test_the_language_goes_back_to_english(db, team) -> None:
    set_language("zh")
    set_language("en")
    assert current_language() == "en"
    with pytest.raises(NotFound) as caught, db.read() as s:
        lookup.find_customer(s, "nobody")
    assert caught.value.message == (
        "customer: no customer 'nobody'; see `bizops customer list --search`"
    )


def test_not_found_names_the_field_and_the_command_to_look(db, team, zh) -> None:
    with pytest.raises(NotFound) as caught, db.read() as s:
        lookup.find_customer(s, "nobody", field="--customer")
    assert caught.value.message == (
        "--customer：没有客户 'nobody'；见 `bizops customer list --search`"
    )
    with pytest.raises(NotFound) as caught, db.read() as s:
        users.find_user(s, "zed", field="--owner")
    assert caught.value.message == "--owner：没有用户 'zed'；见 `bizops user list`"


def test_refusals_name_the_roles_in_chinese(db, team, policy, today, zh) -> None:
    with pytest.raises(NotPermitted) as caught, db.write() as s:
        users.add_user(s, actor=team["alice"], login="zed", roles=["sales"])
    assert caught.value.message == "只有管理员可以执行此操作；alice 的角色是 sales"
    with pytest.raises(Conflict) as conflict, db.write() as s:
        users.deactivate_user(s, actor=team["root"], ref="root")
    assert conflict.value.message == "root 是最后一位在用的管理员，不能停用"
    with pytest.raises(NotPermitted) as report, db.read() as s:
        reports.daily_reports(s, actor=team["alice"], policy=policy, today=today, everyone=True)
    assert report.value.message.startswith("--all：只有经理、总经理或管理员可以查看所有人的日报")


def test_a_sales_rep_changes_only_their_own_customers(db, team, policy, today, zh) -> None:
    cust = add_customer(db, name="华信科技", owner=team["alice"], policy=policy, today=today)
    with pytest.raises(NotPermitted) as caught, db.write() as s:
        customers.set_grade(
            s,
            actor=team["bob"],
            ref=cust["code"],
            grade="A",
            reason="大单",
            policy=policy,
            today=today,
        )
    assert caught.value.message == (
        f"{cust['code']} 的负责人是 alice；销售只能修改自己负责的客户（请联系经理）"
    )
    with pytest.raises(Invalid) as grade, db.write() as s:
        customers.set_grade(
            s,
            actor=team["alice"],
            ref=cust["code"],
            grade="A",
            reason=None,
            policy=policy,
            today=today,
        )
    assert grade.value.message == f"grade：将 {cust['code']} 的等级从 B 改为 A 需要 --reason"


def test_contract_refusals_say_who_may_and_what_to_do(db, team, policy, today, zh) -> None:
    cust = add_customer(db, name="东方电子", owner=team["alice"], policy=policy, today=today)
    with db.write() as s:
        number = contracts.create_contract(
            s, actor=team["alice"], customer=cust["code"], policy=policy, today=today, **TERMS
        )["number"]
    with pytest.raises(NotPermitted) as caught, db.write() as s:
        contracts.add_note(s, actor=team["bob"], ref=number, text="看一下")
    assert caught.value.message == (
        f"只有合同负责人（alice）、经理、legal、finance、gm或管理员可以为合同 {number} 添加备注；"
        "bob 的角色是 sales"
    )
    with db.write() as s:
        contracts.submit_contract(s, actor=team["alice"], ref=number, policy=policy, today=today)
    with pytest.raises(Conflict) as edit, db.write() as s:
        contracts.update_contract(
            s, actor=team["alice"], ref=number, title="新标题", policy=policy, today=today
        )
    assert edit.value.message.startswith(
        f"合同 {number} 的状态为 审批中：提交审批后不能再修改条款；"
        "如需修改草稿，请撤回审批申请（`bizops approval withdraw ID`）"
    )
    # A state and the states a move needs read in Chinese too, not as codes.
    with pytest.raises(Conflict) as dispute, db.write() as s:
        contracts.open_dispute(s, actor=team["alice"], ref=number, summary="争议", today=today)
    assert dispute.value.message.startswith(f"合同 {number} 的状态为 审批中；")
    assert "已签订、履行中、已完成、已终止" in dispute.value.message
    with pytest.raises(Invalid) as amount:
        routing.route(policy, type="sales", amount="0", risk="low")
    assert amount.value.message == "--amount：0 不是有效的合同金额；金额必须大于零"


def test_import_problems_name_the_line_in_chinese(db, team, policy, today, tmp_path, zh) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "客户名称,等级,负责人,邮箱,联系人\n"
        "华信科技,A,alice,li@huaxin.cn,李雷\n"
        "华信科技,B,alice,,\n",
        encoding="utf-8",
    )
    with pytest.raises(Invalid) as caught, db.write() as s:
        customers.import_customers(s, actor=team["alice"], path=path, policy=policy, today=today)
    assert caught.value.message.startswith("customers.csv：2 行中有 1 行有误；未导入任何数据")
    assert caught.value.details == ["第 3 行：name：'华信科技' 与本文件第 2 行重复"]


def test_followup_messages_in_chinese(db, team, policy, today, zh) -> None:
    cust = add_customer(db, name="华东机电", owner=team["alice"], policy=policy, today=today)
    with db.read() as s:
        [row] = followups.due_rows(
            s, owner_ids=None, until=today.replace(year=today.year + 1), today=today, policy=policy
        )
    with pytest.raises(Invalid) as caught, db.write() as s:
        followups.snooze_followup(
            s, actor=team["alice"], followup=row["id"], to="2027-01-10", reason=None, today=today
        )
    assert caught.value.message == "--reason：请说明推迟跟进的原因（会保存在历史记录中）"
    with db.read() as s:
        calendar, count = followups.due_calendar(
            s,
            today=today,
            now=datetime(2026, 11, 27, 9, 0),
            policy=policy,
            owner_ids=None,
            until=today.replace(year=today.year + 1),
        )
    text = calendar.decode("utf-8").replace("\r\n ", "")  # unfolded
    assert count == 1 and f"跟进：{cust['name']}" in text and "负责人：alice" in text
    # The purpose the system stored for a first contact is shown in the reader's language.
    assert "跟进目的：首次联系" in text and "最近联系：从未联系" in text


def test_database_check_lists_its_checks_in_chinese(db, zh) -> None:
    result = dbops.check(db)
    assert result.ok
    assert (
        "审计日志链" in result.checked and "每个活跃客户有且只有一条未完成的跟进" in result.checked
    )


def test_skipped_report_reasons_stay_codes(zh) -> None:
    # The command line compares them (--quiet-if-empty) and translates them when shown.
    assert reports.NOTHING_TO_REPORT == "nothing to report"
    assert _(reports.NOTHING_TO_REPORT) == "没有待办事项"
