"""The authority matrix in words, and who may decide an approval step.

Pure functions: routing explains which rule decides and why the rules before it did not;
``decision_refusal`` says, in one sentence, why a user may not decide a step (or ``None``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bizops.domain.approval_steps import chain_steps, parse_step
from bizops.domain.errors import Invalid
from bizops.domain.money import format_amount
from bizops.domain.policy import ApprovalRule, Policy
from bizops.i18n import N_, _

# Request and step states.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
VOID = "void"
REQUEST_STATUSES: tuple[str, ...] = (PENDING, APPROVED, REJECTED, WITHDRAWN, VOID)
WAITING = "waiting"
CANCELLED = "cancelled"
STEP_STATUSES: tuple[str, ...] = (WAITING, PENDING, APPROVED, REJECTED, CANCELLED)


@dataclass(frozen=True)
class Terms:
    """What the matrix routes on."""

    type: str
    amount: Decimal
    risk: str
    non_standard: bool

    def describe(self) -> str:
        kind = _("non-standard") if self.non_standard else _("standard")
        return _("type {type}, amount {amount}, risk {risk}, {kind}").format(
            type=self.type, amount=format_amount(self.amount), risk=self.risk, kind=kind
        )


@dataclass(frozen=True)
class Route:
    rule: ApprovalRule
    reason: str
    chain: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.name, "reason": self.reason, "chain": list(self.chain)}


def _alternatives(values: Sequence[str]) -> str:
    return "/".join(values)


def unmet(rule: ApprovalRule, terms: Terms) -> list[str]:
    """The conditions of ``rule`` that ``terms`` fail, in words ("risk high")."""
    out = []
    if rule.types and terms.type not in rule.types:
        out.append(_("type {types}").format(types=_alternatives(rule.types)))
    if rule.amount_min is not None and terms.amount < rule.amount_min:
        out.append(_("amount >= {amount}").format(amount=format_amount(rule.amount_min)))
    if rule.amount_max is not None and terms.amount >= rule.amount_max:
        out.append(_("amount < {amount}").format(amount=format_amount(rule.amount_max)))
    if rule.risks and terms.risk not in rule.risks:
        out.append(_("risk {risks}").format(risks=_alternatives(rule.risks)))
    if rule.non_standard is not None and rule.non_standard != terms.non_standard:
        out.append(_("a non-standard contract") if rule.non_standard else _("a standard contract"))
    return out


def met(rule: ApprovalRule, terms: Terms) -> list[str]:
    """The conditions of ``rule`` that ``terms`` meet, with the contract's values."""
    amount = format_amount(terms.amount)
    out = []
    if rule.types:
        out.append(
            _("type {type} is {types}").format(type=terms.type, types=_alternatives(rule.types))
        )
    if rule.amount_min is not None:
        out.append(
            _("amount {amount} >= {minimum}").format(
                amount=amount, minimum=format_amount(rule.amount_min)
            )
        )
    if rule.amount_max is not None:
        out.append(
            _("amount {amount} < {maximum}").format(
                amount=amount, maximum=format_amount(rule.amount_max)
            )
        )
    if rule.risks == (terms.risk,):
        out.append(_("risk {risk}").format(risk=terms.risk))
    elif rule.risks:
        out.append(
            _("risk {risk} is {risks}").format(risk=terms.risk, risks=_alternatives(rule.risks))
        )
    if rule.non_standard is not None:
        out.append(_("non-standard") if rule.non_standard else _("standard"))
    return out


def _skipped(rules: Sequence[ApprovalRule], terms: Terms) -> str:
    return _("; ").join(
        _("{rule} needs {conditions}").format(
            rule=r.name, conditions=_(" and ").join(unmet(r, terms))
        )
        for r in rules
    )


def route_terms(rules: Sequence[ApprovalRule], terms: Terms) -> Route | None:
    """The first matching rule with its explanation, or ``None`` when no rule matches."""
    for index, rule in enumerate(rules):
        if rule.matches(
            type=terms.type, amount=terms.amount, risk=terms.risk, non_standard=terms.non_standard
        ):
            why = _(" and ").join(met(rule, terms)) or _(
                "no conditions, it applies to any contract"
            )
            reason = _("rule {rule}: {why}").format(rule=repr(rule.name), why=why)
            if index:
                reason += _(" (rules before it did not match: {skipped})").format(
                    skipped=_skipped(rules[:index], terms)
                )
            return Route(rule=rule, reason=reason, chain=rule.chain)
    return None


def unrouted_message(rules: Sequence[ApprovalRule], terms: Terms, *, subject: str) -> str:
    return _(
        "{subject} matches no approval rule ({terms}): "
        "{skipped}; an admin must add a rule for it to approval.rules "
        "in the policy file (see `bizops approval matrix`)"
    ).format(subject=subject, terms=terms.describe(), skipped=_skipped(rules, terms))


