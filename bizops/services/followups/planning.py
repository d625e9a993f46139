"""Planning a follow-up for a date by hand, and snoozing one to a later date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bizops.domain import cadence
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services.followups.access import active_customer, followup_id, require_can_follow_up
from bizops.services.followups.scheduling import open_followup
from bizops.services.followups.status import OPEN, PLANNED, snapshot
from bizops.store import audit
from bizops.store.models import Customer, FollowUp, User

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class FollowUpView:
    id: int
    code: str
    customer: str
    due: date
    kind: str
    purpose: str | None
    snoozed_from: date | None
    previous_due: date | None


def _view(f: FollowUp, customer: Customer, previous: date | None) -> FollowUpView:
    assert f.id is not None
    return FollowUpView(
        id=f.id,
        code=customer.code,
        customer=customer.name,
        due=f.due,
        kind=f.kind,
        purpose=f.purpose,
        snoozed_from=f.snoozed_from,
        previous_due=previous,
    )


def _future_date(value: str | date, today: date, field: str) -> date:
    day = parse_date(value, today, field=field)
    if day < today:
        raise Invalid(
            _("{field}: {day} is in the past; give today ({today}) or a later date").format(
                field=field, day=day.isoformat(), today=today.isoformat()
            )
        )
    return day


def plan_followup(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    due: str | date,
    purpose: str,
    today: date,
) -> FollowUpView:
    """Set the open follow-up's date and purpose by hand (kind ``planned``).

    A planned date is the user's decision: later grade or stage changes keep it.
    """
    found = active_customer(session, customer)
    require_can_follow_up(actor, found)
    day = _future_date(due, today, "--due")
    text = check_text(purpose, "--purpose", required=True, max_length=2000)
    if not cadence.has_followups(found.stage):
        raise Conflict(
            _(
                "customer {code} is {stage} and has no follow-ups; move it back into "
                "the pipeline first (`bizops customer stage {code} ... --reason`)"
            ).format(code=found.code, stage=found.stage)
        )
    assert found.id is not None
    current = open_followup(session, found.id)
    if (
        current is not None
        and current.kind == PLANNED
        and current.due == day
        and current.purpose == text
    ):
        raise Invalid(
            _(
                "--due: follow-up {id} is already planned for {day} with that purpose; "
                "nothing to change"
            ).format(id=current.id, day=day.isoformat())
        )
    before = snapshot(current)
    previous = current.due if current is not None else None
    if current is None:
        current = FollowUp(
            customer_id=found.id, due=day, status=OPEN, kind=PLANNED, created_on=today
        )
    current.due, current.kind, current.purpose = day, PLANNED, text
    session.add(current)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="followup.plan",
        entity_type="followup",
        entity_id=str(current.id),
        before=before,
        after=snapshot(current),
    )
    return _view(current, found, previous)


def snooze_followup(
    session: Session,
    *,
    actor: User,
    followup: str | int,
    to: str | date,
    reason: str | None,
    today: date,
) -> FollowUpView:
    """Move an open follow-up to a later date, with a reason.

    ``snoozed_from`` keeps the date it was first due, however often it is snoozed; the audit
    log keeps every move.
    """
    fid = followup_id(followup)
    found = session.get(FollowUp, fid)
    if found is None:
        raise NotFound(_("ID: no follow-up {id}; see `bizops followups due`").format(id=fid))
    customer = session.get(Customer, found.customer_id)
    assert customer is not None
    require_can_follow_up(actor, customer)
    if found.status != OPEN:
        if found.closed_on:
            message = _(
                "follow-up {id} is {status} on {day}; only an open follow-up can be snoozed"
            )
        else:
            message = _("follow-up {id} is {status}; only an open follow-up can be snoozed")
        raise Conflict(
            message.format(
                id=fid,
                status=found.status,
                day=found.closed_on.isoformat() if found.closed_on else "",
            )
        )
    text = check_text(reason, "--reason", max_length=2000)
    if text is None:
        raise Invalid(_("--reason: say why the follow-up is snoozed (it is kept in the history)"))
    day = _future_date(to, today, "--to")
    if day == found.due:
        raise Invalid(
            _("--to: follow-up {id} is already due on {day}").format(id=fid, day=day.isoformat())
        )
    before = snapshot(found)
    previous = found.due
    found.snoozed_from = found.snoozed_from or found.due
    found.snooze_reason = text
    found.due = day
    session.add(found)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="followup.snooze",
        entity_type="followup",
        entity_id=str(fid),
        before=before,
        after={**(snapshot(found) or {}), "reason": text},
    )
    return _view(found, customer, previous)
