"""`quote list` and `quote show`."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import quote_states as qs
from bizops.domain.policy import Policy
from bizops.domain.vocab import one_of
from bizops.services.lookup import find_customer
from bizops.services.quotes.records import find_quote, quote_view
from bizops.services.users import find_user
from bizops.services.views.quotes import QuoteRow, QuoteView
from bizops.store.models import Customer, Quote, User
from bizops.store.scope import scope_of


def show_quote(session: Session, *, ref: str, policy: Policy, today: date) -> QuoteView:
    return quote_view(session, find_quote(session, ref), policy=policy, today=today)


def _row(r: Any, today: date) -> QuoteRow:
    return {
        "number": r.number,
        "customer": r.code,
        "customer_name": r.name,
        "owner": r.login,
        "status": qs.effective_status(r.status, r.valid_until, today),
        "amount": r.amount,
        "currency": r.currency,
        "discount_pct": r.discount_pct,
        "valid_until": r.valid_until,
        "created_on": r.created_on,
    }


def list_quotes(
    session: Session,
    *,
    today: date,
    status: str | None = None,
    customer: str | None = None,
    owner: str | None = None,
) -> list[QuoteRow]:
    """`quote list`: newest first; ``status`` may be ``expired`` (computed from today)."""
    query = (
        select(
            col(Quote.number),
            col(Quote.status),
            col(Quote.valid_until),
            col(Quote.amount),
            col(Quote.currency),
            col(Quote.discount_pct),
            col(Quote.created_on),
            col(Customer.code),
            col(Customer.name),
            col(User.login),
        )
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .join(User, col(User.id) == col(Quote.owner_id))
        .order_by(col(Quote.id).desc())
        .where(scope_of(session).contract_clause(col(Quote.customer_id), col(Quote.owner_id)))
    )
    if customer:
        query = query.where(col(Quote.customer_id) == find_customer(session, customer).id)
    if owner:
        query = query.where(col(Quote.owner_id) == find_user(session, owner, field="--owner").id)
    rows = [_row(r, today) for r in session.execute(query)]
    if status:
        wanted = one_of(status, qs.STATES, "--status")
        rows = [r for r in rows if r["status"] == wanted]
    return rows
