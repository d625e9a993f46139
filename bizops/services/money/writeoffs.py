"""Write-offs (核销): money a customer will not pay, given up through
approval.writeoff_rules (finance, then gm, by default). Approved, it settles the open payment
milestones oldest first and lets the contract complete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import approval as approval_rules
from bizops.domain import money_rules as mr
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.money import format_money, money_str
from bizops.domain.policy import Policy
from bizops.domain.roles import FINANCE
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services.approvals import Outcome, open_request
from bizops.services.lookup import find_contract
from bizops.services.money.common import (
    ZERO,
    amount_of,
    open_items,
    record,
    require_direction,
    require_money_state,
    require_owner,
    save,
    settle,
    totals,
)
from bizops.services.views.money import WriteOffRow
from bizops.store.models import ApprovalRequest, Contract, Payment, User, WriteOff

# How a closed request leaves a payment or a write-off.
_CLOSED = {
    approval_rules.APPROVED: mr.APPROVED,
    approval_rules.REJECTED: mr.REJECTED,
    approval_rules.WITHDRAWN: mr.WITHDRAWN,
}


def writeoff_row(session: Session, writeoff: WriteOff) -> WriteOffRow:
    contract = session.get(Contract, writeoff.contract_id)
    assert contract is not None and writeoff.id is not None
    request = session.execute(
        select(col(ApprovalRequest.id)).where(col(ApprovalRequest.writeoff_id) == writeoff.id)
    ).first()
    return {
        "id": writeoff.id,
        "contract": contract.number,
        "amount": writeoff.amount,
        "currency": contract.currency,
        "reason": writeoff.reason,
        "status": writeoff.status,
        "request": int(request[0]) if request else None,
        "requested_on": writeoff.requested_on,
        "requested_by": writeoff.requested_by,
        "approved_on": writeoff.approved_on,
    }


def request_writeoff(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    amount: str | Decimal,
    reason: str | None,
    policy: Policy,
    today: date,
) -> WriteOffRow:
    """Propose to write off part of what is outstanding; routed through the matrix."""
    contract = find_contract(session, ref)
    if not actor.has_role(FINANCE):
        require_owner(actor, contract, _("request a write-off"))
    require_direction(contract, mr.INCOMING_TYPES, _("a write-off"))
    require_money_state(contract)
    value = amount_of(amount)
    text = check_text(reason, "--reason", required=True)
    pending = session.execute(
        select(func.sum(col(WriteOff.amount))).where(
            col(WriteOff.contract_id) == contract.id,
            col(WriteOff.status) == mr.PENDING_APPROVAL,
        )
    ).scalar()
    room = totals(session, contract).outstanding - (Decimal(pending) if pending else ZERO)
    if value > room:
        raise Invalid(
            _(
                "--amount: {amount} is more than the {open} {currency} outstanding on {number} "
                "(less write-offs waiting for approval)"
            ).format(
                amount=format_money(value),
                open=format_money(max(room, ZERO)),
                currency=contract.currency,
                number=contract.number,
            )
        )
    assert contract.id is not None
    writeoff = WriteOff(
        contract_id=contract.id,
        amount=value,
        reason=text or "",
        status=mr.PENDING_APPROVAL,
        requested_on=today,
        requested_by=actor.login,
    )
    save(session, writeoff)
    request = open_request(
        session, actor=actor, contract=contract, policy=policy, today=today, writeoff=writeoff
    )
    row = writeoff_row(session, writeoff)
    record(
        session,
        actor,
        "writeoff.request",
        "writeoff",
        writeoff.id or 0,
        after={**row, "amount": money_str(value), "rule": request.rule_name},
    )
    return row


def close_money_request(session: Session, *, outcome: Outcome, actor: User, today: date) -> None:
    """A payment's or a write-off's request closed: mark it approved, rejected or withdrawn;
    an approved write-off settles the open payment milestones oldest first."""
    status = _CLOSED[outcome.status]
    if outcome.payment_id is not None:
        payment = session.get(Payment, outcome.payment_id)
        if payment is None:
            raise NotFound(_("payment {id} is gone").format(id=outcome.payment_id))
        _check_pending(payment.status, _("payment {id}").format(id=payment.id))
        payment.status = status
        payment.approved_on = today if status == mr.APPROVED else None
        save(session, payment)
        record(
            session,
            actor,
            f"payment.{outcome.status}",
            "payment",
            payment.id or 0,
            after={"status": status, "request": outcome.request_id},
        )
        return
    writeoff = session.get(WriteOff, outcome.writeoff_id)
    if writeoff is None:
        raise NotFound(_("write-off {id} is gone").format(id=outcome.writeoff_id))
    _check_pending(writeoff.status, _("write-off {id}").format(id=writeoff.id))
    if status == mr.APPROVED:
        _still_outstanding(session, writeoff)
    writeoff.status = status
    done: list[int] = []
    if status == mr.APPROVED:
        writeoff.approved_on = today
        parts, _left = mr.allocate(writeoff.amount, open_items(session, writeoff.contract_id))
        done = settle(
            session, parts=parts, day=today, actor=actor, source={"writeoff_id": writeoff.id}
        )
    save(session, writeoff)
    record(
        session,
        actor,
        f"writeoff.{outcome.status}",
        "writeoff",
        writeoff.id or 0,
        after={
            "status": status,
            "request": outcome.request_id,
            "approved_on": writeoff.approved_on,
            "milestones_done": done,
        },
    )


def _still_outstanding(session: Session, writeoff: WriteOff) -> None:
    """Money received since the request may have shrunk what is outstanding: a write-off is
    approved only while it still fits, so that received and written off never exceed the
    contract's amount."""
    contract = session.get(Contract, writeoff.contract_id)
    assert contract is not None
    left = totals(session, contract).outstanding
    if writeoff.amount > left:
        raise Conflict(
            _(
                "write-off {id} of {amount} {currency} is more than the {open} still outstanding "
                "on {number} (money was received since it was requested); reject it and "
                "request the rest again"
            ).format(
                id=writeoff.id,
                amount=format_money(writeoff.amount),
                currency=contract.currency,
                open=format_money(max(left, ZERO)),
                number=contract.number,
            )
        )


def _check_pending(status: str, what: str) -> None:
    if status != mr.PENDING_APPROVAL:
        raise Conflict(_("{what} is already {status}").format(what=what, status=status))
