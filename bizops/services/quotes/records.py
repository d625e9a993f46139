"""Finding a quote, reading its lines, and the figures and view built from them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import quote_states as qs
from bizops.domain.errors import Invalid, NotFound, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.policy.quotes import QuoteRoute, QuoteTerms, route_quote
from bizops.domain.quotes import LineTerms, QuoteTotals, quote_totals, shown_pct
from bizops.domain.roles import ADMIN, MANAGER
from bizops.i18n import _
from bizops.services.views.quotes import QuoteLineView, QuoteView
from bizops.store.models import Customer, Quote, QuoteLine, User
from bizops.store.scope import scope_of


def find_quote(session: Session, ref: str, *, field: str = "quote") -> Quote:
    text = (ref or "").strip().upper()
    if not text:
        raise Invalid(_("{field}: empty quote number").format(field=field))
    found = session.execute(select(Quote).where(col(Quote.number) == text)).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _("{field}: no quote {number}; see `bizops quote list`").format(
                field=field, number=text
            )
        )
    scope_of(session).require_quote(session, found)
    return found


def lines_of(session: Session, quote: Quote) -> list[QuoteLine]:
    return list(
        session.execute(
            select(QuoteLine)
            .where(col(QuoteLine.quote_id) == quote.id)
            .order_by(col(QuoteLine.seq))
        ).scalars()
    )


def line_terms(line: QuoteLine) -> LineTerms:
    return LineTerms(
        quantity=line.quantity,
        unit_price=line.unit_price,
        tax_rate=line.tax_rate,
        list_price=line.list_price,
        floor_price=line.floor_price,
    )


def totals_of(lines: list[QuoteLine]) -> QuoteTotals:
    return quote_totals([line_terms(x) for x in lines])


def routing_terms(totals: QuoteTotals, amount: Decimal | None = None) -> QuoteTerms:
    """What the quote matrix routes on; ``amount``: the total in the base currency."""
    return QuoteTerms(
        line_discount=totals.max_line_discount_pct,
        total_discount=totals.discount_pct,
        amount=totals.gross if amount is None else amount,
        below_floor=totals.below_floor,
    )


def in_base(policy: Policy, quote: Quote, totals: QuoteTotals) -> Decimal:
    """The quote's total in the policy's base currency (what the matrix and the limits
    compare); a currency without a rate is ``Invalid``, naming the rate to add."""
    if totals.gross == 0:
        return totals.gross
    try:
        return policy.to_base(totals.gross, quote.currency)
    except Invalid as exc:
        raise Invalid(
            _("{subject} cannot be submitted: {why}").format(
                subject=_("quote {number}").format(number=quote.number), why=exc.message
            )
        ) from None


def route_of(policy: Policy, quote: Quote, totals: QuoteTotals) -> QuoteRoute:
    number = quote.number
    terms = routing_terms(totals, in_base(policy, quote, totals))
    found = route_quote(policy.quote_rules, terms)
    if found is None:
        raise Invalid(
            _(
                "quote {number} matches no rule of approval.quote_rules ({terms}); an admin "
                "must add a catch-all rule to the policy"
            ).format(number=number, terms=terms.describe())
        )
    return found


def refresh(session: Session, quote: Quote) -> QuoteTotals:
    """Keep the quote's cached figures (for listings and reports) in step with its lines."""
    totals = totals_of(lines_of(session, quote))
    quote.amount = totals.gross
    quote.discount_pct = shown_pct(totals.discount_pct)
    session.add(quote)
    return totals


def require_quote_writer(session: Session, actor: User, quote: Quote) -> None:
    """The quote's owner changes and moves it; managers and admins any quote."""
    if actor.has_role(MANAGER) or actor.has_role(ADMIN) or actor.id == quote.owner_id:
        return
    owner = session.get(User, quote.owner_id)
    raise NotPermitted(
        _("quote {number} belongs to {owner}; only its owner or a manager may change it").format(
            number=quote.number, owner=owner.login if owner else quote.owner_id
        )
    )


def _line_view(line: QuoteLine, totals: QuoteTotals) -> QuoteLineView:
    t = totals.lines[line.seq - 1]
    return {
        "line": line.seq,
        "code": line.code,
        "name": line.name,
        "spec": line.spec,
        "unit": line.unit,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "list_price": line.list_price,
        "tax_rate": line.tax_rate,
        "amount": t.amount,
        "tax": t.tax,
        "gross": t.gross,
        "discount_pct": shown_pct(t.discount_pct),
        "discount_amount": t.discount_amount,
        "below_floor": t.below_floor,
    }


def quote_view(session: Session, quote: Quote, *, policy: Policy, today: date) -> QuoteView:
    lines = lines_of(session, quote)
    totals = totals_of(lines)
    customer = session.get(Customer, quote.customer_id)
    owner = session.get(User, quote.owner_id)
    assert customer is not None and owner is not None
    route = None
    if lines and (quote.currency == policy.currency or quote.currency in policy.rates):
        # In a currency without a rate the quote has no route yet (submitting says why).
        terms = routing_terms(totals, policy.to_base(totals.gross, quote.currency))
        route = route_quote(policy.quote_rules, terms)
    status = qs.effective_status(quote.status, quote.valid_until, today)
    return {
        "number": quote.number,
        "customer": customer.code,
        "customer_name": customer.name,
        "owner": owner.login,
        "status": status,
        "currency": quote.currency,
        "valid_until": quote.valid_until,
        "template": quote.template_name,
        "terms": dict(quote.terms or {}),
        "lines": [_line_view(x, totals) for x in lines],
        "amount": totals.amount,
        "tax": totals.tax,
        "gross": totals.gross,
        "list_amount": totals.list_amount,
        "discount_amount": totals.discount_amount,
        "discount_pct": shown_pct(totals.discount_pct),
        "max_line_discount_pct": shown_pct(totals.max_line_discount_pct),
        "below_floor_lines": list(totals.below_floor_lines),
        "rule": route.rule.name if route else None,
        "needs_approval": route.needs_approval if route else None,
        "route": route.reason if route else None,
        "allowed_moves": [] if status == qs.EXPIRED else qs.allowed_moves(status),
        "created_on": quote.created_on,
        "sent_on": quote.sent_on,
        "decided_on": quote.decided_on,
        "reject_reason": quote.reject_reason,
        "contract": quote.contract_number,
    }
