"""Follow-ups: every active customer has exactly one open follow-up (seed C6, C7).

The scheduling hooks at the top are what other services call when a customer is created,
changes grade or stage, or is archived.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, literal, select
from sqlalchemy.types import Date
from sqlmodel import Session, col

from bizops.domain import cadence
from bizops.domain.policy import Policy
from bizops.domain.vocab import GRADES, one_of
from bizops.store.models import Customer, FollowUp, User

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
_ONE_DAY = timedelta(days=1)


def open_followup(session: Session, customer_id: int) -> FollowUp | None:
    return session.execute(
        select(FollowUp).where(
            col(FollowUp.customer_id) == customer_id, col(FollowUp.status) == OPEN
        )
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


# Rows fetched from the database per round trip while streaming `followups due`.
STREAM_BATCH = 2000


def channel_hint(policy: Policy, grade: str) -> str:
    """The suggested channels for a grade, most preferred first: "visit/phone"."""
    return "/".join(policy.channels.get(grade, ("phone",)))


def list_due(
    session: Session,
    *,
    today: date,
    policy: Policy,
    owner_ids: list[int] | None,
    until: date | None = None,
    overdue_only: bool = False,
    grade: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Open follow-ups due on or before ``until`` (default today), most urgent first.

    Most days overdue first, then grade (A, B, C), then due date. ``owner_ids`` None means
    everyone. Reads the open-follow-up index joined to customers and users and streams the
    rows, so the caller must consume the iterator while the session is open. Each row:
    id, code, customer, grade, stage, owner, due (date), days_overdue (int), last_contact
    (date or None), channel, purpose.
    """
    if grade is not None:
        grade = one_of(grade, GRADES, "--grade", upper=True)
    limit_day = today - _ONE_DAY if overdue_only else (until or today)
    ft, ct, ut = FollowUp.__table__, Customer.__table__, User.__table__  # type: ignore[attr-defined]
    f, c, u = ft.c, ct.c, ut.c
    # days overdue, descending == min(due, today), ascending: one sortable expression.
    urgency = case((f.due < today, f.due), else_=literal(today, Date()))
    query = (
        select(
            f.id,
            c.code,
            c.name,
            c.grade,
            c.stage,
            u.login,
            f.due,
            c.last_contact_on,
            f.purpose,
        )
        .select_from(ft.join(ct, c.id == f.customer_id).join(ut, u.id == c.owner_id))
        .where(f.status == OPEN, f.due <= limit_day, c.archived_on.is_(None))
        .order_by(urgency, c.grade, f.due, f.id)
    )
    if owner_ids is not None:
        if not owner_ids:
            return
        query = query.where(c.owner_id.in_(owner_ids))
    if grade is not None:
        query = query.where(c.grade == grade)
    channels = {g: channel_hint(policy, g) for g in GRADES}
    result = session.connection().execute(query.execution_options(yield_per=STREAM_BATCH))
    for fid, code, name, grd, stage, login, due, last, purpose in result:
        yield {
            "id": fid,
            "code": code,
            "customer": name,
            "grade": grd,
            "stage": stage,
            "owner": login,
            "due": due,
            "days_overdue": (today - due).days if due < today else 0,
            "last_contact": last,
            "channel": channels.get(grd) or channel_hint(policy, grd),
            "purpose": purpose,
        }
