"""Cadence rules: grade x stage days, first contact, weekend rule, rescheduling guards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain import cadence
from bizops.domain.policy import build_policy, merge_policy
from bizops.domain.vocab import GRADES, PIPELINE
from bizops.services.policy import default_policy, default_policy_data

POLICY = default_policy()
FRI = date(2026, 11, 27)
SAT, SUN, MON = FRI + timedelta(1), FRI + timedelta(2), FRI + timedelta(3)


def policy_with(**calendar):
    return build_policy(merge_policy(default_policy_data(), {"calendar": calendar}))


@pytest.mark.parametrize(
    ("grade", "stage", "days"),
    [
        ("A", "prospect", 7),
        ("A", "proposal", 7),
        ("A", "negotiation", 3),
        ("A", "maintenance", 14),
        ("B", "needs", 14),
        ("B", "negotiation", 7),
        ("B", "maintenance", 30),
        ("C", "contacted", 30),
        ("C", "negotiation", 14),
        ("C", "maintenance", 60),
        ("A", "lost", None),
        ("C", "dormant", None),
    ],
)
def test_default_cadence_table(grade, stage, days):
    assert cadence.cadence_for(POLICY, grade=grade, stage=stage) == days


def test_customer_cadence_overrides_but_not_for_side_exits():
    assert cadence.cadence_for(POLICY, grade="C", stage="needs", override=5) == 5
    assert cadence.cadence_for(POLICY, grade="C", stage="lost", override=5) is None
    assert cadence.next_due(POLICY, grade="A", stage="dormant", last=FRI) is None


def test_first_contact_by_grade_and_weekend():
    # Friday + 1 = Saturday -> Monday; + 3 = Monday; + 7 = next Friday.
    assert cadence.first_contact_due(POLICY, grade="A", created=FRI) == MON
    assert cadence.first_contact_due(POLICY, grade="B", created=FRI) == MON
    assert cadence.first_contact_due(POLICY, grade="C", created=FRI) == FRI + timedelta(7)


def test_weekend_rules():
    assert cadence.on_working_day(POLICY, SAT) == MON
    assert cadence.on_working_day(POLICY, SUN) == MON
    assert cadence.on_working_day(POLICY, FRI) == FRI
    assert cadence.on_working_day(policy_with(weekend_rule="previous"), SUN) == FRI
    assert cadence.on_working_day(policy_with(weekend_rule="keep"), SUN) == SUN
    # A Friday-Saturday weekend: Friday moves to Sunday.
    gulf = policy_with(weekend_days=["fri", "sat"])
    assert cadence.on_working_day(gulf, FRI) == SUN
    # Thursday 26 Nov (A negotiation: +3) lands on Sunday 29 Nov -> Monday 30 Nov.
    assert cadence.next_due(POLICY, grade="A", stage="negotiation", last=FRI - timedelta(1)) == MON


def test_rescheduled_due_guards():
    # Not overdue: a shorter cadence cannot make it overdue; never before today.
    assert (
        cadence.rescheduled_due(
            POLICY, grade="A", stage="prospect", last_contact=FRI - timedelta(20),
            created=FRI - timedelta(60), today=FRI, current_due=FRI + timedelta(10),
        )
        == FRI
    )  # fmt: skip
    # Today is a Saturday: the floor moves to Monday.
    assert (
        cadence.rescheduled_due(
            POLICY, grade="A", stage="prospect", last_contact=SAT - timedelta(20),
            created=SAT - timedelta(60), today=SAT, current_due=SAT + timedelta(10),
        )
        == MON
    )  # fmt: skip
    # Already overdue: not more overdue than it was, but a longer cadence forgives it.
    assert (
        cadence.rescheduled_due(
            POLICY, grade="A", stage="prospect", last_contact=FRI - timedelta(20),
            created=FRI - timedelta(60), today=FRI, current_due=FRI - timedelta(6),
        )
        == FRI - timedelta(6)
    )  # fmt: skip
    assert cadence.rescheduled_due(
        POLICY,
        grade="C",
        stage="prospect",
        last_contact=FRI - timedelta(20),
        created=FRI - timedelta(60),
        today=FRI,
        current_due=FRI - timedelta(6),
    ) == date(2026, 12, 7)  # fmt: skip  (last contact 7 Nov + 30 days)
    # Never contacted: the first-contact rule counts from creation.
    assert (
        cadence.rescheduled_due(
            POLICY, grade="C", stage="prospect", last_contact=None,
            created=FRI, today=FRI, current_due=MON,
        )
        == FRI + timedelta(7)
    )  # fmt: skip
    assert (
        cadence.rescheduled_due(
            POLICY, grade="A", stage="lost", last_contact=None, created=FRI, today=FRI
        )
        is None
    )


def test_on_time_and_lateness():
    assert cadence.is_on_time(FRI, FRI) and cadence.is_on_time(FRI - timedelta(1), FRI)
    assert not cadence.is_on_time(SAT, FRI)
    assert cadence.days_late(MON, FRI) == 3 and cadence.days_late(FRI, MON) == 0
    assert cadence.days_overdue(FRI, MON) == 3 and cadence.days_overdue(MON, FRI) == 0


@given(
    last=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    grade=st.sampled_from(GRADES),
    stage=st.sampled_from(PIPELINE),
    override=st.none() | st.integers(min_value=0, max_value=400),
)
def test_next_due_is_a_working_day_within_cadence_plus_weekend(last, grade, stage, override):
    # Weekends only: the PRC calendar's holidays are tested in test_workdays.
    weekends = policy_with(calendar="weekends")
    due = cadence.next_due(weekends, grade=grade, stage=stage, last=last, override=override)
    days = cadence.cadence_for(weekends, grade=grade, stage=stage, override=override)
    assert due is not None and days is not None
    assert due.weekday() < 5
    assert 0 <= (due - (last + timedelta(days))).days <= 2


@given(
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    back=st.integers(min_value=0, max_value=200),
    current=st.none() | st.integers(min_value=-100, max_value=100),
    grade=st.sampled_from(GRADES),
    stage=st.sampled_from(PIPELINE),
)
def test_rescheduling_never_punishes(today, back, current, grade, stage):
    current_due = None if current is None else today + timedelta(current)
    due = cadence.rescheduled_due(
        POLICY, grade=grade, stage=stage, last_contact=today - timedelta(back),
        created=today - timedelta(back + 10), today=today, current_due=current_due,
    )  # fmt: skip
    assert due is not None
    if current_due is None or current_due >= today:
        assert due >= today
    else:
        assert due >= current_due
