"""Approval requests about quotes: routed by the quote matrix, then the same steps, SLA,
limits, copies and decisions as a contract's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import approval as rules
from bizops.domain.approval_steps import LIMITS_EVERY
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.approvals.copies import add_copies, policy_cc
from bizops.services.approvals.coverage import uncovered_steps
from bizops.services.approvals.requests import _add_steps, in_base_keys, snapshot
from bizops.store import audit
from bizops.store.models import ApprovalRequest, Quote, User


def _refuse_a_second_request(session: Session, quote: Quote) -> None:
    open_id = session.execute(
        select(col(ApprovalRequest.id)).where(
            col(ApprovalRequest.quote_id) == quote.id,
            col(ApprovalRequest.status) == rules.PENDING,
        )
    ).scalar_one_or_none()
    if open_id is not None:
        raise Conflict(
            _(
                "quote {number} already has pending approval request {id}; "
                "it must be decided or withdrawn first (bizops approval withdraw {id})"
            ).format(number=quote.number, id=open_id)
        )


def _refuse_uncovered(
    session: Session, quote: Quote, chain: tuple[str, ...], amount: Decimal, limits: str
) -> None:
    missing = uncovered_steps(session, chain=chain, amount=amount, limits=limits)
    if missing:
        raise Invalid(
            _(
                "{subject} cannot be submitted: no one could approve it; {why}; "
                "give a holder of the role a higher limit (`bizops user update`)"
            ).format(
                subject=_("quote {number}").format(number=quote.number),
                why=_("; ").join(m.message(amount) for m in missing),
            )
        )


def open_quote_request(
    session: Session,
    *,
    actor: User,
    quote: Quote,
    rule: str,
    reason: str,
    chain: tuple[str, ...],
    amount: Decimal,
    policy: Policy,
    today: date,
    amount_in_base: Decimal | None = None,
    limits: str = LIMITS_EVERY,
) -> ApprovalRequest:
    """A request for a quote, routed by the quote matrix (the caller explains the route);
    the same steps (roles, 会签 and 或签 groups), SLA, limits (``limits``: ``every`` step or
    only the ``last``), copies (``[[approval.cc]]`` naming the rule) and decisions as a
    contract's. A quote with a
    pending request already is a ``Conflict``; a step no active user could approve for the
    amount is ``Invalid``. ``amount_in_base``: the amount in the policy's base currency, which
    the limits compare (when the quote is in another currency)."""
    assert quote.id is not None
    _refuse_a_second_request(session, quote)
    limited = amount if amount_in_base is None else amount_in_base
    in_base = amount_in_base if quote.currency != policy.currency else None
    _refuse_uncovered(session, quote, chain, limited, limits)
    request = ApprovalRequest(
        quote_id=quote.id,
        rule_name=rule,
        rule_reason=reason,
        chain=list(chain),
        amount=amount,
        amount_in_base=in_base,
        status=rules.PENDING,
        current_step=1,
        submitted_by=actor.login,
        submitted_on=today,
        submitted_at=datetime.now(UTC),
        limits=limits,
        policy_version=policy.version,
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    steps = _add_steps(session, request.id, chain, policy=policy, today=today)
    copied = add_copies(
        session,
        request,
        given=(),
        from_policy=policy_cc(session, policy, rule),
        today=today,
        skip=(actor.login,),
    )
    audit.record(
        session,
        actor=actor.login,
        action="approval.open",
        entity_type="approval",
        entity_id=request.id,
        after={
            "quote": quote.number,
            "rule": rule,
            "reason": reason,
            "chain": list(chain),
            "amount": amount,
            **in_base_keys(request, policy),
            "policy_version": policy.version,
            **snapshot(request, steps),
            **({"limits": limits} if limits != LIMITS_EVERY else {}),
            **({"cc": copied} if copied else {}),
        },
    )
    return request
