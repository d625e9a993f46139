"""Duplicate customers: the same name (case, width and punctuation ignored) or a contact email
another customer already has. Checked against the whole table, whoever may see the rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.customer_fields import email_key
from bizops.domain.errors import Conflict
from bizops.domain.text import name_key
from bizops.store.models import Contact, Customer

__all__ = ["check_email_free", "check_name_free", "describe"]


def _name_duplicate(
    session: Session, key: str, *, exclude_id: int | None = None
) -> Customer | None:
    query = select(Customer).where(col(Customer.name_key) == key).order_by(col(Customer.id))
    if exclude_id is not None:
        query = query.where(col(Customer.id) != exclude_id)
    return session.execute(query.limit(1)).scalars().first()


def _email_duplicate(
    session: Session, key: str, *, exclude_customer: int | None = None
) -> Customer | None:
    query = (
        select(Customer)
        .join(Contact, col(Contact.customer_id) == col(Customer.id))
        .where(col(Contact.email_key) == key)
        .order_by(col(Customer.id))
    )
    if exclude_customer is not None:
        query = query.where(col(Customer.id) != exclude_customer)
    return session.execute(query.limit(1)).scalars().first()


def describe(customer: Customer) -> str:
    archived = " (archived)" if customer.archived_on else ""
    return f"{customer.code} {customer.name}{archived}"


def check_name_free(session: Session, name: str, *, exclude_id: int | None = None) -> None:
    found = _name_duplicate(session, name_key(name), exclude_id=exclude_id)
    if found is not None:
        raise Conflict(
            f"name: {name!r} duplicates existing customer {describe(found)}; "
            "pass --allow-duplicate to keep both"
        )


def check_email_free(session: Session, email: str, *, exclude_customer: int | None = None) -> None:
    key = email_key(email)
    assert key is not None
    found = _email_duplicate(session, key, exclude_customer=exclude_customer)
    if found is not None:
        raise Conflict(
            f"email: {email} is already a contact of customer {describe(found)}; "
            "pass --allow-duplicate to keep both"
        )
