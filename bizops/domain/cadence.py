"""When the next follow-up falls due (seed C6): cadence by grade and stage, weekend rule."""

from __future__ import annotations

from datetime import date, timedelta

from bizops.domain.dates import shift_off_weekend
from bizops.domain.policy import Policy
from bizops.domain.vocab import SIDE_EXITS


def has_followups(stage: str, archived: bool = False) -> bool:
    """Lost, dormant and archived customers have no open follow-up."""
    return not archived and stage not in SIDE_EXITS


def cadence_for(
    policy: Policy, *, grade: str, stage: str, override: int | None = None
) -> int | None:
    """Days between follow-ups: the customer's own cadence, else the policy's grade x stage."""
    if not has_followups(stage):
        return None
    if override is not None:
        return override
    return policy.cadence_days(grade, stage)


def on_working_day(policy: Policy, day: date) -> date:
    return shift_off_weekend(day, policy.weekend_rule, policy.weekend_days)


def first_contact_due(policy: Policy, *, grade: str, created: date) -> date:
    """A new customer's first contact: 1 (A), 3 (B) or 7 (C) days by default."""
    return on_working_day(policy, created + timedelta(days=policy.first_contact[grade]))


def next_due(
    policy: Policy, *, grade: str, stage: str, last: date, override: int | None = None
) -> date | None:
    """The next due date counted from the day of the last interaction (or change)."""
    days = cadence_for(policy, grade=grade, stage=stage, override=override)
    if days is None:
        return None
    return on_working_day(policy, last + timedelta(days=days))
