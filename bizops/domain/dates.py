"""Dates as people type them, always relative to a given ``today``.

Accepted: ``2026-12-01`` (also ``2026/12/01``, ``2026.12.01``, ``2026年12月1日``),
``today``, ``tomorrow``, ``yesterday``, offsets ``+3d``, ``+2w``, ``+1m``, ``+1y``,
``-1w``, weekday names (``fri`` or ``friday`` is the next Friday after today),
``eow`` (Sunday of this week), ``eom``, ``eoq``, ``eoy``, and dates with a month
name that python-dateutil reads without ambiguity (``1 Dec 2026``, ``Dec 1 2026``).
A date such as ``01/02/2026`` could be either January or February: it is refused.

In Chinese (width-insensitive): ``今天``, ``明天``, ``后天``, ``昨天``, ``前天``; ``周五``,
``星期五``, ``礼拜五`` (the next Friday after today), ``下周一`` (Monday of next week), ``本周五``
(this week's Friday); ``本周末`` (Sunday of this week, as ``eow``), ``月底``, ``下月初``,
``下月底``, ``季度末``, ``年底``; ``3天后``, ``两周后``, ``一个月后``, ``一年后`` (and ``3天前``),
with digits or the numerals 一 to 九十九 and 两; ``12月15日`` (this year, or next year when
it has passed) and ``2026年12月15日``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bizops.domain.errors import Invalid
from bizops.domain.workdays import SAT_SUN, WorkCalendar, as_calendar
from bizops.i18n import N_, _

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
_AMBIGUOUS = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_DURATION = re.compile(r"^\+?(\d{1,4})\s*([dwmy]?)$")
_HAS_MONTH_NAME = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)

# The dates bizops accepts from people (typed dates, --today, imported dates). Far enough for
# any contract, close enough that every later step (a cadence, a reminder window, a year of
# working days) stays inside Python's calendar instead of failing with OverflowError.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)

ACCEPTED = N_(
    "YYYY-MM-DD, today, tomorrow, +3d, +2w, +1m, -1w, a weekday name (fri), eow, eom, eoq"
)


def _fold(text: str) -> str:
    """Full-width digits and letters to half-width, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


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
        raise Invalid(
            _("{field}: {text} is not a real date; use {accepted}").format(
                field=field, text=repr(text), accepted=_(ACCEPTED)
            )
        ) from None


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
        raise Invalid(
            _("{field}: {text} does not give a day of the month; use YYYY-MM-DD").format(
                field=field, text=repr(raw)
            )
        )
    named = [WEEKDAYS[w] for w in re.findall(r"[a-z]+", raw.lower()) if w in WEEKDAYS]
    if named and any(n != first.weekday() for n in named):
        raise Invalid(
            _("{field}: {text} names a weekday that does not fall on {day} (a {weekday})").format(
                field=field,
                text=repr(raw),
                day=first.date().isoformat(),
                weekday=first.strftime("%A"),
            )
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
            raise _outside(field, raw) from None
    return None


def _outside(field: str, raw: str) -> Invalid:
    return Invalid(
        _("{field}: {text} is outside the calendar bizops accepts ({earliest} to {latest})").format(
            field=field, text=repr(raw), earliest=EARLIEST.isoformat(), latest=LATEST.isoformat()
        )
    )


def in_range(day: date, raw: str, field: str) -> date:
    """``day`` if it lies in the accepted calendar (EARLIEST to LATEST); else ``Invalid``."""
    if not EARLIEST <= day <= LATEST:
        raise _outside(field, raw)
    return day


# --------------------------------------------------------------------------- in Chinese

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_ZH_DIGITS |= {"七": 7, "八": 8, "九": 9}
_ZH_NUMBER = r"(\d{1,4}|[零〇一二两三四五六七八九十]{1,3})"
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEK = r"(?:周|星期|礼拜)"
_ZH_DAY_OF_WEEK = re.compile(rf"^(下个?|本|这个?)?{_ZH_WEEK}([一二三四五六日天])$")
_ZH_AMOUNT = re.compile(rf"^{_ZH_NUMBER}(天|日|个?{_ZH_WEEK}|个月|年)$")
_ZH_OFFSET = re.compile(rf"^{_ZH_NUMBER}(天|日|个?{_ZH_WEEK}|个月|年)(以后|之后|后|以前|之前|前)$")
_ZH_MONTH_DAY = re.compile(rf"^{_ZH_NUMBER}月{_ZH_NUMBER}[日号]$")
_ZH_FULL = re.compile(rf"^(\d{{4}})年{_ZH_NUMBER}月{_ZH_NUMBER}[日号]?$")


def _next_month(today: date) -> date:
    return add_months(today.replace(day=1), 1)


_ZH_NAMED: dict[str, Callable[[date], date]] = {
    "今天": lambda today: today,
    "今日": lambda today: today,
    "明天": lambda today: today + timedelta(days=1),
    "明日": lambda today: today + timedelta(days=1),
    "后天": lambda today: today + timedelta(days=2),
    "大后天": lambda today: today + timedelta(days=3),
    "昨天": lambda today: today - timedelta(days=1),
    "昨日": lambda today: today - timedelta(days=1),
    "前天": lambda today: today - timedelta(days=2),
    "周末": _NAMED["eow"],
    "本周末": _NAMED["eow"],
    "这周末": _NAMED["eow"],
    "月底": end_of_month,
    "月末": end_of_month,
    "本月底": end_of_month,
    "本月末": end_of_month,
    "下月初": _next_month,
    "下个月初": _next_month,
    "下月底": lambda today: end_of_month(_next_month(today)),
    "下个月底": lambda today: end_of_month(_next_month(today)),
    "季度末": end_of_quarter,
    "本季度末": end_of_quarter,
    "季末": end_of_quarter,
    "年底": _NAMED["eoy"],
    "年末": _NAMED["eoy"],
}


def zh_number(text: str) -> int | None:
    """``15``, ``十五``, ``二十``, ``两`` -> the number; None when it is not one (up to 99)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _ZH_DIGITS.get(text) if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    high = _ZH_DIGITS.get(tens, -1) if tens else 1
    low = _ZH_DIGITS.get(ones, -1) if ones else 0
    if high < 1 or low < 0 or "十" in ones:
        return None
    return high * 10 + low


def _zh_unit(word: str) -> str:
    return {"天": "d", "日": "d", "个月": "m", "年": "y"}.get(word, "w")


def _zh_weekday(prefix: str | None, name: str, today: date) -> date:
    weekday = _ZH_WEEKDAY[name]
    monday = today - timedelta(days=today.weekday())
    if prefix and prefix.startswith("下"):  # 下周一: Monday of next week
        return monday + timedelta(days=7 + weekday)
    if prefix:  # 本周五 / 这周五: this week's Friday
        return monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _zh_month_day(month: int | None, day: int | None, today: date, raw: str, field: str) -> date:
    """``12月15日``: this year, or next year when that day has passed."""
    if month is None or day is None:
        raise _unreadable(field, raw)
    found = _make(today.year, month, day, raw, field)
    if found < today:
        found = _make(today.year + 1, month, day, raw, field)
    return found


def _chinese(value: str, raw: str, today: date, field: str) -> date | None:
    """A date written in Chinese (``value`` is NFKC-folded, without spaces); None if not."""
    named = _ZH_NAMED.get(value)
    if named is not None:
        return named(today)
    match = _ZH_DAY_OF_WEEK.match(value)
    if match:
        return _zh_weekday(match.group(1), match.group(2), today)
    match = _ZH_OFFSET.match(value)
    if match:
        amount = zh_number(match.group(1))
        if amount is None:
            raise _unreadable(field, raw)
        sign = "-" if match.group(3).endswith("前") else "+"
        try:
            return _offset(today, sign, amount, _zh_unit(match.group(2)))
        except (ValueError, OverflowError):
            raise _outside(field, raw) from None
    match = _ZH_FULL.match(value)
    if match:
        month, day = zh_number(match.group(2)), zh_number(match.group(3))
        if month is None or day is None:
            raise _unreadable(field, raw)
        return _make(int(match.group(1)), month, day, raw, field)
    match = _ZH_MONTH_DAY.match(value)
    if match:
        return _zh_month_day(
            zh_number(match.group(1)), zh_number(match.group(2)), today, raw, field
        )
    return None


def _unreadable(field: str, raw: str) -> Invalid:
    return Invalid(
        _("{field}: cannot read {text} as a date; use {accepted}").format(
            field=field, text=repr(raw), accepted=_(ACCEPTED)
        )
    )


def parse_date(text: str | date, today: date, *, field: str = "date") -> date:
    """Read a date in any of the accepted forms; anything unreadable or outside the accepted
    calendar (EARLIEST to LATEST) is ``Invalid``."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return in_range(text, text.isoformat(), field)
    return in_range(_read_date(str(text).strip(), today, field), str(text).strip(), field)


def _read_date(raw: str, today: date, field: str) -> date:
    value = raw.lower()
    if not value:
        raise Invalid(
            _("{field}: empty date; use {accepted}").format(field=field, accepted=_(ACCEPTED))
        )
    relative = _relative(value, raw, today, field)
    if relative is not None:
        return relative
    match = _ISO.match(value)
    if match:
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), raw, field)
    if not value.isascii():
        written = _chinese(_fold(raw), raw, today, field)
        if written is not None:
            return written
    if _AMBIGUOUS.match(value):
        raise Invalid(
            _("{field}: {text} is ambiguous (day/month order); write it as YYYY-MM-DD").format(
                field=field, text=repr(raw)
            )
        )
    if _HAS_MONTH_NAME.search(value) and re.search(r"\d{4}", value):
        parsed = _from_dateutil(raw, today, field)
        if parsed is not None:
            return parsed
    raise _unreadable(field, raw)


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
            raise Invalid(
                _("{field}: {text} has an impossible time of day").format(
                    field=field, text=repr(raw)
                )
            )
        return datetime.combine(day, time(hour, minute))
    day = parse_date(raw, now.date(), field=field)
    if day == now.date():
        return now.replace(microsecond=0)
    return datetime.combine(day, time(12, 0))


