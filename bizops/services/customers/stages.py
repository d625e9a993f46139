"""Moving customers along the pipeline by the rules of ``bizops.domain.pipeline``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import pipeline
from bizops.domain.errors import Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.domain.vocab import STAGES, one_of
from bizops.i18n import _
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import customer_view
from bizops.services.customers.views import StageMoveView
from bizops.services.followups.stage_moves import apply_stage, auto_advance
from bizops.services.lookup import find_customer
from bizops.store.models import Contract, Customer, User

__all__ = ["apply_contract_stage", "auto_advance", "has_signed_contract", "move_stage"]


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
