"""The contract sections of the daily report: notice and end dates, and milestones.

The rows come from the contracts service (``contracts.notice_reminders`` and
``contracts.due_milestones``); this module words each item for its owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from bizops.domain.money import money_str
from bizops.reports.daily.common import PerUser, Recipient, amount, days, per_user, when
from bizops.reports.daily.items import MilestoneItem, NoticeItem

# Milestones due within this many days are in the report (overdue ones always are).
MILESTONE_HORIZON_DAYS = 7


def _notice_item(row: Mapping[str, Any], today: date) -> NoticeItem:
    end: date = row["end"]
    days_left = (end - today).days
    money = amount(row["amount"], row["currency"])
    what = f"{row['number']} {row['title']} ({row['customer']}, {money})"
    if days_left < 0:
        action = (
            f"{what} ended {days(-days_left)} ago ({end.isoformat()}) and is still "
            f"{row['status']}: complete, renew by amendment, or terminate it"
        )
    elif days_left == 0:
        action = f"{what} ends today ({end.isoformat()}): renew by amendment or complete it"
    else:
        notice_by = end - timedelta(days=row["notice_days"])
        if notice_by >= today:
            deadline = f"give notice or renew by {notice_by.isoformat()}"
        else:
            deadline = "the notice period has begun: renew or give notice now"
        action = (
            f"{what} ends {end.isoformat()} — {days(days_left)} left; {deadline} "
            f"(notice {days(row['notice_days'])})"
        )
    return {
        "id": row["id"],
        "number": row["number"],
        "title": row["title"],
        "customer": row["customer"],
        "amount": money_str(row["amount"]),
        "currency": row["currency"],
        "status": row["status"],
        "end": end.isoformat(),
        "days_left": days_left,
        "notice_days": row["notice_days"],
        "reminder": row["reminder"],
        "action": action,
    }


def notice_section(
    rows: Iterable[Mapping[str, Any]], *, recipients: Sequence[Recipient], today: date
) -> PerUser[NoticeItem]:
    """``contracts_notice`` of each recipient (by contract owner), soonest end first: the
    contracts that reached a reminder point today (``contracts.notice_reminders``)."""
    out: PerUser[NoticeItem] = per_user(recipients)
    for row in rows:
        if row["owner_id"] in out:
            out[row["owner_id"]].append(_notice_item(row, today))
    for items in out.values():
        items.sort(key=lambda i: (i["days_left"], i["number"]))
    return out


def _milestone_item(row: Mapping[str, Any], today: date) -> MilestoneItem:
    due: date = row["due"]
    delta = (today - due).days
    has_amount = row["amount"] is not None
    money = f" {amount(row['amount'], row['currency'])}" if has_amount else ""
    note = f" ({row['note']})" if row["note"] else ""
    return {
        "id": row["id"],
        "contract": row["contract"],
        "title": row["title"],
        "customer": row["customer"],
        "kind": row["kind"],
        "due": due.isoformat(),
        "days_overdue": max(delta, 0),
        "days_left": max(-delta, 0),
        "amount": money_str(row["amount"]),
        "currency": row["currency"] if has_amount else None,
        "note": row["note"],
        "action": (
            f"{row['kind'].capitalize()} milestone{money}{note} of {row['contract']} "
            f"{row['title']} ({row['customer']}) — {when(due, today)}; "
            f"when done: `bizops contract milestone done {row['id']}`"
        ),
    }


def milestone_section(
    rows: Iterable[Mapping[str, Any]], *, recipients: Sequence[Recipient], today: date
) -> PerUser[MilestoneItem]:
    """``milestones`` of each recipient (by contract owner), earliest due first: open
    milestones due within the horizon, or overdue (``contracts.due_milestones``)."""
    out: PerUser[MilestoneItem] = per_user(recipients)
    for row in rows:
        if row["owner_id"] in out:
            out[row["owner_id"]].append(_milestone_item(row, today))
    for items in out.values():
        items.sort(key=lambda i: (i["due"], i["contract"], i["id"]))
    return out