def explain_route(
    policy: Policy, *, type: str, amount: Decimal, risk: str, non_standard: bool
) -> Route:
    """Which rule decides, the words that explain it, and the chain; ``Invalid`` if none."""
    terms = Terms(type=type, amount=amount, risk=risk, non_standard=non_standard)
    route = route_terms(policy.approval_rules, terms)
    if route is None:
        raise Invalid(unrouted_message(policy.approval_rules, terms, subject=_("a contract")))
    return route


def matrix_rows(policy: Policy) -> list[dict[str, Any]]:
    """The rules in order, for `approval matrix`."""
    rows = []
    for position, rule in enumerate(policy.approval_rules, start=1):
        rows.append(
            {
                "position": position,
                "rule": rule.name,
                "conditions": rule.describe(),
                "chain": list(rule.chain),
                "types": list(rule.types),
                "amount_min": rule.amount_min,
                "amount_max": rule.amount_max,
                "risk": list(rule.risks),
                "non_standard": rule.non_standard,
            }
        )
    return rows


@dataclass(frozen=True)
class Decider:
    login: str
    roles: tuple[str, ...]
    limit: Decimal | None


def _decided_pairs(
    decided: Mapping[int, str] | Sequence[tuple[int, str]],
) -> list[tuple[int, str]]:
    return list(decided.items()) if isinstance(decided, Mapping) else list(decided)


def _wrong_role(
    decider: Decider, *, request_id: int, chain: Sequence[str], current_step: int, role: str
) -> str:
    held = ", ".join(decider.roles) or _("no role")
    message = _("step {step} of request {request} waits for role {role}; {login} holds {held}")
    message = message.format(
        step=current_step, request=request_id, role=role, login=decider.login, held=held
    )
    later = [
        (seq, r)
        for seq, step in enumerate(chain_steps(chain), start=1)
        for r in step.roles
        if seq > current_step and r in decider.roles
    ]
    if later:
        seq, r = later[0]
        message += _(" (their role {role} comes at step {step}, after {waiting} approves)").format(
            role=r, step=seq, waiting=role
        )
    return message


def decision_refusal(
    decider: Decider,
    *,
    request_id: int,
    chain: Sequence[str],
    current_step: int,
    amount: Decimal,
    submitted_by: str,
    owner: str | None,
    contract: str,
    decided: Mapping[int, str] | Sequence[tuple[int, str]],
    verb: str = "approve",
    roles: Sequence[str] | None = None,
    assignee: str | None = None,
    limit_applies: bool = True,
) -> str | None:
    """Why ``decider`` may not decide the current step, or ``None`` when they may.

    ``chain`` holds the steps' labels (a role, or a group: see ``approval_steps``); ``roles``
    the roles of the current step still open (default: all of them). ``decided`` maps the
    steps already approved in this request to who approved them (or lists the pairs, when a
    group step has several). ``assignee``: the one person the step was handed to. The same
    rules hold for approving and rejecting, and for admins too, except the approval limit: a
    rejection approves nothing, so the limit does not apply to it, nor to a step before the
    last when the rule's limits are ``last`` (``limit_applies`` false).
    """
    login = decider.login
    label = chain[current_step - 1]
    step = parse_step(label)
    open_roles = tuple(roles) if roles is not None else step.roles
    if assignee is not None and assignee != login:
        return _(
            "step {step} of request {request} was handed to {assignee}; only they may decide it"
        ).format(step=current_step, request=request_id, assignee=assignee)
    if assignee is None and not set(open_roles) & set(decider.roles):
        role = label if open_roles == step.roles else "/".join(open_roles)
        return _wrong_role(
            decider, request_id=request_id, chain=chain, current_step=current_step, role=role
        )
    if login == submitted_by:
        return _(
            "{login} submitted request {request} and may not {verb} it; "
            "another holder of the role must decide (segregation of duties)"
        ).format(login=login, request=request_id, verb=_verb(verb))
    if owner is not None and login == owner:
        return _(
            "{login} owns contract {contract} and may not {verb} its request {request}; "
            "another holder of the role must decide (segregation of duties)"
        ).format(login=login, contract=contract, request=request_id, verb=_verb(verb))
    mine = sorted(seq for seq, who in _decided_pairs(decided) if who == login)
    if mine:
        seq = mine[0]
        return _(
            "{login} already approved step {step} ({role}) of request {request}; "
            "one person approves at most one step of a request"
        ).format(login=login, step=seq, role=chain[seq - 1], request=request_id)
    if verb == "approve" and limit_applies and decider.limit is not None and amount > decider.limit:
        return _(
            "{login}'s approval limit {limit} does not cover the amount {amount} of request "
            "{request}"
        ).format(
            login=login,
            limit=format_amount(decider.limit),
            amount=format_amount(amount),
            request=request_id,
        )
    return None


# The verbs a decision refusal names, in words (the code passes the English verb).
_VERBS = {"approve": N_("approve"), "reject": N_("reject"), "delegate": N_("hand over")}


def _verb(verb: str) -> str:
    return _(_VERBS[verb]) if verb in _VERBS else verb
