"""Contracts reaching their notice days or their end: what renewal reminders are about."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.policy import Policy
from bizops.services.contracts.listing import ending, expiring_row, list_query
from bizops.services.views.contracts import EndingContract, NoticeReminder
from bizops.store.models import Contract
from bizops.store.scope import scope_of


def ending_contracts(
    session: Session,
    *,
    today: date,
    within_days: int,
    owner_ids: Iterable[int] | None = None,
    ended: bool = False,
) -> list[EndingContract]:
    """Signed or active contracts ending within ``within_days`` of today (with ``ended``, also
    those past their end and still signed or active), soonest first: the rows of
    `contract list --expiring` plus ``owner_id`` and ``notice_on`` (the end minus the notice
    days)."""
    query = ending(list_query(), today=today, within_days=within_days, ended=ended)
    if owner_ids is not None:
        query = query.where(col(Contract.owner_id).in_(list(owner_ids)))
    query = scope_of(session).only_contracts(query)
    return [
        {
            **expiring_row(row, today),
            "owner_id": row.owner_id,
            "notice_on": row.end - timedelta(days=row.notice_days),
        }
        for row in session.execute(query)
    ]


def previous_report_day(policy: Policy, today: date) -> date:
    """The last working day before today: reminders that fell on a day off are not lost."""
    return policy.calendar.previous_working_day(today)


def notice_trigger(*, end: date, notice_days: int, policy: Policy, today: date) -> int | str | None:
    """Why a live contract is reminded today, or None.

    The reminder points are the policy's ``reminder_days`` (30, 7, 0) plus the contract's own
    ``notice_days``. A point counts on the first report day on or after it: a point that falls
    on a weekend is reported on the next working day, never lost. A contract past its end that
    is still signed/active is reported every day (``"ended"``) until someone completes, renews
    or ends it.
    """
    if end < today:
        return "ended"
    since = previous_report_day(policy, today)
    for point in sorted({*policy.reminder_days, notice_days}):
        if since < end - timedelta(days=point) <= today:
            return point
    return None


def notice_reminders(
    session: Session, *, policy: Policy, today: date, owner_ids: Iterable[int] | None = None
) -> list[NoticeReminder]:
    """Signed or active contracts due a renewal reminder today (``notice_trigger``), soonest
    end first, each with the ``reminder`` point reached."""
    longest = session.execute(
        select(func.max(col(Contract.notice_days))).where(col(Contract.status).in_(cs.PERFORMING))
    ).scalar()
    horizon = max([*policy.reminder_days, int(longest or 0), 0])
    out: list[NoticeReminder] = []
    for item in ending_contracts(
        session, today=today, within_days=horizon, owner_ids=owner_ids, ended=True
    ):
        trigger = notice_trigger(
            end=item["end"], notice_days=item["notice_days"], policy=policy, today=today
        )
        if trigger is not None:
            out.append({**item, "reminder": trigger})
    return out
