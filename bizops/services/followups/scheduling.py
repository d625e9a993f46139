"""The scheduling hooks other services call: a customer is created, changes grade, stage or
cadence, is archived or restored. Every active customer has exactly one open follow-up."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from bizops.domain import cadence
from bizops.domain.policy import Policy
from bizops.services.followups.status import (
    CADENCE,
    CANCELLED,
    FIRST_CONTACT,
    FIRST_CONTACT_PURPOSE,
    OPEN,
    PLANNED,
)
from bizops.store.models import Customer, FollowUp

if TYPE_CHECKING:
    from sqlmodel import Session


def open_followup(session: Session, customer_id: int) -> FollowUp | None:
    """The customer's open follow-up, if it has one."""
    return session.execute(
        select(FollowUp).where(
            col(FollowUp.customer_id) == customer_id, col(FollowUp.status) == OPEN
        )
    ).scalar_one_or_none()


def open_first_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """A new customer's first follow-up (none for lost, dormant or archived ones).

    Never contacted: the first-contact rule (1/3/7 days by grade). A customer that arrives
    with a last contact (an import) is scheduled by its cadence instead. Calling it again
    returns the open follow-up rather than opening a second one.
    """
    assert customer.id is not None
    if customer.owner_id is None or not cadence.has_followups(
        customer.stage, customer.archived_on is not None
    ):
        return None
    existing = open_followup(session, customer.id)
    if existing is not None:
        return existing
    if customer.last_contact_on is None:
        due = cadence.first_contact_due(policy, grade=customer.grade, created=today)
        kind, purpose = FIRST_CONTACT, FIRST_CONTACT_PURPOSE
    else:
        scheduled = cadence.rescheduled_due(
            policy,
            grade=customer.grade,
            stage=customer.stage,
            last_contact=customer.last_contact_on,
            created=customer.created_on,
            today=today,
            override=customer.cadence_days,
        )
        assert scheduled is not None
        due, kind, purpose = scheduled, CADENCE, None
    followup = FollowUp(
        customer_id=customer.id,
        due=due,
        status=OPEN,
        kind=kind,
        purpose=purpose,
        created_on=today,
    )
    session.add(followup)
    session.flush()
    return followup


def reschedule_open_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """After a grade, stage, cadence, archive or restore change: one open follow-up or none.

    Lost, dormant and archived customers, and those in the shared pool (no owner), lose their
    open follow-up (cancelled today). Others are rescheduled by ``cadence.rescheduled_due``:
    from the last contact (or the first-contact rule), never making a follow-up overdue that
    was not, never more overdue than it was.
    A follow-up planned by hand for a date (``followups plan``, ``log --next``) keeps it.
    """
    assert customer.id is not None
    current = open_followup(session, customer.id)
    if customer.owner_id is None or not cadence.has_followups(
        customer.stage, customer.archived_on is not None
    ):
        if current is not None:
            current.status = CANCELLED
            current.closed_on = today
            session.add(current)
            session.flush()
        return None
    due = cadence.rescheduled_due(
        policy,
        grade=customer.grade,
        stage=customer.stage,
        last_contact=customer.last_contact_on,
        created=customer.created_on,
        today=today,
        current_due=current.due if current is not None else None,
        override=customer.cadence_days,
    )
    assert due is not None
    if current is not None and current.kind == PLANNED:
        return current
    kind = FIRST_CONTACT if customer.last_contact_on is None else CADENCE
    if current is None:
        current = FollowUp(
            customer_id=customer.id,
            due=due,
            status=OPEN,
            kind=kind,
            purpose=FIRST_CONTACT_PURPOSE if kind == FIRST_CONTACT else None,
            created_on=today,
        )
    else:
        current.due = due
        current.kind = kind
    session.add(current)
    session.flush()
    return current
