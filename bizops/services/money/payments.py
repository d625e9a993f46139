"""Purchase payments: the owner requests one, it routes through approval.payment_rules, and
finance pays it once approved. Paying more than the contract amount is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.money import format_money, money_str
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.domain.vocab import label
from bizops.i18n import _
from bizops.services.approvals import open_request
from bizops.services.lookup import find_contract
from bizops.services.money.common import (
    amount_of,
    by_id,
    open_items,
    payment_milestone,
    record,
    require_direction,
    require_finance,
    require_money_state,
    require_owner,
    save,
    settle,
    totals,
)
from bizops.services.money.limits import require_payable
from bizops.services.money.visible import visible
from bizops.services.views.money import PaymentRow
from bizops.store.models import ApprovalRequest, Contract, Customer, Payment, User


def payment_row(session: Session, payment: Payment) -> PaymentRow:
    contract = session.get(Contract, payment.contract_id)
    assert contract is not None and payment.id is not None
    customer = session.get(Customer, contract.customer_id)
    request = session.execute(
        select(col(ApprovalRequest.id))
        .where(col(ApprovalRequest.payment_id) == payment.id)
        .order_by(col(ApprovalRequest.id).desc())
    ).first()
    return {
        "id": payment.id,
        "contract": contract.number,
        "customer": customer.name if customer else "",
        "milestone": payment.milestone_id,
        "amount": payment.amount,
        "currency": contract.currency,
        "due": payment.due,
        "status": payment.status,
        "request": int(request[0]) if request else None,
        "requested_on": payment.requested_on,
        "requested_by": payment.requested_by,
        "approved_on": payment.approved_on,
        "paid_on": payment.paid_on,
        "paid_by": payment.paid_by,
        "bank_ref": payment.bank_ref,
    }


def _audit_view(row: PaymentRow) -> dict[str, Any]:
    return {**row, "amount": money_str(row["amount"])}


def request_payment(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    amount: str | Decimal,
    due: str | date,
    milestone: str | int | None = None,
    policy: Policy,
    today: date,
) -> PaymentRow:
    """A payment request on a purchase contract, routed through approval.payment_rules."""
    contract = find_contract(session, ref)
    require_owner(actor, contract, _("request payments"))
    require_direction(contract, mr.OUTGOING_TYPES, _("a payment"))
    require_money_state(contract)
    value = amount_of(amount)
    day = parse_date(due, today, field="--due")
    target = payment_milestone(session, contract, milestone)
    money = totals(session, contract)
    if money.paid + money.committed + value > money.amount:
        raise Invalid(
            _(
                "--amount: {amount} would bring payments on {number} to {total} {currency} "
                "(paid or requested), more than the contract amount {limit}"
            ).format(
                amount=format_money(value),
                number=contract.number,
                total=format_money(money.paid + money.committed + value),
                currency=contract.currency,
                limit=format_money(contract.amount),
            )
        )
    assert contract.id is not None
    payment = Payment(
        contract_id=contract.id,
        milestone_id=target.id if target else None,
        amount=value,
        due=day,
        status=mr.PENDING_APPROVAL,
        requested_on=today,
        requested_by=actor.login,
    )
    save(session, payment)
    request = open_request(
        session, actor=actor, contract=contract, policy=policy, today=today, payment=payment
    )
    row = payment_row(session, payment)
    record(
        session,
        actor,
        "payment.request",
        "payment",
        payment.id or 0,
        after=_audit_view(row) | {"rule": request.rule_name, "chain": list(request.chain)},
    )
    return row


def pay_payment(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    on: str | date | None = None,
    bank_ref: str | None = None,
    today: date,
) -> PaymentRow:
    """Finance pays an approved payment request; it settles the milestone named, else the
    contract's payment milestones oldest first."""
    require_finance(actor, _("pay"))
    payment: Payment = by_id(session, Payment, ref, "payment", _("payment request"))
    if payment.status != mr.APPROVED:
        raise Conflict(
            _("payment {id} is {status}; only an approved payment request can be paid").format(
                id=payment.id, status=label("payment_status", payment.status)
            )
        )
    contract = session.get(Contract, payment.contract_id)
    assert contract is not None and contract.id is not None
    require_money_state(contract)
    day = parse_date(on or today, today, field="--date")
    if day > today:
        raise Invalid(_("--date: {day} is in the future").format(day=day))
    if payment.approved_on is not None and day < payment.approved_on:
        raise Invalid(
            _(
                "--date: {day} is before the approval on {approved}; a payment is paid after "
                "it is approved"
            ).format(day=day.isoformat(), approved=payment.approved_on.isoformat())
        )
    require_payable(session, contract, payment)
    before = _audit_view(payment_row(session, payment))
    payment.status = mr.PAID
    payment.paid_on, payment.paid_by = day, actor.login
    payment.bank_ref = check_text(bank_ref, "--ref", max_length=80)
    save(session, payment)
    items = open_items(session, contract.id)
    if payment.milestone_id is not None:
        items = [i for i in items if i.key == payment.milestone_id]
    parts, _left = mr.allocate(payment.amount, items)
    done = settle(session, parts=parts, day=day, actor=actor, source={"payment_id": payment.id})
    row = payment_row(session, payment)
    record(
        session,
        actor,
        "payment.pay",
        "payment",
        payment.id or 0,
        before=before,
        after=_audit_view(row) | {"milestones_done": done},
    )
    return row


def list_payments(
    session: Session, *, contract: str | int | None = None, status: str | None = None
) -> list[PaymentRow]:
    """Purchase payments, by due date, of the contracts the reader sees."""
    query = select(Payment).where(visible(session, col(Payment.contract_id)))
    if contract is not None:
        query = query.where(col(Payment.contract_id) == find_contract(session, contract).id)
    if status is not None:
        query = query.where(col(Payment.status) == status)
    query = query.order_by(col(Payment.due), col(Payment.id))
    return [payment_row(session, p) for p in session.execute(query).scalars()]
