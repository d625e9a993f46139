"""Contracts as rows: `contract list` and the summary every write returns.

"Ending" (signed or active, ending within so many days) is defined once here, with its order
(soonest end first, then the contract id): `contract list --expiring` and the renewal
reminders (``expiry``) both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.dates import parse_duration_days
from bizops.domain.vocab import CONTRACT_TYPES, one_of
from bizops.services.contracts.terms import template_ref
from bizops.services.lookup import find_customer
from bizops.services.paging import page
from bizops.services.users import find_user
from bizops.services.views.contracts import ContractRow, ExpiringContractRow
from bizops.store.models import Contract, Customer, User
from bizops.store.scope import scope_of


def list_query() -> Any:
    """Every column a contract row shows, with its customer and owner."""
    return (
        select(
            col(Contract.id),
            col(Contract.number),
            col(Contract.title),
            col(Customer.name).label("customer"),
            col(Customer.code).label("customer_code"),
            col(User.login).label("owner"),
            col(Contract.owner_id),
            col(Contract.type),
            col(Contract.amount),
            col(Contract.currency),
            col(Contract.risk),
            col(Contract.status),
            col(Contract.start),
            col(Contract.end),
            col(Contract.template_name),
            col(Contract.template_version),
            col(Contract.non_standard),
            col(Contract.notice_days),
        )
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .join(User, col(User.id) == col(Contract.owner_id))
    )


def contract_row(row: Any) -> ContractRow:
    return {
        "id": row.id,
        "number": row.number,
        "title": row.title,
        "customer": row.customer,
        "customer_code": row.customer_code,
        "owner": row.owner,
        "type": row.type,
        "amount": row.amount,
        "currency": row.currency,
        "risk": row.risk,
        "status": row.status,
        "start": row.start,
        "end": row.end,
        "template": template_ref(row.template_name, row.template_version),
        "non_standard": bool(row.non_standard),
        "notice_days": row.notice_days,
    }


def expiring_row(row: Any, today: date) -> ExpiringContractRow:
    return {**contract_row(row), "days_left": (row.end - today).days}


def contract_summary(session: Session, contract: Contract) -> ContractRow:
    row = session.execute(list_query().where(col(Contract.id) == contract.id)).one()
    return contract_row(row)


def ending(query: Any, *, today: date, within_days: int, ended: bool = False) -> Any:
    """Narrow ``query`` to signed or active contracts ending within ``within_days`` of today
    (and, with ``ended``, those past their end but still signed or active), soonest first."""
    query = query.where(
        col(Contract.status).in_(cs.PERFORMING),
        col(Contract.end) <= today + timedelta(days=within_days),
    )
    if not ended:
        query = query.where(col(Contract.end) >= today)
    return query.order_by(col(Contract.end), col(Contract.id))


def _states(value: str) -> list[str]:
    return [one_of(part, cs.STATES, "--status") for part in value.split(",") if part.strip()]


def _filtered(
    session: Session,
    query: Any,
    *,
    status: Iterable[str] | None,
    customer: str | int | None,
    owner: str | None,
    type: str | None,
    non_standard: bool | None,
) -> Any:
    statuses = [state for s in (status or ()) for state in _states(s)]
    if statuses:
        query = query.where(col(Contract.status).in_(statuses))
    if customer is not None:
        query = query.where(col(Contract.customer_id) == find_customer(session, customer).id)
    if owner is not None:
        query = query.where(col(Contract.owner_id) == find_user(session, owner, field="--owner").id)
    if type is not None:
        query = query.where(col(Contract.type) == one_of(type, CONTRACT_TYPES, "--type"))
    if non_standard is not None:
        query = query.where(col(Contract.non_standard).is_(non_standard))
    return scope_of(session).only_contracts(query)


def list_contracts(
    session: Session,
    *,
    status: Iterable[str] | None = None,
    customer: str | int | None = None,
    owner: str | None = None,
    type: str | None = None,
    expiring: str | None = None,
    non_standard: bool | None = None,
    today: date,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[ContractRow]:
    """Contracts by number, filtered. ``expiring`` (``30d``): signed or active, ending
    between today and that many days from now, soonest first, with ``days_left``.
    ``limit`` (0 or None: all) and ``offset`` page the query itself."""
    query = _filtered(
        session,
        list_query(),
        status=status,
        customer=customer,
        owner=owner,
        type=type,
        non_standard=non_standard,
    )
    if expiring is None:
        query = page(query.order_by(col(Contract.id)), limit=limit, offset=offset)
        return (contract_row(row) for row in session.execute(query))
    days = parse_duration_days(expiring, today, field="--expiring")
    query = page(ending(query, today=today, within_days=days), limit=limit, offset=offset)
    return (expiring_row(row, today) for row in session.execute(query))
