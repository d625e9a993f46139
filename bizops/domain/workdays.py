"""Working days: the PRC calendar (public holidays and 调休 make-up working days) or weekends.

The State Council publishes each year's holidays, and the working weekend days that make up
for them, late in the year before. The ``chinesecalendar`` package carries what has been
published; a year it does not know falls back to plain weekends (``config check`` warns).
The policy may add or override single days (``[calendar] holidays``, ``workdays``).

Loops over many customers ask about many dates: each year's non-working days are worked out
once, as a frozenset, and every question after that is a set lookup.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

PRC = "prc"
WEEKENDS = "weekends"
KINDS: tuple[str, ...] = (PRC, WEEKENDS)
SAT_SUN: frozenset[int] = frozenset({5, 6})
# No run of days off is longer than this (Spring Festival is 9 days with its weekends); a
# search for a working day gives up after it, so that a calendar without one cannot hang.
_LONGEST_SEARCH = 400


@lru_cache(maxsize=1)
def _published() -> tuple[dict[int, frozenset[date]], dict[int, frozenset[date]]]:
    """The package's holidays and make-up working days, by year (read once)."""
    import chinese_calendar

    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in chinese_calendar.workdays:
        workdays.setdefault(day.year, set()).add(day)
    return (
        {year: frozenset(days) for year, days in holidays.items()},
        {year: frozenset(days) for year, days in workdays.items()},
    )


def published_years() -> frozenset[int]:
    """The years whose PRC holidays the installed ``chinesecalendar`` knows."""
    return frozenset(_published()[0])


def _year_days(year: int) -> Iterable[date]:
    first = date(year, 1, 1)
    for offset in range(366 if _calendar.isleap(year) else 365):
        yield first + timedelta(days=offset)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days. ``kind``: ``prc`` (the default) or ``weekends``."""

    kind: str = WEEKENDS
    weekend_days: frozenset[int] = SAT_SUN
    holidays: frozenset[date] = frozenset()  # the policy's own days off
    workdays: frozenset[date] = frozenset()  # the policy's own working days
    _years: dict[int, frozenset[date]] = field(
        default_factory=dict, init=False, compare=False, repr=False, hash=False
    )

    def off_days(self, year: int) -> frozenset[date]:
        """Every non-working day of ``year``, worked out once per calendar and year."""
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._work_out(year)
        return found

    def _work_out(self, year: int) -> frozenset[date]:
        off = {day for day in _year_days(year) if day.weekday() in self.weekend_days}
        if self.kind == PRC and year in published_years():
            holidays, workdays = _published()
            off -= workdays.get(year, frozenset())
            off |= holidays.get(year, frozenset())
        off |= {day for day in self.holidays if day.year == year}
        off -= {day for day in self.workdays if day.year == year}
        return frozenset(off)

    def knows(self, year: int) -> bool:
        """False for a PRC year the package has not published (weekends are used then)."""
        return self.kind != PRC or year in published_years()

    def is_working_day(self, day: date) -> bool:
        return day not in self.off_days(day.year)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first one after it."""
        current = day
        for _ in range(_LONGEST_SEARCH):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        current = day - timedelta(days=1)
        for _ in range(_LONGEST_SEARCH):
            if self.is_working_day(current):
                return current
            current -= timedelta(days=1)
        return day - timedelta(days=1)

    def shift(self, day: date, rule: str) -> date:
        """Move a due date off a day off: ``next`` working day, ``previous`` one, or ``keep``."""
        if rule == "keep" or self.is_working_day(day):
            return day
        if rule == "previous":
            before = self.previous_working_day(day)
            return before if self.is_working_day(before) else day
        return self.next_working_day(day)

    def add_working_days(self, day: date, days: int) -> date:
        """The date ``days`` working days after ``day`` (days off skipped)."""
        current, left, steps = day, days, 0
        while left > 0 and steps < _LONGEST_SEARCH + 7 * days:
            current += timedelta(days=1)
            steps += 1
            if self.is_working_day(current):
                left -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def weekends(weekend_days: frozenset[int] = SAT_SUN) -> WorkCalendar:
    """Plain weekends, no holidays."""
    return WorkCalendar(WEEKENDS, frozenset(weekend_days))


def prc(
    weekend_days: frozenset[int] = SAT_SUN,
    *,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> WorkCalendar:
    """The PRC calendar, with the policy's own holidays and working days over it."""
    return WorkCalendar(PRC, frozenset(weekend_days), frozenset(holidays), frozenset(workdays))


@lru_cache(maxsize=8)
def _weekend_calendar(weekend_days: frozenset[int]) -> WorkCalendar:
    return weekends(weekend_days)


def as_calendar(value: WorkCalendar | frozenset[int] | None) -> WorkCalendar:
    """A calendar from a calendar, or from a set of weekend days (0 = Monday)."""
    if isinstance(value, WorkCalendar):
        return value
    return _weekend_calendar(frozenset(SAT_SUN if value is None else value))


def unpublished_years(calendar: WorkCalendar, *, today: date, ahead_days: int = 92) -> list[int]:
    """Years from today's to ``ahead_days`` later that the PRC calendar does not know, and
    for which the policy names no holiday of its own (it has filled them in itself)."""
    years = range(today.year, (today + timedelta(days=ahead_days)).year + 1)
    own = {day.year for day in calendar.holidays}
    return [y for y in years if not calendar.knows(y) and y not in own]
