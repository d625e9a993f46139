"""A quote's way to the customer: `quote route`, `submit`, `send`, `accept`, `reject`, and
what an approval decision does to it (``apply_outcome``).

Submitting routes the quote through ``[[approval.quote_rules]]``: a rule with an empty chain
approves it at once; otherwise a request opens with the same steps, SLA and decisions as a
contract's (`bizops approval approve Q-...`).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.domain import approval as approval_rules
from bizops.domain import quote_states as qs
from bizops.domain.errors import Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services import approvals
from bizops.services.approvals import Outcome
from bizops.services.quotes.records import (
    find_quote,
    in_base,
    lines_of,
    quote_view,
    refresh,
    require_quote_writer,
    route_of,
    totals_of,
)
from bizops.services.views.quotes import QuoteRouteView, QuoteView
from bizops.store import audit
from bizops.store.models import Quote, User


def _move(
    session: Session,
    actor: User,
    quote: Quote,
    move: str,
    target: str,
    today: date,
    **extra: object,
) -> None:
    before = {"status": quote.status}
    quote.status = target
    session.add(quote)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action=f"quote.{move}",
        entity_type="quote",
        entity_id=quote.number,
        before=before,
        after={"status": quote.status, "amount": quote.amount, "on": today, **extra},
    )


def route(session: Session, *, ref: str, policy: Policy) -> QuoteRouteView:
    """`quote route`: which rule of the quote matrix decides, why, and who approves."""
    quote = find_quote(session, ref)
    found = route_of(policy, quote, totals_of(lines_of(session, quote)))
    return {
        "quote": quote.number,
        "rule": found.rule.name,
        "reason": found.reason,
        "chain": list(found.chain),
        "needs_approval": found.needs_approval,
    }


def submit_quote(
    session: Session, *, actor: User, ref: str, policy: Policy, today: date
) -> QuoteView:
    """`quote submit`: route the quote; approved at once when its rule needs no approval."""
    quote = find_quote(session, ref)
    require_quote_writer(session, actor, quote)
    target = qs.check_move(
        quote.number, quote.status, "submit", valid_until=quote.valid_until, today=today
    )
    lines = lines_of(session, quote)
    if not lines:
        raise Invalid(
            _("quote {number} has no lines; add one with `bizops quote line add`").format(
                number=quote.number
            )
        )
    totals = refresh(session, quote)
    found = route_of(policy, quote, totals)
    if not found.needs_approval:
        _move(session, actor, quote, "approve", qs.APPROVED, today, rule=found.rule.name)
        return quote_view(session, quote, policy=policy, today=today)
    request = approvals.open_quote_request(
        session,
        actor=actor,
        quote=quote,
        rule=found.rule.name,
        reason=found.reason,
        chain=found.chain,
        amount=totals.gross,
        amount_in_base=in_base(policy, quote, totals),
        limits=found.rule.limits,
        policy=policy,
        today=today,
    )
    _move(session, actor, quote, "submit", target, today, request=request.id)
    return quote_view(session, quote, policy=policy, today=today)


def send_quote(
    session: Session, *, actor: User, ref: str, policy: Policy, today: date
) -> QuoteView:
    """`quote send`: an approved quote, still valid, goes to the customer."""
    quote = find_quote(session, ref)
    require_quote_writer(session, actor, quote)
    target = qs.check_move(
        quote.number, quote.status, "send", valid_until=quote.valid_until, today=today
    )
    quote.sent_on = today
    _move(session, actor, quote, "send", target, today)
    return quote_view(session, quote, policy=policy, today=today)


def accept_quote(
    session: Session, *, actor: User, ref: str, policy: Policy, today: date
) -> QuoteView:
    """`quote accept`: the customer accepted a sent quote before it expired."""
    quote = find_quote(session, ref)
    require_quote_writer(session, actor, quote)
    target = qs.check_move(
        quote.number, quote.status, "accept", valid_until=quote.valid_until, today=today
    )
    quote.decided_on = today
    _move(session, actor, quote, "accept", target, today)
    return quote_view(session, quote, policy=policy, today=today)


def reject_quote(
    session: Session, *, actor: User, ref: str, reason: str | None, policy: Policy, today: date
) -> QuoteView:
    """`quote reject --reason`: the customer turned a sent quote down."""
    text = check_text(reason, "--reason")
    if not text:
        raise Invalid(_('--reason: say why the customer declined, e.g. --reason "price too high"'))
    quote = find_quote(session, ref)
    require_quote_writer(session, actor, quote)
    target = qs.check_move(
        quote.number, quote.status, "reject", valid_until=quote.valid_until, today=today
    )
    quote.decided_on = today
    quote.reject_reason = text
    _move(session, actor, quote, "reject", target, today, reason=text)
    return quote_view(session, quote, policy=policy, today=today)


# The quote's move for each way its request closes.
_MOVES = {
    approval_rules.APPROVED: "approve",
    approval_rules.REJECTED: "reject_approval",
    approval_rules.WITHDRAWN: "withdraw",
}


def apply_outcome(session: Session, *, outcome: Outcome, actor: User, today: date) -> None:
    """Carry an approval decision over to the quote: approved, or back to draft."""
    if not outcome.closed or outcome.quote_id is None:
        return
    quote = session.get(Quote, outcome.quote_id)
    if quote is None:
        raise NotFound(
            _("approval request {request}: quote {quote} is gone").format(
                request=outcome.request_id, quote=outcome.quote_id
            )
        )
    move = _MOVES[outcome.status]
    # A decision is never refused for the quote's validity: the owner extends it afterwards.
    target = qs.MOVES[move][1]
    if quote.status not in qs.MOVES[move][0]:
        return
    _move(session, actor, quote, move, target, today, request=outcome.request_id)


def mark_contracted(session: Session, *, actor: User, quote: Quote, contract: str) -> None:
    """An accepted quote became ``contract`` (`contract new --from-quote`)."""
    quote.contract_number = contract
    session.add(quote)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="quote.contract",
        entity_type="quote",
        entity_id=quote.number,
        after={"contract": contract},
    )