def parse_duration_days(text: str, today: date, *, field: str = "duration") -> int:
    """``7d``, ``2w``, ``1m`` or a bare number of days, as days counted from ``today``."""
    value = str(text).strip().lower()
    match = _DURATION.match(value)
    written = None if match or value.isascii() else _ZH_AMOUNT.match(_fold(value))
    try:
        if written and zh_number(written.group(1)) is not None:  # 7天, 两周, 一个月
            amount = zh_number(written.group(1)) or 0
            return (_offset(today, "+", amount, _zh_unit(written.group(2))) - today).days
        if match:
            amount, unit = int(match.group(1)), match.group(2) or "d"
            return (_offset(today, "+", amount, unit) - today).days
    except (ValueError, OverflowError):
        raise _outside(field, str(text)) from None
    raise Invalid(
        _("{field}: cannot read {text}; use a number of days such as 7d, 2w or 1m").format(
            field=field, text=repr(text)
        )
    )


def shift_off_weekend(
    day: date, rule: str, calendar: WorkCalendar | frozenset[int] = SAT_SUN
) -> date:
    """Move a due date off a day off: ``next`` working day, ``previous`` one, or ``keep``.

    ``calendar`` is the policy's working-day calendar (holidays and make-up days), or just
    the weekend days (0 = Monday)."""
    return as_calendar(calendar).shift(day, rule)


def add_working_days(
    day: date, days: int, calendar: WorkCalendar | frozenset[int] = SAT_SUN
) -> date:
    """The date ``days`` working days after ``day`` (days off skipped)."""
    return as_calendar(calendar).add_working_days(day, days)


def working_days_between(
    start: date, end: date, calendar: WorkCalendar | frozenset[int] = SAT_SUN
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    return as_calendar(calendar).working_days_between(start, end)
