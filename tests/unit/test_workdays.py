"""Working days follow the PRC calendar: public holidays, make-up working days (调休), the
policy's own days, and plain weekends for years not published yet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain import cadence, workdays
from bizops.domain.dates import add_working_days, shift_off_weekend, working_days_between
from bizops.domain.errors import Invalid
from bizops.domain.policy import build_policy, merge_policy
from bizops.services.policy import default_policy, default_policy_data

PRC = workdays.prc()
POLICY = default_policy()


def policy_with(**calendar):
    return build_policy(merge_policy(default_policy_data(), {"calendar": calendar}))


def test_national_day_2026_is_off_and_ends_on_the_8th() -> None:
    for day in range(1, 8):
        assert not PRC.is_working_day(date(2026, 10, day))
    assert PRC.is_working_day(date(2026, 10, 8))  # a Thursday
    assert PRC.next_working_day(date(2026, 10, 1)) == date(2026, 10, 8)
    assert PRC.previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)


def test_make_up_working_days_are_working_days() -> None:
    # 2026 Spring Festival: Saturdays 14 and 28 February are worked; 15-23 February are off.
    for saturday in (date(2026, 2, 14), date(2026, 2, 28)):
        assert saturday.weekday() == 5
        assert PRC.is_working_day(saturday)
        assert shift_off_weekend(saturday, "next", PRC) == saturday
    assert date(2026, 9, 20).weekday() == 6 and PRC.is_working_day(date(2026, 9, 20))
    assert PRC.is_working_day(date(2026, 10, 10))  # a Saturday after National Day
    for day in range(15, 24):
        assert not PRC.is_working_day(date(2026, 2, day))
    assert PRC.next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)
    # Weekends alone know none of this.
    assert not workdays.weekends().is_working_day(date(2026, 2, 14))


def test_first_contact_after_national_day() -> None:
    # An A-grade customer added on 30 September: due the next day, a holiday, so on 8 October.
    assert cadence.first_contact_due(POLICY, grade="A", created=date(2026, 9, 30)) == date(
        2026, 10, 8
    )
    previous = policy_with(weekend_rule="previous")
    assert cadence.on_working_day(previous, date(2026, 10, 3)) == date(2026, 9, 30)
    assert cadence.on_working_day(policy_with(weekend_rule="keep"), date(2026, 10, 3)) == date(
        2026, 10, 3
    )
    # The old behaviour, weekends only: 1 October is a Thursday.
    plain = policy_with(calendar="weekends")
    assert cadence.first_contact_due(plain, grade="A", created=date(2026, 9, 30)) == date(
        2026, 10, 1
    )


def test_approval_sla_counts_working_days() -> None:
    assert add_working_days(date(2026, 9, 30), 2, PRC) == date(2026, 10, 9)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9), PRC) == 2
    # Friday 13 February 2026: Saturday the 14th is a make-up working day.
    assert add_working_days(date(2026, 2, 13), 1, PRC) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2, PRC) == date(2026, 2, 24)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 28), PRC) == 6


@given(
    day=st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_add_and_count_agree(day: date, n: int) -> None:
    later = add_working_days(day, n, PRC)
    assert working_days_between(day, later, PRC) == n
    if n:
        assert PRC.is_working_day(later)


@given(day=st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31)))
def test_shifted_days_are_working_days(day: date) -> None:
    assert PRC.is_working_day(PRC.shift(day, "next"))
    assert PRC.shift(day, "next") >= day
    assert PRC.is_working_day(PRC.shift(day, "previous"))
    assert PRC.shift(day, "previous") <= day


@given(
    last=st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 1, 1)),
    grade=st.sampled_from(("A", "B", "C")),
    override=st.none() | st.integers(min_value=0, max_value=400),
)
def test_next_due_is_the_first_working_day_from_the_cadence(last, grade, override) -> None:
    due = cadence.next_due(POLICY, grade=grade, stage="needs", last=last, override=override)
    days = cadence.cadence_for(POLICY, grade=grade, stage="needs", override=override)
    assert due is not None and days is not None
    assert due == PRC.next_working_day(last + timedelta(days))


def test_unpublished_years_fall_back_to_weekends() -> None:
    last = max(workdays.published_years())
    later = last + 1
    assert not PRC.knows(later) and PRC.knows(last)
    first_of_year = date(later, 1, 1)
    weekend = workdays.weekends()
    for offset in range(366):
        day = first_of_year + timedelta(days=offset)
        if day.year != later:
            break
        assert PRC.is_working_day(day) == weekend.is_working_day(day)


def test_policy_days_add_and_override() -> None:
    policy = policy_with(
        holidays=["2026-12-31", "2027-02-06..2027-02-08"], workdays=[date(2026, 10, 7)]
    )
    work = policy.calendar
    assert not work.is_working_day(date(2026, 12, 31))
    assert not work.is_working_day(date(2027, 2, 8))  # a Monday
    assert work.is_working_day(date(2026, 10, 7))  # a National Day holiday, worked here
    assert work.next_working_day(date(2026, 10, 1)) == date(2026, 10, 7)
    assert policy.calendar.kind == "prc" and POLICY.calendar.kind == "prc"


@pytest.mark.parametrize(
    ("calendar", "words"),
    [
        ({"calendar": "lunar"}, "calendar.calendar: 'lunar'; accepted: prc, weekends"),
        ({"holidays": ["soon"]}, "calendar.holidays: 'soon' is not a date"),
        ({"workdays": ["2027-02-09..2027-02-01"]}, "calendar.workdays: '2027-02-09..2027-02-01'"),
        ({"holidays": "2027-01-01"}, "calendar.holidays: expected a list of dates"),
        (
            {"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]},
            "2027-01-01 is both a holiday and a working day",
        ),
    ],
)
def test_calendar_problems(calendar: dict, words: str) -> None:
    with pytest.raises(Invalid) as info:
        policy_with(**calendar)
    assert any(words in d for d in info.value.details), info.value.details


def test_config_check_names_the_years_to_fill_in() -> None:
    last = max(workdays.published_years())
    in_october = date(last, 10, 15)
    assert workdays.unpublished_years(PRC, today=in_october) == [last + 1]
    assert workdays.unpublished_years(PRC, today=date(last, 3, 1)) == []
    assert workdays.unpublished_years(workdays.weekends(), today=in_october) == []
    filled = workdays.prc(holidays=[date(last + 1, 1, 1)])
    assert workdays.unpublished_years(filled, today=in_october) == []
