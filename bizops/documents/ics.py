"""RFC 5545 calendars: one all-day event per item, with stable UIDs.

A calendar app that imports (or subscribes to) the file again updates the events whose UID it
already knows instead of adding duplicates, so the UID must depend only on the record, never
on the date or the run. DTSTAMP is the moment the file was written, passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

UID_DOMAIN = "bizops"
PRODID = "-//bizops//follow-ups//EN"


@dataclass(frozen=True)
class DayEvent:
    """An all-day event: ``day`` is the date it falls on (DTSTART;VALUE=DATE)."""

    uid: str
    day: date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)


def stable_uid(kind: str, record_id: int) -> str:
    """``followup-42@bizops``: the same record always gets the same UID."""
    return f"{kind}-{record_id}@{UID_DOMAIN}"


def write_calendar(events: Iterable[DayEvent], *, now: datetime, name: str) -> bytes:
    """The calendar as bytes (UTF-8, CRLF line endings, folded lines), ready to write."""
    from icalendar import Calendar, Event

    stamp = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.categories:
            event.add("categories", list(item.categories))
        # An all-day reminder should not block the day as busy.
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
