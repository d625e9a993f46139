"""Logging an interaction: it closes the open follow-up and schedules the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bizops.domain import cadence
from bizops.domain.dates import parse_date, parse_datetime
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.domain.vocab import CHANNELS, one_of
from bizops.i18n import _
from bizops.services.followups.access import active_customer, require_can_follow_up
from bizops.services.followups.scheduling import open_followup
from bizops.services.followups.status import CADENCE, DONE, OPEN, PLANNED, snapshot
from bizops.store import audit
from bizops.store.models import Customer, FollowUp, Interaction, User

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class ClosedFollowUp:
    id: int
    due: date
    closed_on: date
    on_time: bool
    days_late: int


@dataclass(frozen=True)
class LogResult:
    interaction_id: int
    customer_code: str
    customer_name: str
    via: str
    on: date
    closed: ClosedFollowUp | None
    next_id: int | None
    next_due: date | None
    history_only: bool = False


@dataclass(frozen=True)
class _Entry:
    """What the user logs, checked."""

    moment: datetime
    via: str
    summary: str
    contact: str | None
    outcome: str | None
    planned: date | None  # --next

    @property
    def day(self) -> date:
        return self.moment.date()


def _interaction_moment(
    at: str | datetime | None, *, today: date, now: datetime | None
) -> datetime:
    """When the interaction happened, timezone-aware; refused if it lies in the future."""
    clock = now if now is not None else datetime.now().astimezone()
    if clock.date() != today:
        clock = clock.replace(year=today.year, month=today.month, day=today.day)
    if clock.tzinfo is None:
        clock = clock.astimezone()
    if at is None or (isinstance(at, str) and not at.strip()):
        return clock
    moment = parse_datetime(at, clock, field="--at")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.tzinfo)
    if moment.date() > today or moment > clock + timedelta(minutes=1):
        raise Invalid(
            _(
                "--at: {moment} is in the future; log what has happened, "
                "and plan what will with --next or `bizops followups plan`"
            ).format(moment=moment.strftime("%Y-%m-%d %H:%M"))
        )
    return moment


def _next_date(next_due: str | date | None, today: date) -> date | None:
    if next_due is None or (isinstance(next_due, str) and not next_due.strip()):
        return None
    planned = parse_date(next_due, today, field="--next")
    if planned < today:
        raise Invalid(
            _("{field}: {day} is in the past; give today ({today}) or a later date").format(
                field="--next", day=planned.isoformat(), today=today.isoformat()
            )
        )
    return planned


def _check_schedule(customer: Customer, entry: _Entry) -> bool:
    """Whether the interaction is history only (older than the last contact): it is recorded
    and the schedule stays. Refuses a --next that could not apply."""
    history_only = customer.last_contact_on is not None and entry.day < customer.last_contact_on
    if entry.planned is None:
        return history_only
    if not cadence.has_followups(customer.stage):
        raise Conflict(
            _(
                "--next: customer {code} is {stage} and has no follow-ups; move it back into "
                "the pipeline first (`bizops customer stage {code} ... --reason`)"
            ).format(code=customer.code, stage=customer.stage)
        )
    if history_only:
        last = customer.last_contact_on.isoformat() if customer.last_contact_on else ""
        raise Invalid(
            _(
                "--next: this interaction ({day}) is older than the last contact ({last}); "
                "it is recorded as history and does not change the schedule; "
                "use `bizops followups plan`"
            ).format(day=entry.day.isoformat(), last=last)
        )
    return history_only


def _close(session: Session, current: FollowUp, interaction: Interaction) -> ClosedFollowUp:
    """The open follow-up is done on the day of the interaction."""
    assert current.id is not None and interaction.id is not None
    day = interaction.on
    current.status = DONE
    current.closed_on = day
    current.on_time = cadence.is_on_time(day, current.due)
    current.interaction_id = interaction.id
    interaction.followup_id = current.id
    session.add(current)
    session.add(interaction)
    # The partial unique index allows one open follow-up: close before opening.
    session.flush()
    return ClosedFollowUp(
        id=current.id,
        due=current.due,
        closed_on=day,
        on_time=current.on_time,
        days_late=cadence.days_late(day, current.due),
    )


def _open_next(
    session: Session, customer: Customer, entry: _Entry, *, policy: Policy, today: date
) -> FollowUp:
    """The next follow-up: the date the user chose (kept as planned), else the cadence."""
    assert customer.id is not None
    if entry.planned is not None:
        due, kind = entry.planned, PLANNED
    else:
        computed = cadence.next_due(
            policy,
            grade=customer.grade,
            stage=customer.stage,
            last=entry.day,
            override=customer.cadence_days,
        )
        assert computed is not None
        due, kind = computed, CADENCE
    upcoming = FollowUp(
        customer_id=customer.id, due=due, status=OPEN, kind=kind, purpose=None, created_on=today
    )
    session.add(upcoming)
    return upcoming


def _entry(
    *,
    via: str,
    summary: str,
    contact: str | None,
    outcome: str | None,
    at: str | datetime | None,
    next_due: str | date | None,
    today: date,
    now: datetime | None,
) -> _Entry:
    channel = one_of(via, CHANNELS, "--via")
    text = check_text(summary, "--summary", required=True, max_length=4000)
    assert text is not None
    return _Entry(
        via=channel,
        summary=text,
        contact=check_text(contact, "--contact", max_length=200),
        outcome=check_text(outcome, "--outcome", max_length=4000),
        moment=_interaction_moment(at, today=today, now=now),
        planned=_next_date(next_due, today),
    )


def _record(session: Session, customer: Customer, actor: User, entry: _Entry) -> Interaction:
    assert customer.id is not None and actor.id is not None
    interaction = Interaction(
        customer_id=customer.id,
        at=entry.moment.astimezone(UTC),
        on=entry.day,
        via=entry.via,
        summary=entry.summary,
        contact=entry.contact,
        outcome=entry.outcome,
        actor_id=actor.id,
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    return interaction


def _interaction_audit(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.id,
        "on": interaction.on,
        "at": interaction.at,
        "via": interaction.via,
        "summary": interaction.summary,
        "contact": interaction.contact,
        "outcome": interaction.outcome,
    }


def log_followup(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    via: str,
    summary: str,
    policy: Policy,
    today: date,
    contact: str | None = None,
    outcome: str | None = None,
    next_due: str | date | None = None,
    at: str | datetime | None = None,
    now: datetime | None = None,
) -> LogResult:
    """Record an interaction, close the open follow-up and schedule the next one.

    The open follow-up is done on the day of the interaction (on time when that day is on
    or before its due date). The next one is ``next_due`` if given (a date the user chose, kept
    as planned), else the customer's cadence counted from the day of the interaction, moved
    off the weekend. Lost and dormant customers get the interaction recorded and no follow-up.
    An interaction older than the customer's last contact is history: the schedule stays.
    """
    found = active_customer(session, customer)
    require_can_follow_up(actor, found)
    entry = _entry(
        via=via,
        summary=summary,
        contact=contact,
        outcome=outcome,
        at=at,
        next_due=next_due,
        today=today,
        now=now,
    )
    history_only = _check_schedule(found, entry)
    assert found.id is not None
    current = open_followup(session, found.id)
    before = {"last_contact_on": found.last_contact_on, "open": snapshot(current)}
    interaction = _record(session, found, actor, entry)
    closed: ClosedFollowUp | None = None
    upcoming: FollowUp | None = current
    if not history_only:
        closed = _close(session, current, interaction) if current is not None else None
        found.last_contact_on = entry.day
        session.add(found)
        upcoming = None
        if cadence.has_followups(found.stage):
            upcoming = _open_next(session, found, entry, policy=policy, today=today)
        session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="followup.log",
        entity_type="customer",
        entity_id=found.code,
        before=before,
        after={
            "interaction": _interaction_audit(interaction),
            "closed": snapshot(current) if closed is not None else None,
            "last_contact_on": found.last_contact_on,
            "next": snapshot(upcoming),
        },
    )
    assert interaction.id is not None
    return LogResult(
        interaction_id=interaction.id,
        customer_code=found.code,
        customer_name=found.name,
        via=entry.via,
        on=entry.day,
        closed=closed,
        next_id=upcoming.id if upcoming is not None else None,
        next_due=upcoming.due if upcoming is not None else None,
        history_only=history_only,
    )
