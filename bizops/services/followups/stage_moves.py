"""Recording a stage move, by hand or by bizops itself, with the follow-up it implies.

Every move writes a stage-history entry and an audit event in the caller's transaction and
reschedules the open follow-up for the new stage. ``auto_advance`` is the one way bizops moves
a customer by itself (a first contact logged with a prospect, a needs record, a contract
signed or activated): each move records its cause. It lives beside the follow-ups because
logging an interaction triggers one, and the customers' services call it from here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from bizops.domain import cadence, pipeline
from bizops.domain.policy import Policy
from bizops.services.followups.scheduling import open_followup, reschedule_open_followup
from bizops.services.followups.status import CADENCE, FIRST_CONTACT
from bizops.store import audit
from bizops.store.models import Customer, StageChange, User

if TYPE_CHECKING:
    from sqlmodel import Session


def apply_stage(
    session: Session,
    *,
    actor: User,
    customer: Customer,
    to_stage: str,
    reason: str | None,
    policy: Policy,
    today: date,
    cause: str | None = None,
    audited: bool = True,
    reschedule: bool = True,
) -> None:
    """Move ``customer`` to ``to_stage`` today (the move is already checked): the history
    entry, the open follow-up rescheduled, and the audit event ``customer.stage`` (unless
    ``audited`` is False: the caller's own event then records the move; ``reschedule`` False:
    the caller schedules the follow-up itself)."""
    before = {"stage": customer.stage, "stage_since": customer.stage_since}
    from_stage = customer.stage
    customer.stage = to_stage
    customer.stage_since = today
    session.add(customer)
    assert customer.id is not None
    session.add(
        StageChange(
            customer_id=customer.id,
            from_stage=from_stage,
            to_stage=to_stage,
            on=today,
            at=datetime.now(UTC),
            actor=actor.login,
            reason=reason,
            cause=cause,
        )
    )
    session.flush()
    if reschedule:
        reschedule_open_followup(session, customer=customer, policy=policy, today=today)
        if cause in pipeline.CONTRACT_CAUSES:
            _contract_cadence(session, customer=customer, policy=policy, today=today)
    after: dict[str, object] = {"stage": to_stage, "stage_since": today, "reason": reason}
    if cause is not None:
        after["cause"] = cause
    if not audited:
        return
    audit.record(
        session,
        actor=actor.login,
        action="customer.stage",
        entity_type="customer",
        entity_id=customer.code,
        before=before,
        after=after,
    )


def _contract_cadence(session: Session, *, customer: Customer, policy: Policy, today: date) -> None:
    """A customer that signs (or goes live) without a logged contact keeps no first-contact
    follow-up: a contract is contact enough, so the stage's cadence counts from today."""
    assert customer.id is not None
    current = open_followup(session, customer.id)
    if current is None or current.kind != FIRST_CONTACT:
        return
    due = cadence.next_due(
        policy,
        grade=customer.grade,
        stage=customer.stage,
        last=today,
        override=customer.cadence_days,
    )
    assert due is not None
    current.due, current.kind, current.purpose = due, CADENCE, None
    session.add(current)
    session.flush()


def auto_advance(
    session: Session,
    *,
    actor: User,
    customer: Customer,
    to: str,
    cause: str,
    policy: Policy,
    today: date,
    reason: str | None = None,
    audited: bool = True,
    reschedule: bool = True,
) -> bool:
    """Move ``customer`` to stage ``to`` because of ``cause`` (one of ``pipeline.CAUSES``),
    inside the caller's transaction, when the move applies: only forward (a contract also
    reopens a lost or dormant customer). Records the stage change with its cause and reason
    and the audit event. Returns whether the customer moved; a customer already at or past
    ``to`` stays where it is and nothing is recorded. ``audited`` False: the caller records
    the move in its own audit event, and ``reschedule`` False: it schedules the follow-up
    itself (as `followups log` does)."""
    if not pipeline.auto_move_applies(customer.stage, to, cause):
        return False
    apply_stage(
        session,
        actor=actor,
        customer=customer,
        to_stage=to,
        reason=reason,
        policy=policy,
        today=today,
        cause=cause,
        audited=audited,
        reschedule=reschedule,
    )
    return True
