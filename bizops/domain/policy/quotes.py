"""The quotation matrix (``[[approval.quote_rules]]``) and the quotation settings.

A quote is routed on four figures: its largest line discount, its total discount (both in
percent against list prices), its amount (tax-inclusive) and whether any line is priced
below its product's floor price. The first rule whose conditions all hold decides; a rule
with an empty chain means no approval is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.domain.money import format_amount
from bizops.domain.policy import check
from bizops.domain.policy.check import Problems
from bizops.domain.roles import APPROVER_ROLES, ROLES
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
    approval."""

    name: str
    chain: tuple[str, ...]
    line_discount_above: Decimal | None = None  # exclusive
    total_discount_above: Decimal | None = None  # exclusive
    amount_min: Decimal | None = None  # inclusive
    amount_max: Decimal | None = None  # exclusive
    below_floor: bool | None = None

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
# Reading the policy


def _percent(value: Any, where: str, problems: Problems) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or not 0 <= number < 100:
        problems.add(
            _("{where}: {value}; expected a percentage from 0 up to 100").format(
                where=where, value=repr(value)
            )
        )
        return None
    return number


def _quote_chain(value: Any, where: str, problems: Problems) -> tuple[str, ...]:
    chain = check.string_list(value or [], where, ROLES, problems)
    for role in chain:
        if role not in APPROVER_ROLES:
            problems.add(
                _("{where}: role {role} cannot approve; approver roles are {roles}").format(
                    where=where, role=repr(role), roles=", ".join(APPROVER_ROLES)
                )
            )
    if len(set(chain)) != len(chain):
        problems.add(
            _("{where}: a role appears twice; one person approves one step").format(where=where)
        )
    return chain


def _quote_rule(i: int, rule: Any, names: set[str], problems: Problems) -> QuoteRule | None:
    where = f"approval.quote_rules[{i}]"
    if not isinstance(rule, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(rule, QUOTE_RULE_KEYS, where, problems)
    name = str(rule.get("name") or f"quote-rule-{i}")
    if name in names:
        problems.add(
            _("{where}: {name} is used twice").format(where=f"{where}.name", name=repr(name))
        )
    names.add(name)
    below_floor = rule.get("below_floor")
    if below_floor is not None and not isinstance(below_floor, bool):
        problems.add(_("{where}: expected true or false").format(where=f"{where}.below_floor"))
        below_floor = None
    return QuoteRule(
        name=name,
        chain=_quote_chain(rule.get("chain"), f"{where}.chain", problems),
        line_discount_above=_percent(
            rule.get("line_discount_above"), f"{where}.line_discount_above", problems
        ),
        total_discount_above=_percent(
            rule.get("total_discount_above"), f"{where}.total_discount_above", problems
        ),
        amount_min=check.amount(rule.get("amount_min"), f"{where}.amount_min", problems),
        amount_max=check.amount(rule.get("amount_max"), f"{where}.amount_max", problems),
        below_floor=below_floor,
    )


def quotes(data: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """``[[approval.quote_rules]]``, ``[quotes]`` and ``pipeline.quote_before_negotiation``."""
    approval = check.table(data, "approval", "approval", problems)
    names: set[str] = set()
    found = [
        _quote_rule(i, rule, names, problems)
        for i, rule in enumerate(
            check.rules(approval, "quote_rules", "approval.quote_rules", problems), start=1
        )
    ]
    matrix = tuple(r for r in found if r is not None)
    # Left out entirely (an [approval] table written whole, without quotes in mind): no quote
    # can be routed, and `quote submit` says so. Given, it must route every quote.
    given = "quote_rules" in approval
    if given and (not matrix or not matrix[-1].is_catch_all):
        problems.add(
            _(
                "approval.quote_rules: the last rule must have no conditions (the catch-all), "
                "so that every quote is routable"
            )
        )
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
        "quote_rules": matrix,
        "quote_number": number,
        "quote_valid_days": valid or 30,
        "quote_before_negotiation": before,
    }
