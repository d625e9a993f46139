"""The contract sections of the daily report: notice and end dates, and milestones.

The rows come from the contracts service (``contracts.notice_reminders`` and
``contracts.due_milestones``); this module words each item for its owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from bizops.domain.money import money_str
from bizops.domain.vocab import label
from bizops.i18n import N_, _
from bizops.reports.daily.common import (
    PerUser,
    Recipient,
    amount,
    contract_words,
    days,
    per_user,
    when,
)
from bizops.reports.daily.items import MilestoneItem, NoticeItem

# Milestones due within this many days are in the report (overdue ones always are).
MILESTONE_HORIZON_DAYS = 7


def _notice_action(row: Mapping[str, Any], today: date) -> str:
    """What to do about a contract at a reminder point (or past its end), and by when."""
    end: date = row["end"]
    days_left = (end - today).days
    money = amount(row["amount"], row["currency"])
    what = contract_words(row["number"], row["title"], row["customer"], money)
    if days_left < 0:
        return _(
            "{what} ended {days} ago ({end}) and is still {status}: complete, renew by "
            "amendment, or terminate it"
        ).format(
            what=what,
            days=days(-days_left),
            end=end.isoformat(),
            status=label("contract_state", row["status"]),
        )
    if days_left == 0:
        return _("{what} ends today ({end}): renew by amendment or complete it").format(
            what=what, end=end.isoformat()
        )
    notice_by = end - timedelta(days=row["notice_days"])
    if notice_by >= today:
        deadline = _("give notice or renew by {date}").format(date=notice_by.isoformat())
    else:
        deadline = _("the notice period has begun: renew or give notice now")
    return _("{what} ends {end} — {days} left; {deadline} (notice {notice})").format(
        what=what,
        end=end.isoformat(),
        days=days(days_left),
        deadline=deadline,
        notice=days(row["notice_days"]),
    )


def _notice_item(row: Mapping[str, Any], today: date) -> NoticeItem:
    end: date = row["end"]
    days_left = (end - today).days
    action = _notice_action(row, today)
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


# "Payment milestone": each kind's name, in English; translated when a report is built.
_MILESTONES = {
    "payment": N_("Payment milestone"),
    "delivery": N_("Delivery milestone"),
    "acceptance": N_("Acceptance milestone"),
    "other": N_("Other milestone"),
}


def _milestone_action(row: Mapping[str, Any], today: date) -> str:
    kind = row["kind"]
    name = _MILESTONES.get(kind)
    milestone = _(name) if name else _("{kind} milestone").format(kind=kind.capitalize())
    has_amount = row["amount"] is not None
    money = f" {amount(row['amount'], row['currency'])}" if has_amount else ""
    note = _(" ({note})").format(note=row["note"]) if row["note"] else ""
    return _(
        "{milestone}{amount}{note} of {contract} {title} ({customer}) — {when}; "
        "when done: `bizops contract milestone done {id}`"
    ).format(
        milestone=milestone,
        amount=money,
        note=note,
        contract=row["contract"],
        title=row["title"],
        customer=row["customer"],
        when=when(row["due"], today),
        id=row["id"],
    )


def _milestone_item(row: Mapping[str, Any], today: date) -> MilestoneItem:
    due: date = row["due"]
    delta = (today - due).days
    has_amount = row["amount"] is not None
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
        "action": _milestone_action(row, today),
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
