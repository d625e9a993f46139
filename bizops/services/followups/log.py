"""Logging an interaction: it closes the open follow-up and schedules the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bizops.domain import cadence
from bizops.domain.dates import parse_date, parse_datetime
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.pipeline import FIRST_CONTACT_LOGGED
from bizops.domain.policy import Policy
from bizops.domain.roles import MANAGER
from bizops.domain.validate import check_text
from bizops.domain.vocab import CHANNELS, one_of
from bizops.i18n import _
from bizops.services.followups.access import active_customer, require_can_follow_up
from bizops.services.followups.scheduling import open_followup
from bizops.services.followups.stage_moves import auto_advance
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
    purpose: str | None = None
    place: str | None = None
    next_action: str | None = None
    # The stage the customer moved to by this log (a first contact with a prospect), if any.
    moved_to: str | None = None


@dataclass(frozen=True)
class _Entry:
    """What the user logs, checked."""

    moment: datetime
    via: str
    summary: str
    contact: str | None
    outcome: str | None
    planned: date | None  # --next
    logged: datetime  # when it is logged (the real clock, on ``today``)
    purpose: str | None = None
    place: str | None = None
    next_action: str | None = None

    @property
    def day(self) -> date:
        return self.moment.date()

    @property
    def days_back(self) -> int:
        """How many days before the day of logging the interaction happened."""
        return (self.logged.date() - self.day).days


def _clock(today: date, now: datetime | None) -> datetime:
    """The time of logging, timezone-aware, on ``today``."""
    clock = now if now is not None else datetime.now().astimezone()
    if clock.date() != today:
        clock = clock.replace(year=today.year, month=today.month, day=today.day)
    if clock.tzinfo is None:
        clock = clock.astimezone()
    return clock


def _interaction_moment(at: str | datetime | None, *, clock: datetime, today: date) -> datetime:
    """When the interaction happened, timezone-aware; refused if it lies in the future."""
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


def _check_backdating(
    actor: User, current: FollowUp | None, entry: _Entry, *, policy: Policy, history_only: bool
) -> None:
    """A user who is not a manager logs what happened recently: not more than the policy's
    ``followups.backdate_days`` before today, and never before the follow-up it closes was
    created."""
    if actor.has_role(MANAGER):
        return
    if entry.days_back > policy.backdate_days:
        raise Invalid(
            _(
                "--at: {day} is {days} days ago; interactions may be logged at most {most} "
                "day(s) back (policy followups.backdate_days); ask a manager to log it"
            ).format(day=entry.day.isoformat(), days=entry.days_back, most=policy.backdate_days)
        )
    if current is not None and not history_only and entry.day < current.created_on:
        raise Invalid(
            _(
                "--at: {day} is before follow-up {id} was created ({created}); an interaction "
                "cannot close a follow-up that did not exist yet"
            ).format(day=entry.day.isoformat(), id=current.id, created=current.created_on)
        )


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


def _close(
    session: Session, current: FollowUp, interaction: Interaction, entry: _Entry, *, policy: Policy
) -> ClosedFollowUp:
    """The open follow-up is done on the day of the interaction. On time or late is judged
    on that day, or on the day of logging when it was logged more than the policy's
    ``followups.backdate_days`` later (backdating does not make a follow-up on time)."""
    assert current.id is not None and interaction.id is not None
    day = interaction.on
    judged = entry.logged.date() if entry.days_back > policy.backdate_days else day
    current.status = DONE
    current.closed_on = day
    current.on_time = cadence.is_on_time(judged, current.due)
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
        days_late=cadence.days_late(judged, current.due),
    )


def _open_next(
    session: Session, customer: Customer, entry: _Entry, *, policy: Policy, today: date
) -> FollowUp:
    """The next follow-up: the date the user chose (kept as planned), else the cadence,
    counted from the day of the interaction but never in the past: an interaction logged late
    schedules the next one from today."""
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
        if computed < today:
            computed = cadence.next_due(
                policy,
                grade=customer.grade,
                stage=customer.stage,
                last=today,
                override=customer.cadence_days,
            )
            assert computed is not None
        due, kind = computed, CADENCE
    upcoming = FollowUp(
        customer_id=customer.id, due=due, status=OPEN, kind=kind, purpose=None, created_on=today
    )
    session.add(upcoming)
    return upcoming


@dataclass(frozen=True)
class Details:
    """拜访目的, 地点, 下一步: what a contact was for, where it happened, what comes next."""

    purpose: str | None = None
    place: str | None = None
    next_action: str | None = None

    def checked(self) -> Details:
        return Details(
            purpose=check_text(self.purpose, "--purpose", max_length=500),
            place=check_text(self.place, "--place", max_length=200),
            next_action=check_text(self.next_action, "--next-action", max_length=2000),
        )


def _entry(
    *,
    via: str,
    summary: str,
    contact: str | None,
    outcome: str | None,
    at: str | datetime | None,
    next_due: str | date | None,
    details: Details,
    today: date,
    now: datetime | None,
) -> _Entry:
    channel = one_of(via, CHANNELS, "--via")
    text = check_text(summary, "--summary", required=True, max_length=4000)
    assert text is not None
    clock = _clock(today, now)
    checked = details.checked()
    return _Entry(
        via=channel,
        summary=text,
        contact=check_text(contact, "--contact", max_length=200),
        outcome=check_text(outcome, "--outcome", max_length=4000),
        moment=_interaction_moment(at, clock=clock, today=today),
        planned=_next_date(next_due, today),
        logged=clock,
        purpose=checked.purpose,
        place=checked.place,
        next_action=checked.next_action,
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
        purpose=entry.purpose,
        place=entry.place,
        next_action=entry.next_action,
        logged_at=entry.logged.astimezone(UTC),
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    return interaction


def _interaction_audit(interaction: Interaction) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": interaction.id,
        "on": interaction.on,
        "at": interaction.at,
        "via": interaction.via,
        "summary": interaction.summary,
        "contact": interaction.contact,
        "outcome": interaction.outcome,
        "logged_at": interaction.logged_at,
    }
    for key in ("purpose", "place", "next_action"):
        value = getattr(interaction, key)
        if value is not None:
            out[key] = value
    return out


def _first_contact_move(
    session: Session, customer: Customer, actor: User, *, policy: Policy, today: date
) -> str | None:
    """The first contact logged with a prospect moves it to ``contacted`` (cause recorded; the
    log's own audit event records the move, and the log schedules the next follow-up)."""
    moved = auto_advance(
        session,
        actor=actor,
        customer=customer,
        to="contacted",
        cause=FIRST_CONTACT_LOGGED,
        policy=policy,
        today=today,
        audited=False,
        reschedule=False,
    )
    return customer.stage if moved else None


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
    details: Details | None = None,
) -> LogResult:
    """Record an interaction, close the open follow-up and schedule the next one.

    The open follow-up is done on the day of the interaction (on time when that day is on
    or before its due date; judged on the day of logging when that is more than the policy's
    ``followups.backdate_days`` later). The next one is ``next_due`` if given (a date the user
    chose, kept as planned), else the customer's cadence counted from the day of the
    interaction (never before today), moved off the weekend. Lost and dormant customers get
    the interaction recorded and no follow-up. An interaction older than the customer's last
    contact is history: the schedule stays. A user who is not a manager may not log an
    interaction more than ``followups.backdate_days`` back, nor before the follow-up it closes
    was created. ``details``: the purpose, place and next action of the contact. The first
    contact logged with a prospect moves it to ``contacted``.
    """
    found = active_customer(session, customer)
    require_can_follow_up(actor, found)
    entry = _entry(
        via=via, summary=summary, contact=contact, outcome=outcome, at=at,
        next_due=next_due, details=details or Details(), today=today, now=now,
    )  # fmt: skip
    history_only = _check_schedule(found, entry)
    assert found.id is not None
    current = open_followup(session, found.id)
    _check_backdating(actor, current, entry, policy=policy, history_only=history_only)
    before = {"last_contact_on": found.last_contact_on, "open": snapshot(current)}
    from_stage, moved_to = found.stage, None
    interaction = _record(session, found, actor, entry)
    closed: ClosedFollowUp | None = None
    upcoming: FollowUp | None = current
    if not history_only:
        if current is not None:
            closed = _close(session, current, interaction, entry, policy=policy)
        found.last_contact_on = entry.day
        session.add(found)
        moved_to = _first_contact_move(session, found, actor, policy=policy, today=today)
        upcoming = None
        if cadence.has_followups(found.stage):
            upcoming = _open_next(session, found, entry, policy=policy, today=today)
        session.flush()
    after: dict[str, Any] = {
        "interaction": _interaction_audit(interaction),
        "closed": snapshot(current) if closed is not None else None,
        "last_contact_on": found.last_contact_on,
        "next": snapshot(upcoming),
    }
    if moved_to is not None:
        after["stage"] = {"from": from_stage, "to": moved_to, "cause": FIRST_CONTACT_LOGGED}
    audit.record(
        session,
        actor=actor.login,
        action="followup.log",
        entity_type="customer",
        entity_id=found.code,
        before=before,
        after=after,
    )
    return _result(found, interaction, entry, closed, upcoming, history_only, moved_to)


def _result(
    found: Customer,
    interaction: Interaction,
    entry: _Entry,
    closed: ClosedFollowUp | None,
    upcoming: FollowUp | None,
    history_only: bool,
    moved_to: str | None,
) -> LogResult:
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
        purpose=entry.purpose,
        place=entry.place,
        next_action=entry.next_action,
        moved_to=moved_to,
    )
