"""Duplicate customers: the same name (case, width and punctuation ignored) or a contact email
another customer already has. Checked against the whole table, whoever may see the rows."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlmodel import Session, col

from bizops.domain.customer_fields import email_key
from bizops.domain.errors import Conflict
from bizops.domain.text import name_key
from bizops.i18n import _
from bizops.store.models import Contact, Customer, User
from bizops.store.scope import Scope

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


def _hidden(
    session: Session,
    *,
    name: str | None = None,
    email: str | None = None,
    exclude_id: int | None = None,
) -> str | None:
    """On PostgreSQL a member login does not see other reps' customers (row-level security):
    the whole table is asked through ``bizops_customer_duplicate``, which runs as the owner
    and says only whose customer the duplicate is."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    known = session.execute(
        text("SELECT to_regprocedure('bizops_customer_duplicate(text, text, integer)')")
    ).scalar_one()
    if known is None:
        return None
    row = session.execute(
        text("SELECT id, owner_id FROM bizops_customer_duplicate(:n, :e, :x)"),
        {"n": name, "e": email, "x": exclude_id},
    ).first()
    if row is None:
        return None
    owner = session.get(User, row[1]) if row[1] is not None else None
    return _("a customer of {owner}").format(owner=owner.login if owner else "?")


def describe(session: Session, customer: Customer, scope: Scope | None = None) -> str:
    """The duplicate as the actor may know it: its code and name, or only its owner when the
    actor may not see it (the rule holds over the whole table; the record stays hidden)."""
    if scope is not None and not scope.sees_customer(customer):
        owner = session.get(User, customer.owner_id) if customer.owner_id is not None else None
        return _("a customer of {owner}").format(owner=owner.login if owner else "?")
    if customer.archived_on:
        return _("{code} {name} (archived)").format(code=customer.code, name=customer.name)
    return f"{customer.code} {customer.name}"


def check_name_free(
    session: Session, name: str, *, exclude_id: int | None = None, scope: Scope | None = None
) -> None:
    key = name_key(name)
    found = _name_duplicate(session, key, exclude_id=exclude_id)
    customer = (
        describe(session, found, scope)
        if found is not None
        else _hidden(session, name=key, exclude_id=exclude_id)
    )
    if customer is not None:
        raise Conflict(
            _(
                "name: {name!r} duplicates existing customer {customer}; "
                "pass --allow-duplicate to keep both"
            ).format(name=name, customer=customer)
        )


def check_email_free(
    session: Session,
    email: str,
    *,
    exclude_customer: int | None = None,
    scope: Scope | None = None,
) -> None:
    key = email_key(email)
    assert key is not None
    found = _email_duplicate(session, key, exclude_customer=exclude_customer)
    customer = (
        describe(session, found, scope)
        if found is not None
        else _hidden(session, email=key, exclude_id=exclude_customer)
    )
    if customer is not None:
        raise Conflict(
            _(
                "email: {email} is already a contact of customer {customer}; "
                "pass --allow-duplicate to keep both"
            ).format(email=email, customer=customer)
        )
