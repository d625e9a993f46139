"""Invoicing details (开票信息): what a VAT invoice needs to name a party.

名称, 统一社会信用代码 (checked with its GB 32100 check digit), 地址、电话, 开户行及账号.
The same keys are kept on a customer and in the policy's ``[company]`` section.
"""

from __future__ import annotations

import re

from bizops.domain.credit_code import credit_code_problem, normalise_credit_code
from bizops.i18n import N_

# key -> longest text accepted
INVOICING_KEYS: dict[str, int] = {
    "name": 300,
    "tax_id": 18,
    "address": 300,
    "phone": 40,
    "bank": 200,
    "bank_account": 40,
}
_ACCOUNT = re.compile(r"^[0-9][0-9 \-]{5,39}$")
CREDIT_CODE_REASONS = {
    "length": N_("a unified social credit code has 18 characters"),
    "characters": N_(
        "a unified social credit code has digits and capital letters other than I, O, S, V, Z"
    ),
    "check digit": N_("the check digit of this unified social credit code is wrong (GB 32100)"),
}


def invoicing_problem(key: str, value: str) -> str | None:
    """What is wrong with one value (an English msgid), or None."""
    if key not in INVOICING_KEYS:
        return N_("unknown key")
    if len(value) > INVOICING_KEYS[key]:
        return N_("too long")
    if key == "tax_id":
        reason = credit_code_problem(value)
        return CREDIT_CODE_REASONS[reason] if reason else None
    if key == "bank_account" and not _ACCOUNT.match(value):
        return N_("a bank account number has digits, spaces and hyphens only")
    return None


def clean_invoicing_value(key: str, value: str) -> str:
    text = " ".join(str(value).split())
    return normalise_credit_code(text) if key == "tax_id" else text


def merge_invoicing(
    current: dict[str, str] | None, changes: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The details after ``changes`` (an empty value removes a key), and every problem as
    (key, English msgid) for the caller to translate."""
    out = dict(current or {})
    problems: list[tuple[str, str]] = []
    for key, raw in changes.items():
        value = clean_invoicing_value(key, raw)
        if not value and key in INVOICING_KEYS:
            out.pop(key, None)
            continue
        problem = invoicing_problem(key, value)
        if problem:
            problems.append((key, problem))
        else:
            out[key] = value
    return {k: out[k] for k in INVOICING_KEYS if k in out}, problems
