"""Dates as people type them, always relative to a given today."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain.dates import (
    add_months,
    add_working_days,
    end_of_month,
    end_of_quarter,
    parse_date,
    parse_datetime,
    parse_duration_days,
    shift_off_weekend,
    working_days_between,
)
from bizops.domain.errors import Invalid

TODAY = date(2026, 12, 1)  # a Tuesday

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2027-01-15", date(2027, 1, 15)),
        ("2026/12/05", date(2026, 12, 5)),
        ("2026.12.05", date(2026, 12, 5)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("2026年1月5号", date(2026, 1, 5)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("  today  ", TODAY),
        ("tomorrow", date(2026, 12, 2)),
        ("yesterday", date(2026, 11, 30)),
        ("+3d", date(2026, 12, 4)),
        ("+0d", TODAY),
        ("-3d", date(2026, 11, 28)),
        ("+2w", date(2026, 12, 15)),
        ("-1w", date(2026, 11, 24)),
        ("+1m", date(2027, 1, 1)),
        ("-1m", date(2026, 11, 1)),
        ("+1y", date(2027, 12, 1)),
        ("+14D", date(2026, 12, 15)),
        # weekday names: the next such day strictly after today (a Tuesday)
        ("wed", date(2026, 12, 2)),
        ("fri", date(2026, 12, 4)),
        ("friday", date(2026, 12, 4)),
        ("FRIDAY", date(2026, 12, 4)),
        ("sat", date(2026, 12, 5)),
        ("sun", date(2026, 12, 6)),
        ("mon", date(2026, 12, 7)),
        ("tue", date(2026, 12, 8)),
        ("tuesday", date(2026, 12, 8)),
        ("thu", date(2026, 12, 3)),
        ("thurs", date(2026, 12, 3)),
        ("eow", date(2026, 12, 6)),
        ("eom", date(2026, 12, 31)),
        ("eoq", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        # what python-dateutil reads without ambiguity (a month name and a four-digit year)
        ("1 Dec 2026", date(2026, 12, 1)),
        ("Dec 1 2026", date(2026, 12, 1)),
        ("Dec 1, 2026", date(2026, 12, 1)),
        ("December 25th 2026", date(2026, 12, 25)),
        ("3 March 2027", date(2027, 3, 3)),
        ("Tuesday, 1 December 2026", date(2026, 12, 1)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_a_date_object_passes_through() -> None:
    assert parse_date(date(2030, 5, 6), TODAY) == date(2030, 5, 6)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        # month-end clamping: the 31st becomes the last day of a shorter month
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),
        (date(2028, 1, 31), "+1m", date(2028, 2, 29)),
        (date(2026, 3, 31), "-1m", date(2026, 2, 28)),
        (date(2026, 8, 31), "+1m", date(2026, 9, 30)),
        (date(2026, 10, 31), "+4m", date(2027, 2, 28)),
        (date(2028, 2, 29), "+1y", date(2029, 2, 28)),
        (date(2026, 12, 31), "+1m", date(2027, 1, 31)),
        # eoq in each quarter, eow on a Sunday is that Sunday
        (date(2026, 2, 10), "eoq", date(2026, 3, 31)),
        (date(2026, 4, 1), "eoq", date(2026, 6, 30)),
        (date(2026, 9, 30), "eoq", date(2026, 9, 30)),
        (date(2026, 11, 15), "eoq", date(2026, 12, 31)),
        (date(2026, 12, 6), "eow", date(2026, 12, 6)),
        (date(2026, 2, 3), "eom", date(2026, 2, 28)),
        # a weekday name on that weekday means a week later
        (date(2026, 12, 4), "fri", date(2026, 12, 11)),
    ],
)
def test_relative_forms_at_the_edges(today: date, text: str, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("01/02/2026", "ambiguous"),
        ("12/25/2026", "ambiguous"),
        ("1.12.2026", "ambiguous"),
        ("02-01-26", "ambiguous"),
        ("someday", "cannot read"),
        ("", "empty"),
        ("   ", "empty"),
        ("next week", "cannot read"),
        ("2026-02-30", "not a real date"),
        ("2026-13-01", "not a real date"),
        ("0000-01-01", "not a real date"),
        ("2026年2月30日", "not a real date"),
        ("+3x", "cannot read"),
        ("+d", "cannot read"),
        ("3d", "cannot read"),
        ("+9999y", "outside the calendar"),
        ("-9999y", "outside the calendar"),
        ("Dec 2026", "day of the month"),
        ("fri 1 Dec 2026", "weekday"),
        ("32 Dec 2026", "cannot read"),
        ("1 Dec", "cannot read"),
        ("2026-12-01T10:00", "cannot read"),
        ("fryday", "cannot read"),
        ("1e3", "cannot read"),
    ],
)
def test_refused_forms_are_invalid_never_a_guess(text: str, words: str) -> None:
    with pytest.raises(Invalid) as info:
        parse_date(text, TODAY, field="--due")
    assert info.value.exit_code == 2
    assert words in info.value.message
    assert info.value.message.startswith("--due: ")


def test_refusal_lists_the_accepted_forms() -> None:
    with pytest.raises(Invalid) as info:
        parse_date("someday", TODAY)
    for form in ("YYYY-MM-DD", "today", "+3d", "eom"):
        assert form in info.value.message


@given(today=days, n=st.integers(min_value=0, max_value=3000))
def test_day_and_week_offsets(today: date, n: int) -> None:
    assert parse_date(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_date(f"-{n}d", today) == today - timedelta(days=n)
    if n <= 400:
        assert parse_date(f"+{n}w", today) == today + timedelta(weeks=n)
        assert parse_date(f"-{n}w", today) == today - timedelta(weeks=n)


@given(today=days, n=st.integers(min_value=-240, max_value=240))
def test_month_offsets_clamp_to_month_end(today: date, n: int) -> None:
    text = f"+{n}m" if n >= 0 else f"{n}m"
    result = parse_date(text, today)
    assert (result.year * 12 + result.month) - (today.year * 12 + today.month) == n
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(today.day, last)
    assert add_months(today, n) == result


@given(today=days)
def test_named_days_relative_to_today(today: date) -> None:
    eow = parse_date("eow", today)
    assert eow.weekday() == 6 and 0 <= (eow - today).days <= 6
    eom = parse_date("eom", today)
    assert eom == end_of_month(today) and (eom + timedelta(days=1)).day == 1
    assert eom.month == today.month
    eoq = parse_date("eoq", today)
    assert eoq == end_of_quarter(today) and eoq.month % 3 == 0 and eoq >= today
    assert (eoq - today).days < 92
    for name, weekday in (("mon", 0), ("wed", 2), ("fri", 4), ("sunday", 6)):
        day = parse_date(name, today)
        assert day.weekday() == weekday and 1 <= (day - today).days <= 7


@given(day=days, today=days)
def test_iso_round_trip(day: date, today: date) -> None:
    assert parse_date(day.isoformat(), today) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日", today) == day
    assert parse_date(day.strftime("%d %B %Y"), today) == day


@given(day=days)
def test_day_month_year_with_two_small_numbers_is_always_refused(day: date) -> None:
    with pytest.raises(Invalid):
        parse_date(day.strftime("%d/%m/%Y"), TODAY)


def test_parse_datetime() -> None:
    now = datetime(2026, 12, 1, 9, 30, 15, 123)
    assert parse_datetime("today", now) == datetime(2026, 12, 1, 9, 30, 15)
    assert parse_datetime("tomorrow", now) == datetime(2026, 12, 2, 12, 0)
    assert parse_datetime("2026-12-03 14:05", now) == datetime(2026, 12, 3, 14, 5)
    assert parse_datetime("2026-12-03T14:05", now) == datetime(2026, 12, 3, 14, 5)
    assert parse_datetime("yesterday 8:00", now) == datetime(2026, 11, 30, 8, 0)
    with pytest.raises(Invalid, match="impossible time"):
        parse_datetime("2026-12-03 25:00", now)
    with pytest.raises(Invalid):
        parse_datetime("whenever", now)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7d", 7), ("7", 7), ("+7d", 7), ("2w", 14), ("1m", 31), ("0", 0), ("30D", 30)],
)
def test_durations(text: str, expected: int) -> None:
    assert parse_duration_days(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "-7d", "soon", "7x", "1.5d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(Invalid):
        parse_duration_days(text, TODAY, field="--within")


def test_weekend_rules() -> None:
    sat, sun, mon = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)
    assert shift_off_weekend(sat, "next") == mon
    assert shift_off_weekend(sun, "next") == mon
    assert shift_off_weekend(sun, "previous") == date(2026, 12, 4)
    assert shift_off_weekend(sat, "keep") == sat
    assert shift_off_weekend(mon, "next") == mon
    # a Friday-Saturday weekend
    assert shift_off_weekend(date(2026, 12, 4), "next", frozenset({4, 5})) == sun


@given(day=days, n=st.integers(min_value=0, max_value=60))
def test_working_days_agree(day: date, n: int) -> None:
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    if n:
        assert later.weekday() < 5
    assert working_days_between(later, day) == 0
