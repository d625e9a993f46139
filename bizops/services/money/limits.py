"""The money recorded on a contract bounds its amount: an amendment may not lower the amount
below it, and a payment is re-checked against the amount when it is paid."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.domain.errors import Conflict
from bizops.domain.money import format_money
from bizops.i18n import _
from bizops.services.money.common import totals
from bizops.store.models import Contract, Payment


def _approved_unpaid(session: Session, contract_id: int | None) -> Decimal:
    value = session.execute(
        select(func.sum(col(Payment.amount))).where(
            col(Payment.contract_id) == contract_id, col(Payment.status) == mr.APPROVED
        )
    ).scalar()
    return Decimal(value) if value is not None else mr.ZERO


def require_amount_covers(session: Session, contract: Contract, amount: Decimal) -> None:
    """Refuse (exit 5) a new ``amount`` for ``contract`` below the money recorded on it: on a
    sales or service contract, what is received plus written off, or what is invoiced (issued
    or requested); on a purchase contract, what is paid plus what is approved and not yet
    paid."""
    if contract.id is None:
        return
    money = totals(session, contract)
    if contract.type in mr.OUTGOING_TYPES:
        approved = _approved_unpaid(session, contract.id)
        if amount < money.paid + approved:
            raise Conflict(
                _(
                    "contract {number}: the amount {amount} {currency} would be below the money "
                    "recorded on it: paid {paid} plus approved and not yet paid {approved}"
                ).format(
                    number=contract.number,
                    amount=format_money(amount),
                    currency=contract.currency,
                    paid=format_money(money.paid),
                    approved=format_money(approved),
                )
            )
        return
    settled = money.received + money.written_off
    invoiced = money.invoiced + money.requested
    if amount < settled or amount < invoiced:
        raise Conflict(
            _(
                "contract {number}: the amount {amount} {currency} would be below the money "
                "recorded on it: received {received}, written off {written_off}, invoiced "
                "(issued or requested) {invoiced}"
            ).format(
                number=contract.number,
                amount=format_money(amount),
                currency=contract.currency,
                received=format_money(money.received),
                written_off=format_money(money.written_off),
                invoiced=format_money(invoiced),
            )
        )


def require_payable(session: Session, contract: Contract, payment: Payment) -> None:
    """Refuse (exit 5) paying ``payment`` when, with what is already paid, it would exceed the
    contract's amount as it stands now (an amendment may have lowered it since the request)."""
    paid = totals(session, contract).paid
    limit = contract.amount or mr.ZERO
    if paid + payment.amount > limit:
        raise Conflict(
            _(
                "payment {id}: paying {amount} would bring payments on {number} to {total} "
                "{currency}, more than the contract amount {limit}"
            ).format(
                id=payment.id,
                amount=format_money(payment.amount),
                number=contract.number,
                total=format_money(paid + payment.amount),
                currency=contract.currency,
                limit=format_money(limit),
            )
        )
