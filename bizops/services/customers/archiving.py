"""Archive and restore: customers are never deleted (a customer with contracts keeps them)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.domain.errors import Conflict
from bizops.domain.policy import Policy
from bizops.services.customers.permissions import require_may_change
from bizops.services.customers.profile import customer_view, record
from bizops.services.customers.views import CustomerView
from bizops.services.followups import reschedule_open_followup
from bizops.services.lookup import find_customer
from bizops.store.models import User

__all__ = ["archive_customer", "restore_customer"]


def archive_customer(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> CustomerView:
    """Hide a customer from lists and cancel its follow-up. Customers are never deleted."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    if customer.archived_on is not None:
        raise Conflict(f"customer {customer.code} was already archived on {customer.archived_on}")
    customer.archived_on = today
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    record(
        session,
        actor,
        "customer.archive",
        customer,
        before={"archived": None},
        after={"archived": today},
    )
    return customer_view(session, customer)


def restore_customer(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> CustomerView:
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    if customer.archived_on is None:
        raise Conflict(f"customer {customer.code} is not archived")
    before = customer.archived_on
    customer.archived_on = None
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    record(
        session,
        actor,
        "customer.restore",
        customer,
        before={"archived": before},
        after={"archived": None},
    )
    return customer_view(session, customer)
