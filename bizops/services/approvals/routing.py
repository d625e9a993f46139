"""Which rule of the authority matrix routes a contract, and why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from sqlmodel import Session

from bizops.domain import approval as rules
from bizops.domain.currencies import check_currency_code, check_written_currency
from bizops.domain.errors import Invalid
from bizops.domain.money import parse_money
from bizops.domain.policy import Policy
from bizops.domain.vocab import CONTRACT_TYPES, RISKS, one_of
from bizops.i18n import _
from bizops.services.approvals.coverage import uncovered_steps
from bizops.services.views.approvals import MatrixRow, RouteView
from bizops.store.models import Amendment, Contract


def route(
    policy: Policy,
    *,
    type: str,
    amount: str | Decimal,
    risk: str,
    non_standard: bool = False,
    currency: str | None = None,
) -> rules.Route:
    """`approval route`: the same explanation `contract submit` uses, from typed input; an
    amount in another ``currency`` than the base routes converted with the policy's rates."""
    money = in_base(policy, amount, currency)
    if money <= 0:
        # As `contract new`: no contract has such an amount, so no route applies to it.
        raise Invalid(
            _("--amount: {amount} is not a contract amount; it must be greater than zero").format(
                amount=amount
            )
        )
    return rules.explain_route(
        policy,
        type=one_of(type, CONTRACT_TYPES, "--type"),
        amount=money,
        risk=one_of(risk, RISKS, "--risk"),
        non_standard=non_standard,
    )


def route_checked(
    session: Session,
    policy: Policy,
    *,
    type: str,
    amount: str | Decimal,
    risk: str,
    non_standard: bool = False,
    currency: str | None = None,
) -> tuple[RouteView, list[str]]:
    """`approval route`: the route, and a warning for each step that no active user could
    approve for this amount (`contract submit` refuses such a route)."""
    found = route(
        policy, type=type, amount=amount, risk=risk, non_standard=non_standard, currency=currency
    )
    money = in_base(policy, amount, currency)
    missing = uncovered_steps(session, chain=found.chain, amount=money, limits=found.rule.limits)
    view: RouteView = {
        "rule": found.rule.name,
        "reason": found.reason,
        "chain": list(found.chain),
        "amount_in_base": money,
        "base_currency": policy.currency,
    }
    return view, [m.message(money) for m in missing]


def in_base(policy: Policy, amount: str | Decimal, currency: str | None) -> Decimal:
    """``amount`` (typed, in ``currency``, default the base) in the policy's base currency."""
    money = parse_money(amount, field="--amount")
    if currency is None:
        return money
    code = check_currency_code(currency)
    check_written_currency(amount, code)
    return policy.to_base(money, code) if money > 0 else money


def matrix(policy: Policy) -> list[MatrixRow]:
    """`approval matrix`: the rules in order with their conditions and chains."""
    return cast(list[MatrixRow], rules.matrix_rows(policy))


def _amended(value: Any) -> Any:
    return value.get("to") if isinstance(value, dict) else value


def contract_terms(contract: Contract, amendment: Amendment | None = None) -> rules.Terms:
    """The terms to route on: the contract's, or the amended ones for an amendment."""
    terms: dict[str, Any] = {
        "type": contract.type,
        # A contract without an amount (an NDA) routes as the smallest amount.
        "amount": contract.amount if contract.amount is not None else Decimal(0),
        "risk": contract.risk,
        "non_standard": bool(contract.non_standard),
    }
    if amendment is not None:
        changes = amendment.changes or {}
        if "amount" in changes:
            terms["amount"] = parse_money(str(_amended(changes["amount"])), field="amount")
        for key in ("type", "risk"):
            if key in changes:
                terms[key] = str(_amended(changes[key]))
        if "non_standard" in changes:
            value = _amended(changes["non_standard"])
            terms["non_standard"] = value is True or str(value).lower() in ("true", "1", "yes")
    return rules.Terms(
        type=str(terms["type"]),
        amount=Decimal(terms["amount"]),
        risk=str(terms["risk"]),
        non_standard=bool(terms["non_standard"]),
    )
