"""When the next follow-up falls due: cadence by grade and stage, and the weekend rule.

Pure rules, no I/O. The defaults (policy ``[cadence]``) in days:

    grade  default  negotiation  maintenance  first contact
    A      7        3            14           1
    B      14       7            30           3
    C      30       14           60           7

Lost and dormant customers (and archived ones) have no follow-up. A customer's own cadence
(``cadence_days``) replaces the grade x stage table. A due date on a day off (a weekend day, a
public holiday of the PRC calendar) moves by the policy's weekend rule (``next``: to the next
working day; ``previous``: to the working day before; ``keep``); a make-up working day (调休)
is a working day.
"""

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
    """A due date moved off a day off (a weekend, a public holiday) by the weekend rule."""
    return shift_off_weekend(day, policy.weekend_rule, policy.calendar)


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


def rescheduled_due(
    policy: Policy,
    *,
    grade: str,
    stage: str,
    last_contact: date | None,
    created: date,
    today: date,
    current_due: date | None = None,
    override: int | None = None,
) -> date | None:
    """The open follow-up's due date after a grade, stage or cadence change.

    Counted as if scheduled afresh (from the last contact, or the first-contact rule for a
    customer never contacted), with two guards so that a change made today neither punishes
    nor forgives: a follow-up that was not overdue does not become overdue (never earlier
    than today, moved off the weekend), and one that was already overdue does not become
    more overdue (never earlier than its current due date). ``None``: no follow-up.
    """
    if not has_followups(stage):
        return None
    if last_contact is None:
        computed = first_contact_due(policy, grade=grade, created=created)
    else:
        found = next_due(policy, grade=grade, stage=stage, last=last_contact, override=override)
        assert found is not None
        computed = found
    if current_due is not None and current_due < today:
        floor = current_due
    else:
        floor = on_working_day(policy, today)
    return max(computed, floor)


def days_overdue(due: date, today: date) -> int:
    """Whole days past the due date; 0 when due today or later."""
    return max(0, (today - due).days)


def is_on_time(done_on: date, due: date) -> bool:
    """A follow-up is done on time when the contact happens on or before its due date."""
    return done_on <= due


def days_late(done_on: date, due: date) -> int:
    return max(0, (done_on - due).days)
