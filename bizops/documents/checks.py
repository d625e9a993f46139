"""Named checks a text field may ask for (``check = "credit_code"`` in its schema)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bizops.domain.credit_code import credit_code_problem, normalise_credit_code
from bizops.domain.disputes import is_arbitration_institution
from bizops.i18n import N_


@dataclass(frozen=True)
class Rule:
    """A named check of a text field: what is wrong (a msgid) or None, and the clean text."""

    problem: Callable[[str], str | None]
    clean: Callable[[str], str]
    example: str


def _credit_code_problem(text: str) -> str | None:
    reason = credit_code_problem(text)
    return _CREDIT_CODE_REASONS[reason] if reason else None


def _institution_problem(text: str) -> str | None:
    if is_arbitration_institution(text):
        return None
    return N_(
        "not an arbitration institution: its full name contains 仲裁委员会, 仲裁中心 or 仲裁院 "
        "(e.g. 上海国际仲裁中心); a court is not one"
    )


_CREDIT_CODE_REASONS = {  # the same msgids as bizops.domain.invoicing
    "length": N_("a unified social credit code has 18 characters"),
    "characters": N_(
        "a unified social credit code has digits and capital letters other than I, O, S, V, Z"
    ),
    "check digit": N_("the check digit of this unified social credit code is wrong (GB 32100)"),
}
CHECKS: dict[str, Rule] = {
    "credit_code": Rule(_credit_code_problem, normalise_credit_code, "91310000MA1FL1234Q"),
    "arbitration_institution": Rule(
        _institution_problem, lambda t: " ".join(t.split()), "上海国际仲裁中心"
    ),
}
