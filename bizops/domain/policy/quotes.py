"""The quotation matrix (``[[approval.quote_rules]]``) and the quotation settings.

A quote is routed on four figures: its largest line discount, its total discount (both in
percent against list prices), its amount (tax-inclusive) and whether any line is priced
below its product's floor price. The first rule whose conditions all hold decides; a rule
with an empty chain means no approval is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bizops.domain.approval_steps import LIMITS_EVERY
from bizops.domain.money import format_amount
from bizops.domain.policy import check
from bizops.domain.policy.check import Problems
from bizops.i18n import _

QUOTE_RULE_KEYS = {
    "name",
    "chain",
    "line_discount_above",
    "total_discount_above",
    "amount_min",
    "amount_max",
    "below_floor",
}


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}%"


@dataclass(frozen=True)
class QuoteTerms:
    """What the quote matrix routes on."""

    line_discount: Decimal  # the largest line discount, percent
    total_discount: Decimal  # percent
    amount: Decimal  # tax-inclusive
    below_floor: bool

    def describe(self) -> str:
        return _(
            "largest line discount {line}, total discount {total}, amount {amount}, {floor}"
        ).format(
            line=_pct(self.line_discount),
            total=_pct(self.total_discount),
            amount=format_amount(self.amount),
            floor=_("a line below its floor price")
            if self.below_floor
            else _("no line below its floor price"),
        )


@dataclass(frozen=True)
class QuoteRule:
    """One row of the quote matrix. Empty conditions match anything; an empty chain means no
    approval. The chain's steps are roles or groups (``legal+finance`` 会签, ``legal|gm`` 或签),
    as in the contract matrix; ``limits``: every step's approver or only the last one's must
    have a limit covering the amount."""

    name: str
    chain: tuple[str, ...]
    line_discount_above: Decimal | None = None  # exclusive
    total_discount_above: Decimal | None = None  # exclusive
    amount_min: Decimal | None = None  # inclusive
    amount_max: Decimal | None = None  # exclusive
    below_floor: bool | None = None
    limits: str = LIMITS_EVERY

    @property
    def is_catch_all(self) -> bool:
        return (
            self.line_discount_above is None
            and self.total_discount_above is None
            and self.amount_min is None
            and self.amount_max is None
            and self.below_floor is None
        )

    def unmet(self, t: QuoteTerms) -> list[str]:
        out = []
        if self.below_floor is not None and self.below_floor != t.below_floor:
            out.append(
                _("a line below its floor price")
                if self.below_floor
                else _("no line below its floor price")
            )
        if self.line_discount_above is not None and t.line_discount <= self.line_discount_above:
            out.append(
                _("largest line discount > {pct}").format(pct=_pct(self.line_discount_above))
            )
        if self.total_discount_above is not None and t.total_discount <= self.total_discount_above:
            out.append(_("total discount > {pct}").format(pct=_pct(self.total_discount_above)))
        if self.amount_min is not None and t.amount < self.amount_min:
            out.append(_("amount >= {amount}").format(amount=format_amount(self.amount_min)))
        if self.amount_max is not None and t.amount >= self.amount_max:
            out.append(_("amount < {amount}").format(amount=format_amount(self.amount_max)))
        return out

    def met(self, t: QuoteTerms) -> list[str]:
        out = []
        if self.below_floor is not None:
            out.append(
                _("a line below its floor price")
                if self.below_floor
                else _("no line below its floor price")
            )
        if self.line_discount_above is not None:
            out.append(
                _("largest line discount {value} > {pct}").format(
                    value=_pct(t.line_discount), pct=_pct(self.line_discount_above)
                )
            )
        if self.total_discount_above is not None:
            out.append(
                _("total discount {value} > {pct}").format(
                    value=_pct(t.total_discount), pct=_pct(self.total_discount_above)
                )
            )
        if self.amount_min is not None:
            out.append(
                _("amount {amount} >= {minimum}").format(
                    amount=format_amount(t.amount), minimum=format_amount(self.amount_min)
                )
            )
        if self.amount_max is not None:
            out.append(
                _("amount {amount} < {maximum}").format(
                    amount=format_amount(t.amount), maximum=format_amount(self.amount_max)
                )
            )
        return out

    def matches(self, t: QuoteTerms) -> bool:
        return not self.unmet(t)


@dataclass(frozen=True)
class QuoteRoute:
    rule: QuoteRule
    reason: str

    @property
    def chain(self) -> tuple[str, ...]:
        return self.rule.chain

    @property
    def needs_approval(self) -> bool:
        return bool(self.rule.chain)


def route_quote(rules: Sequence[QuoteRule], terms: QuoteTerms) -> QuoteRoute | None:
    """The first matching rule, with the words that explain it; ``None`` if none matches."""
    for index, rule in enumerate(rules):
        if not rule.matches(terms):
            continue
        why = _(" and ").join(rule.met(terms)) or _("no conditions, it applies to any quote")
        reason = _("rule {rule}: {why}").format(rule=repr(rule.name), why=why)
        if index:
            skipped = _("; ").join(
                _("{rule} needs {conditions}").format(
                    rule=r.name, conditions=_(" and ").join(r.unmet(terms))
                )
                for r in rules[:index]
            )
            reason += _(" (rules before it did not match: {skipped})").format(skipped=skipped)
        return QuoteRoute(rule=rule, reason=reason)
    return None


# ---------------------------------------------------------------------------------------------
# Reading the policy (the matrix itself is read with the other approval rules, in
# approval_section.py, so that its chains and limits take the same forms)


def quotes(data: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """``[quotes]`` and ``pipeline.quote_before_negotiation``."""
    raw = check.table(data, "quotes", "quotes", problems)
    check.unknown_keys(raw, {"number", "valid_days"}, "quotes", problems)
    number = check.pattern(
        raw.get("number", "Q-{year}-{seq:04d}"), "quotes.number", {"year": 2026, "seq": 1}, problems
    )
    valid = check.whole(raw.get("valid_days", 30), "quotes.valid_days", problems, minimum=1)
    pipeline = check.table(data, "pipeline", "pipeline", problems)
    before = pipeline.get("quote_before_negotiation", True)
    if not isinstance(before, bool):
        problems.add(
            _("{where}: expected true or false").format(where="pipeline.quote_before_negotiation")
        )
        before = True
    return {
        "quote_number": number,
        "quote_valid_days": valid or 30,
        "quote_before_negotiation": before,
    }
