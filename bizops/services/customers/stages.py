"""Moving customers along the pipeline by the rules of ``bizops.domain.pipeline``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import pipeline
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.domain.vocab import STAGES, one_of
from bizops.i18n import _
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import customer_view
from bizops.services.customers.views import StageMoveView
from bizops.services.followups.stage_moves import apply_stage, auto_advance
from bizops.services.lookup import find_customer
from bizops.store.models import Contract, Customer, Quote, User

__all__ = [
    "apply_contract_stage",
    "apply_needs_stage",
    "auto_advance",
    "has_signed_contract",
    "move_stage",
]


def has_signed_contract(session: Session, customer_id: int) -> bool:
    return (
        session.execute(
            select(col(Contract.id))
            .where(
                col(Contract.customer_id) == customer_id,
                col(Contract.signed_on).is_not(None),
                col(Contract.status).in_(pipeline.SIGNED_CONTRACT_STATUSES),
            )
            .limit(1)
        ).first()
        is not None
    )


def has_accepted_quote(session: Session, customer_id: int) -> bool:
    return (
        session.execute(
            select(col(Quote.id))
            .where(col(Quote.customer_id) == customer_id, col(Quote.status) == "accepted")
            .limit(1)
        ).first()
        is not None
    )


def _require_quote(session: Session, customer: Customer, move: pipeline.PlannedMove) -> None:
    """``pipeline.quote_before_negotiation``: negotiation starts from an accepted quote. A
    move made with a reason is an exception on record, as a skipped stage is."""
    assert customer.id is not None
    if (
        pipeline.enters_negotiation(move.from_stage, move.to_stage)
        and move.reason is None
        and not has_accepted_quote(session, customer.id)
    ):
        raise Conflict(
            _(
                "stage: negotiation starts from an accepted quote, and {code} has none; "
                "make one with `bizops quote new --customer {code}` (or give --reason to "
                "record why not)"
            ).format(code=customer.code)
        )


def move_stage(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    stage: str | None = None,
    step_next: bool = False,
    reason: str | None = None,
    policy: Policy,
    today: date,
) -> StageMoveView:
    """Move a customer along the pipeline by the rules of ``bizops.domain.pipeline``."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    assert customer.id is not None
    target = stage.strip() if stage else None
    if target and not step_next:
        # The code, also for a stage typed in Chinese (签约): the contract check reads it.
        target = one_of(target, STAGES, "stage")
    needs_contract_check = target in pipeline.NEEDS_SIGNED_CONTRACT or (
        step_next and customer.stage == "negotiation"
    )
    reason = check_text(reason, "--reason", max_length=2000)
    move = pipeline.plan_move(
        customer.stage,
        target,
        step_next=step_next,
        reason=reason,
        has_signed_contract=needs_contract_check and has_signed_contract(session, customer.id),
    )
    if policy.quote_before_negotiation:
        _require_quote(session, customer, move)
    apply_stage(
        session,
        actor=actor,
        customer=customer,
        to_stage=move.to_stage,
        reason=move.reason,
        policy=policy,
        today=today,
    )
    return {**customer_view(session, customer), "from_stage": move.from_stage}


def apply_contract_stage(
    session: Session,
    *,
    actor: User,
    customer_id: int,
    stage: str,
    reason: str,
    policy: Policy,
    today: date,
) -> None:
    """Called by the contracts area: signing moves the customer to ``signed``, activation to
    ``maintenance`` — only forward, or out of lost/dormant; a customer already further along
    stays where it is (and nothing is recorded). The move is an automatic one
    (``auto_advance``): its cause is recorded, and a customer never contacted gets the
    stage's cadence instead of a first-contact follow-up."""
    if stage not in pipeline.NEEDS_SIGNED_CONTRACT:
        raise Invalid(
            _("stage: a contract moves a customer to signed or maintenance, not {stage!r}").format(
                stage=stage
            )
        )
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("customer: no customer with id {id}").format(id=customer_id))
    cause = pipeline.CONTRACT_SIGNED if stage == pipeline.SIGNED else pipeline.CONTRACT_ACTIVE
    auto_advance(
        session,
        actor=actor,
        customer=customer,
        to=stage,
        cause=cause,
        reason=reason,
        policy=policy,
        today=today,
    )


def apply_needs_stage(
    session: Session,
    *,
    actor: User,
    customer: Customer,
    reason: str,
    policy: Policy,
    today: date,
) -> None:
    """Called by needs analysis: the first complete answer set moves a ``contacted``
    customer to ``needs``; at any other stage nothing moves."""
    if customer.stage != "contacted":
        return
    auto_advance(
        session,
        actor=actor,
        customer=customer,
        to="needs",
        cause=pipeline.NEEDS_RECORDED,
        reason=reason,
        policy=policy,
        today=today,
    )
