"""Domain, document and storage messages in Chinese: each refusal reads as a Chinese sentence,
with its values (codes, amounts, option names) as they are; English stays the default."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bizops.documents.env import render
from bizops.documents.fields import check_values, normalise, parse_schema
from bizops.documents.library import parse_metadata
from bizops.domain import approval, contract_states, pipeline
from bizops.domain.approval import Decider, decision_refusal
from bizops.domain.customer_fields import parse_contact, parse_potential
from bizops.domain.errors import BizopsError, Conflict, Invalid
from bizops.domain.money import parse_money
from bizops.domain.policy import build_policy, merge_policy
from bizops.domain.validate import check_email, check_text
from bizops.i18n import current_language, set_language
from bizops.services.policy import default_policy
from bizops.store.engine import Database, describe_db_error
from bizops.store.files import check_target

CATALOG = Path(__file__).resolve().parents[2] / "bizops/locale/zh_CN/LC_MESSAGES/bizops.po"
# The packages whose every message must have its Chinese (this sweep's part of the catalog).
SWEPT = ("bizops/domain/", "bizops/documents/", "bizops/reports/", "bizops/store/")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def refusal(call: Callable[[], Any]) -> BizopsError:
    with pytest.raises(BizopsError) as caught:
        call()
    return caught.value


def test_english_is_the_default() -> None:
    assert current_language() == "en"
    message = refusal(lambda: parse_money("abc")).message
    assert message.startswith("amount: cannot read 'abc' as an amount")


def test_money_and_validation(zh: None) -> None:
    assert refusal(lambda: parse_money("abc", field="--amount")).message == (
        "--amount：无法将 'abc' 识别为金额；请按以下格式填写：120000, 120,000.50, 12万, 1.5亿"
    )
    assert "的小数超过两位" in refusal(lambda: parse_money("1.234")).message
    assert refusal(lambda: check_email("x@", "email")).message.startswith(
        "email：'x@' 不是有效的邮箱地址"
    )
    assert refusal(lambda: check_text(" ", "--note", required=True)).message == "--note：不能为空"
    assert refusal(lambda: parse_potential("-5")).message == "--potential：采购潜力不能为负数"
    two = refusal(lambda: parse_contact("张伟, a@x.com, b@x.com")).message
    assert two == "--contact：'张伟, a@x.com, b@x.com' 中有两个邮箱地址"
    # The parts of a contact are named in Chinese too (the option stays as typed).
    long_name = "张" * 201
    assert refusal(lambda: parse_contact(long_name)).message.startswith("--contact 姓名：长度为")


def test_contract_moves_name_the_allowed_ones(zh: None) -> None:
    wrong = refusal(lambda: contract_states.check_move("HT-2026-0001", "draft", "sign"))
    assert isinstance(wrong, Conflict)
    assert wrong.message == (
        "无法对合同 HT-2026-0001 执行 sign：当前状态为 草稿；当前可执行：submit"
    )
    pending = refusal(lambda: contract_states.check_move("HT-1", "pending_approval", "sign"))
    assert "approve, reject, withdraw（通过 `bizops approval`）" in pending.message
    facts = contract_states.Facts(open_milestones=(3, 4), open_disputes=(7,))
    blocked = refusal(lambda: contract_states.check_move("HT-1", "active", "complete", facts))
    assert blocked.message == (
        "无法对合同 HT-1 执行 complete：还有 2 个履约节点未完成（#3, #4）；请用 "
        "`bizops contract milestone done ID` 标记完成；存在未解决的纠纷 #7；请用 "
        "`bizops contract dispute resolve ID --resolution TEXT` 处理"
    )
    done = refusal(lambda: contract_states.check_move("HT-1", "archived", "archive"))
    assert done.message == "合同 HT-1 已处于 已归档 状态；该状态下不允许任何操作"


def test_pipeline_rules(zh: None) -> None:
    skip = refusal(lambda: pipeline.plan_move("prospect", "proposal"))
    assert isinstance(skip, Invalid)
    assert skip.message == (
        "stage：从 prospect 跳到 proposal 需要 --reason 说明原因；"
        "只有向前推进一步（prospect -> contacted）无需原因"
    )
    last = refusal(lambda: pipeline.next_stage("maintenance"))
    assert last.message.startswith("stage：maintenance 已是销售管道的最后一个阶段")
    start = refusal(lambda: pipeline.check_starting_stage("signed"))
    assert "请先以 negotiation 阶段添加客户，再签订合同" in start.message


def test_approval_refusals_and_routes(zh: None) -> None:
    chain = ("manager", "finance")
    common: dict[str, Any] = {
        "request_id": 12,
        "chain": chain,
        "current_step": 1,
        "amount": Decimal("500000"),
        "owner": "alice",
        "contract": "HT-2026-0001",
        "decided": {},
    }
    mine = decision_refusal(
        Decider("mia", ("manager",), None), submitted_by="mia", verb="reject", **common
    )
    assert mine == ("mia 提交了审批申请 12，不能驳回；须由该角色的其他人员决定（职责分离）")
    role = decision_refusal(Decider("fay", ("finance",), None), submitted_by="alice", **common)
    assert role == (
        "审批申请 12 的第 1 环节等待角色 manager 审批；fay 的角色为 finance"
        "（其角色 finance 在第 2 环节，须待 manager 审批通过后）"
    )
    limit = decision_refusal(
        Decider("max", ("manager",), Decimal("100000")), submitted_by="alice", **common
    )
    assert limit == "max 的审批限额 100,000 不足以覆盖审批申请 12 的金额 500,000"
    route = approval.explain_route(
        default_policy(), type="sales", amount=Decimal("50000"), risk="low", non_standard=False
    )
    assert route.reason.startswith("规则 ")
    assert "：" in route.reason


def test_policy_problems_for_config_check(zh: None) -> None:
    data = merge_policy(default_policy().raw, {"currency": "RMBX", "approval": {"sla_days": 0}})
    problem = refusal(lambda: build_policy(data))
    assert problem.message == "制度配置有 2 处问题"
    assert problem.details == [
        "currency：'RMBX' 不是 ISO 4217 规定的三位字母货币代码",
        "approval.sla_days：0；应为 >= 1 的整数工作日数",
    ]


def test_field_schema_and_values(zh: None) -> None:
    bad = refusal(lambda: parse_schema([{"name": "Bad", "type": "int"}]))
    assert bad.message == "字段定义有 3 处问题"
    assert bad.details[0] == ("fields[1]：名称 'Bad' 只能由小写字母、数字和 _ 组成（以字母开头）")
    (days,) = parse_schema(
        [{"name": "days", "type": "int", "min": 1, "max": 90, "label": "账期", "help": "天数"}]
    )
    too_long = refusal(lambda: normalise(days, "120"))
    assert too_long.message == "days：120 高于最大值 90；应为整数（不小于 1，不大于 90）"
    checked = check_values([days], {"days": "abc"})
    assert checked.problems == [
        "days：无法识别 'abc'；应为整数（不小于 1，不大于 90）（账期：天数）"
    ]
    assert checked.missing == []  # refused, so not reported as missing as well


def test_template_problems_and_rendering(zh: None) -> None:
    data = {"name": "x", "type": "sales", "language": "zh", "title": "", "version": 0}
    problem = refusal(lambda: parse_metadata(data, "", where="x.toml"))
    assert problem.message == "x.toml：模板中有 3 处问题"
    assert "x.toml：缺少标题" in problem.details
    undefined = refusal(lambda: render("{{ price }}", {}, name="sales-zh"))
    assert undefined.message.startswith("模板 sales-zh 第 1 行：")
    assert "请在模板的字段定义中声明该字段" in undefined.message
    upper = refusal(lambda: render("{{ 1.234 | cn_upper }}", {}, name="t"))
    assert upper.message == "模板 t 第 1 行：无法生成：1.234 的小数超过两位"


def test_storage_messages(zh: None, tmp_path: Path) -> None:
    db = Database(str(tmp_path / "bizops.db"))
    corrupt = describe_db_error(db, Exception("file is not a database"))
    assert corrupt == f"无法打开数据库 {tmp_path / 'bizops.db'}：文件已损坏，或不是 bizops 数据库"
    db.dispose()
    folder = refusal(lambda: check_target(tmp_path))
    assert folder.message == f"-o：{tmp_path} 是目录；请给出文件名"
    missing_dir = refusal(lambda: Database(str(tmp_path / "nowhere" / "x.db")))
    assert missing_dir.message.startswith("无法打开数据库 ")
    assert "不存在" in missing_dir.message


def test_every_message_of_these_packages_has_its_chinese() -> None:
    """The domain, documents, reports and storage: a Chinese text for every message, with the
    same placeholders (a translation may reorder them, never drop or rename one)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN", domain="bizops")
    missing, differ = [], []
    for message in catalog:
        if not message.id or not any(path.startswith(SWEPT) for path, _line in message.locations):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(t.strip() for t in texts):
            missing.append(ids[0])
            continue
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        differ += [ids[0] for t in texts if sorted(PLACEHOLDER.findall(t)) != wanted]
    assert missing == []
    assert differ == []


def test_dates_read_naturally_in_chinese(zh: None) -> None:
    from bizops.reports.daily.common import when

    today = date(2026, 11, 29)
    assert when(date(2026, 12, 2), today) == "3天后到期（2026-12-02）"
    assert when(date(2026, 11, 29), today) == "今天到期（2026-11-29）"
    assert when(date(2026, 11, 26), today) == "已逾期3天（原定 2026-11-26）"
    set_language("en")
    assert when(date(2026, 12, 2), today) == "due in 3 days (2026-12-02)"
    assert when(date(2026, 11, 28), today) == "overdue 1 day, was due 2026-11-28"
