"""What an in-house lawyer checks in a drafted contract, as a pure function of its text.

``lint_draft`` reads a rendered draft (Markdown) and its template's metadata and returns
findings with their line numbers: the elements of Civil Code art. 470, one effectiveness
clause, the document's own name (本合同 or 本协议), a named arbitration institution when
arbitration is chosen, invoicing details where money is invoiced, no unrendered tags, no
label left without a value, and amounts in words (大写) equal to the figures. A supplementary
agreement (补充协议) is checked for what it needs instead of art. 470: the original contract
cited, each change as 原约定 / 现变更为, the rest kept in force. The library's
tests draft every built-in template with every choice and expect no finding;
``template validate`` applies it to a user's own template.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bizops.documents.context import document_name
from bizops.documents.filters import cn_upper
from bizops.domain.disputes import is_arbitration_institution
from bizops.i18n import N_, _

# Contract types whose money is invoiced: both parties' invoicing details are printed.
INVOICED_TYPES = frozenset({"sales", "purchase", "service"})


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based line of the draft; 0 when the whole document is concerned
    code: str  # stable identifier, e.g. "art470.price"
    message: str  # English msgid; see ``text``
    detail: str = ""

    def text(self) -> str:
        """The finding in the interface language."""
        message = _(self.message)
        return f"{message}: {self.detail}" if self.detail else message

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "code": self.code, "message": self.text()}


# Art. 470: names of the parties, subject matter, quantity, quality, price or remuneration,
# time, place and manner of performance, liability for breach, dispute resolution. Each is
# recognised by words a draft uses for it; an NDA has no quantity, quality or price.
_ART470_ZH: dict[str, tuple[str, tuple[str, ...]]] = {
    "parties": (N_("the parties are not named (甲方/乙方)"), ("甲方", "乙方")),
    "subject": (N_("no subject matter (标的)"), ("标的", "服务内容", "合作范围", "保密信息")),
    "quantity": (N_("no quantity (数量)"), ("数量", "工作量", "人天", "采购总额")),
    "quality": (N_("no quality standard (质量)"), ("质量", "标准")),
    "price": (N_("no price or remuneration (价款/报酬)"), ("价款", "报酬", "费用", "价格")),
    "performance": (N_("no time, place or manner of performance"), ("期限", "地点", "方式")),
    "breach": (N_("no liability for breach (违约责任)"), ("违约",)),
    "disputes": (N_("no dispute resolution (争议解决)"), ("争议",)),
}
_ART470_EN: dict[str, tuple[str, ...]] = {
    "parties": ("Party A", "Party B"),
    "subject": ("Goods", "goods", "Services", "services", "Scope", "Confidential information"),
    "quantity": ("Quantity", "quantity", "man-days", "volume", "purchase total", "workload"),
    "quality": ("quality", "Quality", "standard"),
    "price": ("price", "Price", "fee", "Fee"),
    "performance": ("date", "place", "Place", "method", "term", "Term"),
    "breach": ("breach", "Breach"),
    "disputes": ("dispute", "Dispute"),
}
_NOT_FOR_NDA = frozenset({"quantity", "quality", "price"})
# A supplementary agreement (type amendment) is not a contract of its own: instead of art.
# 470 it cites the original contract, states each change and keeps the rest in force.
_AMENDMENT_ZH: dict[str, tuple[str, tuple[str, ...]]] = {
    "parties": (N_("the parties are not named (甲方/乙方)"), ("甲方", "乙方")),
    "original": (N_("the original contract is not cited (原合同)"), ("原合同",)),
    "changes": (N_("no change stated as 原约定 / 现变更为"), ("原约定", "现变更为")),
    "rest": (N_("nothing says the other terms stay in force"), ("继续有效",)),
}
_AMENDMENT_EN: dict[str, tuple[str, ...]] = {
    "parties": ("Party A", "Party B"),
    "original": ("Original Contract",),
    "changes": ("Originally agreed", "Now amended to"),
    "rest": ("remain in full force",),
}

_TAG = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_EFFECT_ZH = re.compile(r"(本合同|本协议)[^。；]{0,60}?(起|之日起|时)生效")
_EFFECT_EN = re.compile(r"(^|\. |\d\. )This (contract|agreement) takes effect\b")
_ARBITRATION_ZH = re.compile(r"提交(?P<body>[^，。；]*?)[，,]?按照[^。]*仲裁")
_ARBITRATION_EN = re.compile(r"submit the dispute to (?P<body>.+?) for arbitration")
_UPPER = re.compile(
    r"(?P<figure>[\d,]+\.\d{2})[^（(\d]{0,6}[（(](大写|in Chinese capitals)[：:]\s*人民币(?P<words>[^）)]+)[）)]"
)
_LABEL_ZH = re.compile(r"(?:^|[　|；\s*])(?P<label>[^　|；，。：\s*]{1,15})：\s*(?:\\?$|[　|])")
_LABEL_EN = re.compile(r"(?:^|[|;]\s*)(?P<label>[A-Z][A-Za-z' ()/-]{0,40}):\s*(?:\\?$|[|])")


def lint_draft(text: str, *, template_type: str, language: str, title: str) -> list[Finding]:
    """Every finding in a drafted contract, in the order of its lines."""
    lines = text.splitlines()
    checks: list[Callable[[list[str], str, str, str], list[Finding]]] = [
        _tags,
        _empty_values,
        _art470,
        _amendment,
        _effectiveness,
        _own_name,
        _arbitration,
        _invoicing,
        _amounts_in_words,
    ]
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check(lines, template_type, language, title))
    return sorted(findings, key=lambda f: (f.line, f.code))


def _numbered(lines: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=1))


def _tags(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    return [
        Finding(n, "tags", N_("an unrendered template tag"), line.strip()[:60])
        for n, line in _numbered(lines)
        if _TAG.search(line)
    ]


def _empty_values(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    pattern = _LABEL_EN if language == "en" else _LABEL_ZH
    return [
        Finding(n, "empty", N_("a label without a value"), match.group("label"))
        for n, line in _numbered(lines)
        for match in pattern.finditer(line)
    ]


def _amendment(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    if kind != "amendment":
        return []
    text = "\n".join(lines)
    return [
        Finding(0, f"amendment.{element}", message)
        for element, (message, words_zh) in _AMENDMENT_ZH.items()
        if not all(w in text for w in (_AMENDMENT_EN[element] if language == "en" else words_zh))
    ]


def _art470(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    if kind == "amendment":
        return []
    text = "\n".join(lines)
    findings = []
    for element, (message, words_zh) in _ART470_ZH.items():
        if kind == "nda" and element in _NOT_FOR_NDA:
            continue
        words = _ART470_EN[element] if language == "en" else words_zh
        need_all = element == "parties"
        found = all(w in text for w in words) if need_all else any(w in text for w in words)
        if not found:
            findings.append(Finding(0, f"art470.{element}", message))
    return findings


def _effectiveness(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    pattern = _EFFECT_EN if language == "en" else _EFFECT_ZH
    where = [n for n, line in _numbered(lines) if pattern.search(line)]
    if len(where) == 1:
        return []
    if not where:
        return [Finding(0, "effect", N_("no clause says when the document takes effect"))]
    return [
        Finding(n, "effect", N_("more than one effectiveness clause"), str(len(where)))
        for n in where[1:]
    ]


def _own_name(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    own = document_name(title, language)
    if language == "en":
        other = "this contract" if own == "this agreement" else "this agreement"
        found = [n for n, line in _numbered(lines) if other in line.casefold()]
    else:
        other = "本合同" if own == "本协议" else "本协议"
        found = [n for n, line in _numbered(lines) if other in line]
    return [
        Finding(n, "name", N_("the document calls itself by another name"), f"{other} ≠ {own}")
        for n in found
    ]


def _arbitration(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    pattern = _ARBITRATION_EN if language == "en" else _ARBITRATION_ZH
    findings = []
    for n, line in _numbered(lines):
        for match in pattern.finditer(line):
            body = match.group("body")
            if not is_arbitration_institution(body):
                findings.append(
                    Finding(
                        n,
                        "arbitration",
                        N_("arbitration without a named arbitration institution"),
                        body.strip(),
                    )
                )
    return findings


def _invoicing(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    if kind not in INVOICED_TYPES:
        return []
    text = "\n".join(lines)
    # The clause names the kind of invoice and its tax rate (a goods table's 税率 is not it).
    if language == "en":
        details = text.count("Bank and account")
        clause = "VAT invoice" in text and "tax rate" in text
    else:
        details = text.count("开户行及账号")
        clause = ("增值税专用发票" in text or "增值税普通发票" in text) and "税率为" in text
    findings = []
    if details < 2:
        findings.append(
            Finding(0, "invoicing.details", N_("the invoicing details of both parties are missing"))
        )
    if not clause:
        findings.append(Finding(0, "invoicing.clause", N_("no invoicing clause")))
    return findings


def _amounts_in_words(lines: list[str], kind: str, language: str, title: str) -> list[Finding]:
    findings = []
    for n, line in _numbered(lines):
        for match in _UPPER.finditer(line):
            try:
                figure = Decimal(match.group("figure").replace(",", ""))
                expected = cn_upper(figure)
            except (InvalidOperation, ValueError):
                continue
            if match.group("words").strip() != expected:
                findings.append(
                    Finding(
                        n,
                        "upper",
                        N_("the amount in words differs from the figure"),
                        f"{match.group('figure')} ≠ {match.group('words')}",
                    )
                )
    return findings
