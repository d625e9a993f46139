"""Chinese names are accepted for every controlled value, and shown in Chinese."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bizops.domain import approval, contract_states, money_rules, quote_states
from bizops.domain.errors import Invalid
from bizops.domain.roles import ROLES, check_role, parse_roles
from bizops.domain.vocab import (
    ALIASES,
    ATTACHMENT_KINDS,
    CHANNELS,
    CONTRACT_TYPES,
    GRADES,
    INTENTS,
    MILESTONE_KINDS,
    PIPELINE,
    RISKS,
    STAGES,
    accepted,
    label,
    one_of,
)
from bizops.i18n import set_language


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("typed", "allowed", "code"),
    [
        ("潜在", STAGES, "prospect"),
        ("潜在客户", STAGES, "prospect"),
        ("已联系", STAGES, "contacted"),
        ("首次接触", STAGES, "contacted"),
        ("需求", STAGES, "needs"),
        ("需求调研", STAGES, "needs"),
        ("方案", STAGES, "proposal"),
        ("方案报价", STAGES, "proposal"),
        ("谈判", STAGES, "negotiation"),
        ("商务谈判", STAGES, "negotiation"),
        ("签约", STAGES, "signed"),
        ("已签约", STAGES, "signed"),
        ("维护", STAGES, "maintenance"),
        ("客户维护", STAGES, "maintenance"),
        ("流失", STAGES, "lost"),
        ("休眠", STAGES, "dormant"),
        ("谈判", PIPELINE, "negotiation"),
        ("A类", GRADES, "A"),
        ("A级", GRADES, "A"),
        ("甲类", GRADES, "A"),
        ("乙", GRADES, "B"),
        ("丙类", GRADES, "C"),
        ("ａ级", GRADES, "A"),  # full width, lower case
        ("b", GRADES, "B"),
        ("电话", CHANNELS, "phone"),
        ("邮件", CHANNELS, "email"),
        ("邮箱", CHANNELS, "email"),
        ("拜访", CHANNELS, "visit"),
        ("上门", CHANNELS, "visit"),
        ("微信", CHANNELS, "wechat"),
        ("视频会议", CHANNELS, "meeting"),
        ("展会", CHANNELS, "meeting"),
        ("其他", CHANNELS, "other"),
        ("高", INTENTS, "high"),
        ("中", INTENTS, "medium"),
        ("低", INTENTS, "low"),
        ("高", RISKS, "high"),
        ("高风险", RISKS, "high"),
        ("低", RISKS, "low"),
        ("购销", CONTRACT_TYPES, "sales"),
        ("销售", CONTRACT_TYPES, "sales"),
        ("采购", CONTRACT_TYPES, "purchase"),
        ("服务", CONTRACT_TYPES, "service"),
        ("技术服务", CONTRACT_TYPES, "service"),
        ("保密", CONTRACT_TYPES, "nda"),
        ("保密协议", CONTRACT_TYPES, "nda"),
        ("框架", CONTRACT_TYPES, "framework"),
        ("框架协议", CONTRACT_TYPES, "framework"),
        ("NDA", CONTRACT_TYPES, "nda"),
        ("付款", MILESTONE_KINDS, "payment"),
        ("验收", MILESTONE_KINDS, "acceptance"),
        ("签署件", ATTACHMENT_KINDS, "signed"),
        ("履行中", contract_states.STATES, "active"),
        ("已签订", contract_states.STATES, "signed"),
        ("审批中", contract_states.STATES, "pending_approval"),
        ("已驳回", approval.REQUEST_STATUSES, "rejected"),
    ],
)
def test_chinese_names_give_the_code(typed: str, allowed: tuple[str, ...], code: str) -> None:
    assert one_of(typed, allowed, "--x") == code
    assert one_of(f" {typed} ", allowed, "--x") == code


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("销售", "sales"),
        ("经理", "manager"),
        ("销售经理", "manager"),
        ("财务", "finance"),
        ("法务", "legal"),
        ("总经理", "gm"),
        ("管理员", "admin"),
        ("GM", "gm"),
    ],
)
def test_roles_in_chinese(typed: str, role: str) -> None:
    assert check_role(typed) == role


def test_roles_split_on_chinese_commas() -> None:
    assert parse_roles(["销售，经理", "财务、法务", "sales"]) == [
        "sales",
        "manager",
        "finance",
        "legal",
    ]


def test_a_stage_word_is_not_a_contract_state() -> None:
    # 签约 is the pipeline stage; a contract is 已签订. Each list reads only its own words.
    with pytest.raises(Invalid):
        one_of("线索", contract_states.STATES, "--status")
    assert one_of("签订", contract_states.STATES, "--status") == "signed"


def test_unknown_values_list_what_is_accepted_in_english() -> None:
    with pytest.raises(Invalid) as info:
        one_of("赢单", STAGES, "--stage")
    assert info.value.message == f"--stage: unknown value '赢单'; accepted: {', '.join(STAGES)}"


def test_unknown_values_list_codes_with_chinese_names_in_chinese(zh: None) -> None:
    with pytest.raises(Invalid) as info:
        one_of("won", STAGES, "--stage")
    message = info.value.message
    assert message.startswith("--stage：")
    assert "prospect（潜在客户）, contacted（已联系）" in message
    assert "negotiation（商务谈判）" in message
    with pytest.raises(Invalid) as info:
        check_role("boss")
    assert "manager（经理）" in info.value.message


def test_labels_follow_the_language(zh: None) -> None:
    assert label("stage", "negotiation") == "商务谈判"
    assert label("grade", "A") == "A级"
    assert label("channel", "wechat") == "微信"
    assert label("contract_state", "signed") == "已签订"
    assert label("stage", "signed") == "已签约"
    assert label("stage", "unheard-of") == "unheard-of"
    assert label("stage", None) == ""
    set_language("en")
    assert label("stage", "negotiation") == "negotiation"
    assert accepted(GRADES) == "A, B, C"


def test_every_code_has_a_chinese_label_and_no_word_is_two_codes() -> None:
    lists = {
        "grade": GRADES,
        "stage": STAGES,
        "channel": CHANNELS,
        "intent": INTENTS,
        "risk": RISKS,
        "contract_type": CONTRACT_TYPES,
        "role": ROLES,
        "milestone_kind": MILESTONE_KINDS,
        "attachment_kind": ATTACHMENT_KINDS,
        "contract_state": contract_states.STATES,
        "approval_status": approval.REQUEST_STATUSES,
        "invoice_type": money_rules.INVOICE_TYPES,
        "invoice_status": (money_rules.REQUESTED, money_rules.ISSUED, money_rules.VOID),
        "receipt_method": money_rules.RECEIPT_METHODS,
        "payment_status": (
            money_rules.PENDING_APPROVAL,
            money_rules.APPROVED,
            money_rules.REJECTED,
            money_rules.WITHDRAWN,
            money_rules.PAID,
        ),
        "quote_state": quote_states.STATES,
    }
    assert set(lists) == set(ALIASES)
    for kind, codes in lists.items():
        assert set(ALIASES[kind]) == set(codes), kind
        words = [w for code in codes for w in ALIASES[kind][code]]
        assert len(words) == len(set(words)), kind
        for code in codes:
            for word in ALIASES[kind][code]:
                assert one_of(word, codes, "x", kind=kind) == code


def test_a_list_mostly_of_one_kind_reads_its_words() -> None:
    # Template types are the contract types plus email and script.
    template_types = (*CONTRACT_TYPES, "email", "script")
    assert one_of("框架协议", template_types, "--type") == "framework"
    assert one_of("Email", template_types, "--type") == "email"
    # A list that is no kind's reads its codes only.
    with pytest.raises(Invalid):
        one_of("履行中", ("active", "archived", "all"), "scope")
