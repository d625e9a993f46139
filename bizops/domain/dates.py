"""Dates as people type them, always relative to a given ``today``.

Accepted: ``2026-12-01`` (also ``2026/12/01``, ``2026.12.01``, ``2026年12月1日``),
``today``, ``tomorrow``, ``yesterday``, offsets ``+3d``, ``+2w``, ``+1m``, ``+1y``,
``-1w``, weekday names (``fri`` or ``friday`` is the next Friday after today),
``eow`` (Sunday of this week), ``eom``, ``eoq``, ``eoy``, and dates with a month
name that python-dateutil reads without ambiguity (``1 Dec 2026``, ``Dec 1 2026``).
A date such as ``01/02/2026`` could be either January or February: it is refused.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bizops.domain.errors import Invalid

WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_OFFSET = re.compile(r"^([+-])(\d{1,4})\s*([dwmy])$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_AMBIGUOUS = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_DURATION = re.compile(r"^\+?(\d{1,4})\s*([dwmy]?)$")
_HAS_MONTH_NAME = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)

ACCEPTED = "YYYY-MM-DD, today, tomorrow, +3d, +2w, +1m, -1w, a weekday name (fri), eow, eom, eoq"


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def end_of_quarter(day: date) -> date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def _offset(today: date, sign: str, amount: int, unit: str) -> date:
    n = amount if sign == "+" else -amount
    if unit == "d":
        return today + timedelta(days=n)
    if unit == "w":
        return today + timedelta(weeks=n)
    if unit == "m":
        return add_months(today, n)
    return add_months(today, 12 * n)


def _make(year: int, month: int, day: int, text: str, field: str = "date") -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(f"{field}: {text!r} is not a real date; use {ACCEPTED}") from None


def _from_dateutil(raw: str, today: date, field: str) -> date | None:
    """A date with a month name, only when dateutil reads every part without filling one in."""
    from dateutil import parser as dateutil_parser

    try:
        # Two different defaults: if the results differ, a part (usually the day) was missing
        # and dateutil would have guessed it.
        first = dateutil_parser.parse(raw, default=datetime(today.year, 1, 1))
        second = dateutil_parser.parse(raw, default=datetime(today.year, 2, 2))
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        raise Invalid(f"{field}: {raw!r} does not give a day of the month; use YYYY-MM-DD")
    named = [WEEKDAYS[w] for w in re.findall(r"[a-z]+", raw.lower()) if w in WEEKDAYS]
    if named and any(n != first.weekday() for n in named):
        raise Invalid(
            f"{field}: {raw!r} names a weekday that does not fall on "
            f"{first.date().isoformat()} (a {first.strftime('%A')})"
        )
    return first.date()


# Words that name a date relative to today.
_NAMED: dict[str, Callable[[date], date]] = {
    "today": lambda today: today,
    "tomorrow": lambda today: today + timedelta(days=1),
    "yesterday": lambda today: today - timedelta(days=1),
    "eow": lambda today: today + timedelta(days=6 - today.weekday()),
    "eom": lambda today: end_of_month(today),
    "eoq": lambda today: end_of_quarter(today),
    "eoy": lambda today: date(today.year, 12, 31),
}


def _relative(value: str, raw: str, today: date, field: str) -> date | None:
    """A named day, a weekday or an offset such as +3d; None for anything else."""
    named = _NAMED.get(value)
    if named is not None:
        return named(today)
    if value in WEEKDAYS:
        ahead = (WEEKDAYS[value] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    match = _OFFSET.match(value)
    if match:
        try:
            return _offset(today, match.group(1), int(match.group(2)), match.group(3))
        except (ValueError, OverflowError):
            raise Invalid(f"{field}: {raw!r} is outside the calendar (years 1 to 9999)") from None
    return None


def parse_date(text: str | date, today: date, *, field: str = "date") -> date:
    """Read a date in any of the accepted forms; anything unreadable is ``Invalid``."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    raw = str(text).strip()
    value = raw.lower()
    if not value:
        raise Invalid(f"{field}: empty date; use {ACCEPTED}")
    relative = _relative(value, raw, today, field)
    if relative is not None:
        return relative
    match = _ISO.match(value) or _ZH.match(raw)
    if match:
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), raw, field)
    if _AMBIGUOUS.match(value):
        raise Invalid(f"{field}: {raw!r} is ambiguous (day/month order); write it as YYYY-MM-DD")
    if _HAS_MONTH_NAME.search(value) and re.search(r"\d{4}", value):
        parsed = _from_dateutil(raw, today, field)
        if parsed is not None:
            return parsed
    raise Invalid(f"{field}: cannot read {raw!r} as a date; use {ACCEPTED}")


def parse_datetime(text: str | datetime, now: datetime, *, field: str = "time") -> datetime:
    """A moment: a date (at the current time of day for today, else noon) or 'DATE HH:MM'."""
    if isinstance(text, datetime):
        return text
    raw = str(text).strip()
    match = re.match(r"^(.*\S)\s+(\d{1,2}):(\d{2})$", raw) or re.match(
        r"^(\d{4}-\d{2}-\d{2})T(\d{1,2}):(\d{2})(?::\d{2})?$", raw
    )
    if match:
        day = parse_date(match.group(1), now.date(), field=field)
        hour, minute = int(match.group(2)), int(match.group(3))
        if hour > 23 or minute > 59:
            raise Invalid(f"{field}: {raw!r} has an impossible time of day")
        return datetime.combine(day, time(hour, minute))
    day = parse_date(raw, now.date(), field=field)
    if day == now.date():
        return now.replace(microsecond=0)
    return datetime.combine(day, time(12, 0))


def parse_duration_days(text: str, today: date, *, field: str = "duration") -> int:
    """``7d``, ``2w``, ``1m`` or a bare number of days, as days counted from ``today``."""
    value = str(text).strip().lower()
    match = _DURATION.match(value)
    if not match:
        raise Invalid(f"{field}: cannot read {text!r}; use a number of days such as 7d, 2w or 1m")
    amount, unit = int(match.group(1)), match.group(2) or "d"
    return (_offset(today, "+", amount, unit) - today).days


def shift_off_weekend(
    day: date, rule: str, weekend_days: frozenset[int] = frozenset({5, 6})
) -> date:
    """Move a due date off the weekend: ``next`` (to Monday), ``previous`` (Friday), ``keep``."""
    if rule == "keep" or len(weekend_days) >= 7:
        return day
    step = -1 if rule == "previous" else 1
    while day.weekday() in weekend_days:
        day += timedelta(days=step)
    return day


def add_working_days(
    day: date, days: int, weekend_days: frozenset[int] = frozenset({5, 6})
) -> date:
    """The date ``days`` working days after ``day`` (weekends skipped)."""
    current, left = day, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() not in weekend_days:
            left -= 1
    return current


def working_days_between(
    start: date, end: date, weekend_days: frozenset[int] = frozenset({5, 6})
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() not in weekend_days:
            count += 1
    return count
