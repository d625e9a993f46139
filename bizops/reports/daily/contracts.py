"""The contract sections of the daily report: notice and end dates, and milestones.

``notice_rows`` and ``milestone_rows`` still read the database here; the contracts service
will own those queries (the daily report then takes its rows from there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import col

from bizops.domain.money import money_str
from bizops.domain.policy import Policy
from bizops.reports.daily.common import PerUser, Recipient, amount, days, per_user, when
from bizops.reports.daily.items import MilestoneItem, NoticeItem
from bizops.store.models import Contract, Customer, Milestone

if TYPE_CHECKING:
    from sqlmodel import Session

# Contracts whose notice and end dates still matter.
LIVE_CONTRACT: tuple[str, ...] = ("signed", "active")
MILESTONE_HORIZON_DAYS = 7


def notice_rows(
    session: Session, *, owner_ids: Sequence[int] | None, policy: Policy, today: date
) -> list[Any]:
    """Live contracts ending within the longest reminder point (or already ended)."""
    live = col(Contract.status).in_(LIVE_CONTRACT)
    longest = session.execute(select(func.max(col(Contract.notice_days))).where(live)).scalar()
    horizon = max([*policy.reminder_days, int(longest or 0), 0])
    where = [live, col(Contract.end) <= today + timedelta(days=horizon)]
    if owner_ids is not None:
        where.append(col(Contract.owner_id).in_(owner_ids))
    found = session.execute(
        select(
            col(Contract.id),
            col(Contract.number),
            col(Contract.title),
            col(Contract.amount),
            col(Contract.currency),
            col(Contract.status),
            col(Contract.end),
            col(Contract.notice_days),
            col(Contract.owner_id),
            col(Customer.name).label("customer"),
        )
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .where(*where)
    )
    return list(found)


def milestone_rows(session: Session, *, owner_ids: Sequence[int] | None, today: date) -> list[Any]:
    """Open milestones of live contracts due within the horizon (or overdue)."""
    where = [
        col(Milestone.done_on).is_(None),
        col(Milestone.due) <= today + timedelta(days=MILESTONE_HORIZON_DAYS),
        col(Contract.status).in_(LIVE_CONTRACT),
    ]
    if owner_ids is not None:
        where.append(col(Contract.owner_id).in_(owner_ids))
    found = session.execute(
        select(
            col(Milestone.id),
            col(Milestone.kind),
            col(Milestone.due),
            col(Milestone.amount),
            col(Milestone.note),
            col(Contract.id).label("contract_id"),
            col(Contract.number),
            col(Contract.title),
            col(Contract.currency),
            col(Contract.owner_id),
            col(Customer.name).label("customer"),
        )
        .join(Contract, col(Contract.id) == col(Milestone.contract_id))
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .where(*where)
    )
    return list(found)


def _previous_report_day(policy: Policy, today: date) -> date:
    """The last working day before today: reminders that fell on a day off are not lost."""
    return policy.calendar.previous_working_day(today)


def notice_trigger(*, end: date, notice_days: int, policy: Policy, today: date) -> int | str | None:
    """Why a live contract is in today's report, or None.

    The reminder points are the policy's ``reminder_days`` (30, 7, 0) plus the contract's own
    ``notice_days``. A point counts on the first report day on or after it: a point that falls
    on a weekend is reported on the next working day, never lost. A contract past its end that
    is still signed/active is reported every day until someone completes, renews or ends it.
    """
    days_left = (end - today).days
    if days_left < 0:
        return "ended"
    since = _previous_report_day(policy, today)
    points = sorted({*policy.reminder_days, notice_days})
    for point in points:
        moment = end - timedelta(days=point)
        if since < moment <= today:
            return point
    return None


def _notice_item(row: Any, trigger: int | str, today: date) -> NoticeItem:
    days_left = (row.end - today).days
    what = f"{row.number} {row.title} ({row.customer}, {amount(row.amount, row.currency)})"
    if days_left < 0:
        action = (
            f"{what} ended {days(-days_left)} ago ({row.end.isoformat()}) and is still "
            f"{row.status}: complete, renew by amendment, or terminate it"
        )
    elif days_left == 0:
        action = f"{what} ends today ({row.end.isoformat()}): renew by amendment or complete it"
    else:
        notice_by = row.end - timedelta(days=row.notice_days)
        if notice_by >= today:
            deadline = f"give notice or renew by {notice_by.isoformat()}"
        else:
            deadline = "the notice period has begun: renew or give notice now"
        action = (
            f"{what} ends {row.end.isoformat()} — {days(days_left)} left; {deadline} "
            f"(notice {days(row.notice_days)})"
        )
    return {
        "id": row.id,
        "number": row.number,
        "title": row.title,
        "customer": row.customer,
        "amount": money_str(row.amount),
        "currency": row.currency,
        "status": row.status,
        "end": row.end.isoformat(),
        "days_left": days_left,
        "notice_days": row.notice_days,
        "reminder": trigger,
        "action": action,
    }


def notice_section(
    rows: Iterable[Any], *, recipients: Sequence[Recipient], policy: Policy, today: date
) -> PerUser[NoticeItem]:
    """``contracts_notice`` of each recipient (by contract owner), soonest end first."""
    out: PerUser[NoticeItem] = per_user(recipients)
    for row in rows:
        if row.owner_id not in out:
            continue
        trigger = notice_trigger(
            end=row.end, notice_days=row.notice_days, policy=policy, today=today
        )
        if trigger is not None:
            out[row.owner_id].append(_notice_item(row, trigger, today))
    for items in out.values():
        items.sort(key=lambda i: (i["days_left"], i["number"]))
    return out


def _milestone_item(row: Any, today: date) -> MilestoneItem:
    delta = (today - row.due).days
    money = f" {amount(row.amount, row.currency)}" if row.amount is not None else ""
    note = f" ({row.note})" if row.note else ""
    return {
        "id": row.id,
        "contract": row.number,
        "title": row.title,
        "customer": row.customer,
        "kind": row.kind,
        "due": row.due.isoformat(),
        "days_overdue": max(delta, 0),
        "days_left": max(-delta, 0),
        "amount": money_str(row.amount),
        "currency": row.currency if row.amount is not None else None,
        "note": row.note,
        "action": (
            f"{row.kind.capitalize()} milestone{money}{note} of {row.number} {row.title} "
            f"({row.customer}) — {when(row.due, today)}; "
            f"when done: `bizops contract milestone done {row.id}`"
        ),
    }


def milestone_section(
    rows: Iterable[Any], *, recipients: Sequence[Recipient], today: date
) -> PerUser[MilestoneItem]:
    """``milestones`` of each recipient (by contract owner), earliest due first."""
    out: PerUser[MilestoneItem] = per_user(recipients)
    for row in rows:
        if row.owner_id in out:
            out[row.owner_id].append(_milestone_item(row, today))
    for items in out.values():
        items.sort(key=lambda i: (i["due"], i["contract"], i["id"]))
    return out
