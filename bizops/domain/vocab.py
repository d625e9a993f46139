"""The closed lists of the product, and the Chinese words people type for each value.

Every controlled value (stage, grade, channel, intent, risk, contract type, role, milestone
and attachment kind, contract state, approval status) is stored and shown to scripts as its
code (``negotiation``). People may type the code or one of its Chinese names (``谈判``,
``商务谈判``), in any width and case: ``one_of`` reads either and returns the code, and
``label`` gives the name to show in the interface language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from bizops.domain.errors import Invalid
from bizops.i18n import _, is_chinese

GRADES: tuple[str, ...] = ("A", "B", "C")
# The closed loop of the pipeline, in order; ``lost`` and ``dormant`` are side exits.
PIPELINE: tuple[str, ...] = (
    "prospect",
    "contacted",
    "needs",
    "proposal",
    "negotiation",
    "signed",
    "maintenance",
)
SIDE_EXITS: tuple[str, ...] = ("lost", "dormant")
STAGES: tuple[str, ...] = PIPELINE + SIDE_EXITS
INTENTS: tuple[str, ...] = ("high", "medium", "low")
CHANNELS: tuple[str, ...] = ("phone", "email", "visit", "meeting", "wechat", "other")
CONTRACT_TYPES: tuple[str, ...] = ("sales", "purchase", "service", "nda", "framework")
RISKS: tuple[str, ...] = ("low", "medium", "high")
MILESTONE_KINDS: tuple[str, ...] = ("payment", "delivery", "acceptance", "other")
ATTACHMENT_KINDS: tuple[str, ...] = ("signed", "draft", "other")

# The one table of Chinese names: kind -> code -> words. The first word is the value's label
# (docs/zh/glossary.md); every word is accepted as input. The codes of contract states,
# approval statuses and roles live in their own domain modules; tests check they match.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "grade": {
        "A": ("A级", "A类", "甲类", "甲级", "甲"),
        "B": ("B级", "B类", "乙类", "乙级", "乙"),
        "C": ("C级", "C类", "丙类", "丙级", "丙"),
    },
    "stage": {
        "prospect": ("潜在客户", "潜在", "线索"),
        "contacted": ("已联系", "首次接触", "初次接触", "联系"),
        "needs": ("需求调研", "需求", "需求分析"),
        "proposal": ("方案", "方案报价", "报价"),
        "negotiation": ("商务谈判", "谈判"),
        "signed": ("已签约", "签约", "成交"),
        "maintenance": ("维护", "客户维护"),
        "lost": ("流失", "已流失"),
        "dormant": ("休眠", "沉睡"),
    },
    # 展会 (a trade fair) is a meeting: the customer was met in person, neither at their
    # place (a visit) nor at a distance.
    "channel": {
        "phone": ("电话", "致电", "打电话"),
        "email": ("邮件", "邮箱", "电子邮件", "电邮"),
        "visit": ("拜访", "上门", "上门拜访", "面访"),
        "meeting": ("会议", "视频会议", "线上会议", "会面", "展会"),
        "wechat": ("微信",),
        "other": ("其他", "其它"),
    },
    "intent": {
        "high": ("高", "高意向", "强"),
        "medium": ("中", "中等", "一般"),
        "low": ("低", "低意向", "弱"),
    },
    "risk": {
        "low": ("低", "低风险"),
        "medium": ("中", "中风险", "中等"),
        "high": ("高", "高风险"),
    },
    "contract_type": {
        "sales": ("购销合同", "购销", "销售", "销售合同"),
        "purchase": ("采购合同", "采购"),
        "service": ("技术服务合同", "服务", "技术服务", "服务合同"),
        "nda": ("保密协议", "保密"),
        "framework": ("框架协议", "框架", "框架合同"),
    },
    "role": {
        "sales": ("销售", "销售员", "业务员"),
        "manager": ("经理", "销售经理"),
        "finance": ("财务",),
        "legal": ("法务",),
        "gm": ("总经理",),
        "admin": ("管理员", "系统管理员"),
        "seal_keeper": ("印章管理员", "用印管理员"),
    },
    "milestone_kind": {
        "payment": ("付款", "收款", "回款"),
        "delivery": ("交付", "交货", "发货"),
        "acceptance": ("验收",),
        "other": ("其他", "其它"),
    },
    "attachment_kind": {
        "signed": ("签署件", "签字版", "盖章版", "已签署"),
        "draft": ("草稿", "草稿版"),
        "other": ("其他", "其它"),
    },
    "contract_state": {
        "draft": ("草稿",),
        "pending_approval": ("审批中", "待审批"),
        "approved": ("已审批", "审批通过"),
        "signed": ("已签订", "签订", "已签署"),
        "active": ("履行中", "履行", "生效"),
        "completed": ("已完成", "完成"),
        "terminated": ("已终止", "终止"),
        "archived": ("已归档", "归档"),
    },
    "approval_status": {
        "pending": ("审批中", "待审批"),
        "approved": ("已通过", "通过", "同意"),
        "rejected": ("已驳回", "驳回"),
        "withdrawn": ("已撤回", "撤回"),
        "void": ("已作废", "作废"),
    },
    "invoice_type": {
        "special": ("增值税专用发票", "专用发票", "专票"),
        "normal": ("增值税普通发票", "普通发票", "普票"),
        "electronic": ("电子发票", "电子普票", "数电票"),
    },
    "invoice_status": {
        "requested": ("待开票", "已申请"),
        "issued": ("已开票", "开票"),
        "void": ("已作废", "作废"),
    },
    "receipt_method": {
        "transfer": ("银行转账", "转账", "电汇"),
        "acceptance_bill": ("承兑汇票", "银行承兑汇票", "汇票"),
        "cash": ("现金",),
        "other": ("其他", "其它"),
    },
    "payment_status": {
        "pending_approval": ("审批中", "待审批"),
        "approved": ("已审批", "审批通过"),
        "rejected": ("已驳回", "驳回"),
        "withdrawn": ("已撤回", "撤回"),
        "paid": ("已付款", "已支付"),
    },
    "quote_state": {
        "draft": ("草稿",),
        "pending_approval": ("审批中", "待审批"),
        "approved": ("已审批", "审批通过"),
        "sent": ("已发送", "已报价"),
        "accepted": ("已接受", "客户接受"),
        "rejected": ("已拒绝", "客户拒绝"),
        "expired": ("已过期", "过期"),
    },
}

# Which kind a list of codes is, so that ``one_of(value, STAGES, ...)`` finds its words.
_KIND_OF: dict[tuple[str, ...], str] = {
    GRADES: "grade",
    STAGES: "stage",
    PIPELINE: "stage",
    CHANNELS: "channel",
    INTENTS: "intent",
    RISKS: "risk",
    CONTRACT_TYPES: "contract_type",
    MILESTONE_KINDS: "milestone_kind",
    ATTACHMENT_KINDS: "attachment_kind",
}

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form values are compared in: NFKC (full width to half), no spaces, case folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def kind_of(allowed: tuple[str, ...]) -> str | None:
    """The kind of a list of codes: a known list, else the smallest kind holding them all,
    else a kind holding most of them (template types: the contract types and two more)."""
    known = _KIND_OF.get(allowed)
    if known is not None:
        return known
    wanted = set(allowed)
    fits = [k for k, table in ALIASES.items() if wanted <= set(table)]
    if fits:
        return min(fits, key=lambda k: len(ALIASES[k]))
    overlap = {k: len(wanted & set(table)) for k, table in ALIASES.items()}
    best = max(overlap, key=lambda k: overlap[k])
    return best if overlap[best] * 10 >= len(wanted) * 7 else None


@lru_cache(maxsize=64)
def _lookup(allowed: tuple[str, ...], kind: str | None) -> dict[str, str]:
    """Normalised word -> code, for the codes in ``allowed`` only."""
    table = ALIASES.get(kind or "", {})
    out: dict[str, str] = {}
    for code in allowed:
        for word in table.get(code, ()):
            out.setdefault(normalise(word), code)
    for code in allowed:  # a code always wins over another value's word
        out[normalise(code)] = code
    return out


def label(kind: str, value: str | None) -> str:
    """How a value is shown to people: its Chinese name in Chinese, else the code itself."""
    if value is None:
        return ""
    if is_chinese():
        words = ALIASES.get(kind, {}).get(value)
        if words:
            return words[0]
    return value


def labels(kind: str, values: Iterable[str]) -> str:
    """Values as ``label`` shows them, listed: ``signed, active`` (``已签订、履行中``)."""
    return ("、" if is_chinese() else ", ").join(label(kind, value) for value in values)


def accepted(allowed: tuple[str, ...], kind: str | None = None) -> str:
    """The accepted values for a message: ``prospect, contacted`` (with names in Chinese)."""
    kind = kind or kind_of(allowed)
    if not is_chinese() or kind is None:
        return ", ".join(allowed)
    table = ALIASES.get(kind, {})
    return ", ".join(f"{code}（{table[code][0]}）" if code in table else code for code in allowed)


def one_of(
    value: str | None,
    allowed: tuple[str, ...],
    field: str,
    *,
    upper: bool = False,
    kind: str | None = None,
) -> str:
    """The code ``value`` stands for (a code or a Chinese name of one of ``allowed``).

    Width- and case-insensitive; anything else is ``Invalid``, naming what is accepted.
    ``upper`` is kept for callers that compare upper-case codes: the code is returned as
    declared either way. ``kind`` names the table of words when ``allowed`` is not a list
    of this module (it is found from the codes otherwise).
    """
    if value in allowed:
        return value
    text = normalise(value or "")
    code = _lookup(allowed, kind or kind_of(allowed)).get(text)
    if code is not None:
        return code
    shown = value if value not in (None, "") else _("(empty)")
    raise Invalid(
        _("{field}: unknown value {value}; accepted: {accepted}").format(
            field=field, value=repr(shown), accepted=accepted(allowed, kind)
        )
    )
