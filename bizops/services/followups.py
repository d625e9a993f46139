"""Follow-ups: every active customer has exactly one open follow-up (seed C6, C7).

The scheduling hooks at the top are what other services call when a customer is created,
changes grade or stage, or is archived.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain import cadence
from bizops.domain.policy import Policy
from bizops.store.models import Customer, FollowUp

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"


def open_followup(session: Session, customer_id: int) -> FollowUp | None:
    return session.execute(
        select(FollowUp).where(FollowUp.customer_id == customer_id, FollowUp.status == OPEN)
    ).scalar_one_or_none()


def open_first_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """A new customer's first-contact follow-up (none for lost or dormant ones)."""
    assert customer.id is not None
    if not cadence.has_followups(customer.stage, customer.archived_on is not None):
        return None
    followup = FollowUp(
        customer_id=customer.id,
        due=cadence.first_contact_due(policy, grade=customer.grade, created=today),
        status=OPEN,
        kind="first_contact",
        purpose="first contact",
        created_on=today,
    )
    session.add(followup)
    session.flush()
    return followup


def reschedule_open_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """After a grade, stage, cadence or archive change: keep exactly one open follow-up or none.

    A customer who has had contact is rescheduled from the last contact (never earlier than
    today); one never contacted keeps the first-contact schedule for the new grade.
    """
    assert customer.id is not None
    current = open_followup(session, customer.id)
    if not cadence.has_followups(customer.stage, customer.archived_on is not None):
        if current is not None:
            current.status = CANCELLED
            current.closed_on = today
            session.add(current)
            session.flush()
        return None
    if customer.last_contact_on is None:
        due = cadence.first_contact_due(policy, grade=customer.grade, created=customer.created_on)
        kind, purpose = "first_contact", "first contact"
    else:
        computed = cadence.next_due(
            policy,
            grade=customer.grade,
            stage=customer.stage,
            last=customer.last_contact_on,
            override=customer.cadence_days,
        )
        assert computed is not None
        due, kind, purpose = computed, "cadence", None
    if current is not None and current.kind == "planned":
        # A follow-up planned by hand for a specific date is the user's decision: keep it.
        return current
    due = max(due, cadence.on_working_day(policy, today)) if current is None else due
    if current is None:
        current = FollowUp(
            customer_id=customer.id,
            due=due,
            status=OPEN,
            kind=kind,
            purpose=purpose,
            created_on=today,
        )
    else:
        current.due = due
        current.kind = kind
    session.add(current)
    session.flush()
    return current
