"""A customer's contacts: one of them is the primary contact while there are any."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.customer_fields import ContactIn, check_contact, email_key, parse_contact
from bizops.domain.customer_rows import contact_rows
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.text import fold
from bizops.services.customers.duplicates import check_email_free
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import record
from bizops.services.customers.views import ContactView
from bizops.services.lookup import find_customer
from bizops.store.models import Contact, Customer, User

__all__ = ["add_contact", "list_contacts", "remove_contact"]


def contact_view(c: Contact) -> ContactView:
    assert c.id is not None
    return {
        "id": c.id,
        "name": c.name,
        "title": c.title,
        "phone": c.phone,
        "email": c.email,
        "primary": c.is_primary,
    }


def contacts_of(session: Session, customer_id: int) -> list[Contact]:
    """The primary contact first, then the others in the order they were added."""
    return list(
        session.execute(
            select(Contact)
            .where(col(Contact.customer_id) == customer_id)
            .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        ).scalars()
    )


def list_contacts(session: Session, *, ref: str | int) -> list[ContactView]:
    customer = find_customer(session, ref)
    assert customer.id is not None
    return [contact_view(c) for c in contacts_of(session, customer.id)]


def add_contact(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    contact: str | ContactIn,
    primary: bool = False,
    allow_duplicate: bool = False,
) -> ContactView:
    """Add a contact; the first one (or one added with ``primary``) is the primary contact."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    assert customer.id is not None
    parsed = parse_contact(contact) if isinstance(contact, str) else check_contact(contact)
    existing = contacts_of(session, customer.id)
    if parsed.email:
        key = email_key(parsed.email)
        same = [c for c in existing if c.email_key == key]
        if same:
            raise Conflict(
                f"email: {parsed.email} is already contact {same[0].name} of {customer.code}"
            )
        if not allow_duplicate:
            check_email_free(session, parsed.email, exclude_customer=customer.id)
    make_primary = primary or parsed.primary or not existing
    if make_primary:
        for c in existing:
            if c.is_primary:
                c.is_primary = False
                session.add(c)
    [values] = contact_rows([parsed], primary=0 if make_primary else None)
    row = Contact(customer_id=customer.id, **values._asdict())
    session.add(row)
    session.flush()
    record(session, actor, "customer.contact.add", customer, after=contact_view(row))
    return contact_view(row)


def _find_contact(session: Session, customer: Customer, ref: str) -> Contact:
    assert customer.id is not None
    contacts = contacts_of(session, customer.id)
    text = ref.strip()
    if text.isdigit():
        for c in contacts:
            if c.id == int(text):
                return c
    key = fold(text)
    matches = [c for c in contacts if fold(c.name) == key or (c.email_key and c.email_key == key)]
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(f"{c.id} {c.name}" for c in (matches or contacts)) or "(none)"
    if matches:
        raise Invalid(f"contact: {ref!r} is ambiguous; it could be {shown}; give the id")
    raise NotFound(f"contact: {customer.code} has no contact {ref!r}; its contacts: {shown}")


def remove_contact(session: Session, *, actor: User, ref: str | int, contact: str) -> ContactView:
    """Remove a contact; if it was the primary, the oldest remaining one becomes primary."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    assert customer.id is not None
    row = _find_contact(session, customer, contact)
    gone = contact_view(row)
    session.delete(row)
    session.flush()
    if row.is_primary:
        rest = contacts_of(session, customer.id)
        if rest:
            oldest = min(rest, key=lambda c: c.id or 0)
            oldest.is_primary = True
            session.add(oldest)
            session.flush()
    record(session, actor, "customer.contact.remove", customer, before=gone)
    return gone
