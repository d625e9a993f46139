"""The due follow-ups as a calendar file (`followups ics`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from bizops.documents.ics import DayEvent, stable_uid, write_calendar
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.followups.due import DueFollowUp, due_rows
from bizops.services.followups.status import FIRST_CONTACT_PURPOSE

if TYPE_CHECKING:
    from sqlmodel import Session


def _purpose(stored: str | None) -> str:
    """What the follow-up is for: the purpose typed by a user as it is, the one the system
    stores for a first contact in the reader's language."""
    if not stored:
        return _("regular follow-up")
    return _(stored) if stored == FIRST_CONTACT_PURPOSE else stored


def _event(row: DueFollowUp) -> DayEvent:
    last = (
        _("Last contact: {day}").format(day=row["last_contact"].isoformat())
        if row["last_contact"]
        else _("Last contact: never")
    )
    lines = [
        _("Customer: {customer} ({code})").format(customer=row["customer"], code=row["code"]),
        _("Owner: {owner}").format(owner=row["owner"]),
        _("Suggested channel: {channel}").format(channel=row["channel"]),
        last,
        _("Purpose: {purpose}").format(purpose=_purpose(row["purpose"])),
    ]
    if row["days_overdue"]:
        lines.append(_("Overdue: {days} day(s)").format(days=row["days_overdue"]))
    lines.append(
        _("Log it: bizops followups log {code} --via ... --summary ...").format(code=row["code"])
    )
    return DayEvent(
        uid=stable_uid("followup", row["id"]),
        day=row["due"],
        summary=_("Follow up: {customer} ({grade}, {stage})").format(
            customer=row["customer"], grade=row["grade"], stage=row["stage"]
        ),
        description="\n".join(lines),
        categories=("bizops", _("grade {grade}").format(grade=row["grade"])),
    )


def due_calendar(
    session: Session,
    *,
    today: date,
    now: datetime,
    policy: Policy,
    owner_ids: Sequence[int] | None,
    until: date,
) -> tuple[bytes, int]:
    """An RFC 5545 calendar of the follow-ups due up to ``until``: (the file, event count).

    One all-day event per follow-up on its due date; the UID ``followup-<id>@bizops`` stays
    the same when the date moves, so a calendar app updates the event instead of adding one.
    """
    rows = due_rows(session, owner_ids=owner_ids, until=until, today=today, policy=policy)
    events = [_event(row) for row in rows]
    return write_calendar(events, now=now, name=_("bizops follow-ups")), len(events)
