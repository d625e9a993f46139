"""`customer add`: one new customer, checked by the shared field rules and written through the
ORM from the rows of the shared builder (``bizops.domain.customer_rows``), as an import is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from bizops.domain.customer_fields import (
    Company,
    ContactIn,
    NewCustomer,
    check_new_customer,
    format_contact,
    parse_contacts,
    repeated_email,
)
from bizops.domain.customer_rows import CustomerRows, build_customer_rows
from bizops.domain.errors import Conflict
from bizops.domain.policy import Policy
from bizops.i18n import N_, _
from bizops.services.customers.duplicates import check_email_free, check_name_free
from bizops.services.customers.permissions import active_owner, require_writer
from bizops.services.customers.profile import customer_view, now, record, snapshot
from bizops.services.customers.views import CustomerView
from bizops.services.visibility import scope_for
from bizops.store.counters import next_value
from bizops.store.models import Contact, Customer, CustomerTag, FollowUp, StageChange, User
from bizops.store.scope import Scope

__all__ = ["add_customer", "insert_customer_rows"]


def add_customer(
    session: Session,
    *,
    actor: User,
    name: str,
    grade: str,
    owner: str | User,
    policy: Policy,
    today: date,
    stage: str = "prospect",
    industry: str | None = None,
    region: str | None = None,
    source: str | None = None,
    potential: str | Decimal | int | None = None,
    intent: str | None = None,
    tags: Sequence[str] = (),
    contacts: Sequence[str | ContactIn] = (),
    note: str | None = None,
    needs: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    website: str | None = None,
    address: str | None = None,
    credit_code: str | None = None,
    allow_duplicate: bool = False,
) -> CustomerView:
    """Add a customer at ``stage`` (prospect by default) with its first-contact follow-up.

    ``phone``, ``email``, ``website``, ``address`` and ``credit_code`` are the company's own
    (a switchboard, a mailbox; the credit code's GB 32100 check digit is verified).

    ``signed`` and ``maintenance`` are refused as starting stages (``Conflict``): both need a
    signed contract, which a new customer cannot have.
    """
    require_writer(actor, N_("add customers"))

    def owner_id() -> int:
        user = active_owner(session, owner)
        assert user.id is not None
        return user.id

    new = check_new_customer(
        name=name,
        grade=grade,
        stage=stage,
        owner=owner_id,
        contacts=lambda: parse_contacts(contacts),
        industry=industry,
        region=region,
        source=source,
        potential=potential,
        intent=intent,
        tags=tags,
        note=note,
        needs=needs,
        company=Company(phone, email, website, address, credit_code),
    )
    # The duplicate rule reads the whole table; a customer the actor may not see is named by
    # its owner alone.
    scope = scope_for(session, actor, policy)
    _check_duplicates(session, new, allow_duplicate=allow_duplicate, scope=scope)
    code = policy.customer_code.format(seq=next_value(session, "customer"))
    rows = build_customer_rows(
        new, code=code, policy=policy, today=today, now=now(), actor=actor.login, reason="created"
    )
    customer = insert_customer_rows(session, rows)
    after = snapshot(session, customer)
    after["contacts"] = [format_contact(c) for c in new.contacts]
    record(session, actor, "customer.add", customer, after=after)
    return customer_view(session, customer)


def _check_duplicates(
    session: Session, new: NewCustomer, *, allow_duplicate: bool, scope: Scope | None = None
) -> None:
    repeated = repeated_email(new.contacts)
    if repeated is not None:
        raise Conflict(_("email: {email} is given for two contacts").format(email=repeated))
    if allow_duplicate:
        return
    check_name_free(session, new.name, scope=scope)
    for contact in new.contacts:
        if contact.email:
            check_email_free(session, contact.email, scope=scope)


def insert_customer_rows(session: Session, rows: CustomerRows) -> Customer:
    """Write one customer's rows through the ORM, in the caller's transaction."""
    customer_row, contacts, tags, stage, followup = rows
    customer = Customer(**customer_row._asdict())
    session.add(customer)
    session.flush()
    customer_id = customer.id
    assert customer_id is not None
    session.add_all([Contact(customer_id=customer_id, **c._asdict()) for c in contacts])
    session.add_all([CustomerTag(customer_id=customer_id, tag=tag) for tag in tags])
    session.add(StageChange(customer_id=customer_id, **stage._asdict()))
    if followup is not None:
        session.add(FollowUp(customer_id=customer_id, **followup._asdict()))
    session.flush()
    return customer
