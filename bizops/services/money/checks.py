"""`bizops db check`: the money on each contract adds up (milestones, receipts, invoices)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.domain.money import format_money
from bizops.i18n import N_, _
from bizops.store.models import (
    Allocation,
    Contract,
    Invoice,
    Milestone,
    Payment,
    Receipt,
    WriteOff,
)

CHECK_NAME = N_("milestones, receipts and invoices agree")


def _sums(session: Session, column: Any, key: Any, *where: Any) -> dict[int, Decimal]:
    """``column`` summed per ``key``, leaving out rows whose key is empty (an allocation of a
    payment or a write-off has no receipt)."""
    rows = session.execute(
        select(key, func.sum(column)).where(key.is_not(None), *where).group_by(key)
    ).all()
    return {int(k): Decimal(v) for k, v in rows if v is not None}


def _contracts(session: Session) -> list[str]:
    """Received plus written off, and invoiced, never exceed a contract's amount."""
    received = _sums(session, col(Receipt.applied), col(Receipt.contract_id))
    written = _sums(
        session,
        col(WriteOff.amount),
        col(WriteOff.contract_id),
        col(WriteOff.status) == mr.APPROVED,
    )
    invoiced = _sums(
        session, col(Invoice.amount), col(Invoice.contract_id), col(Invoice.status) == mr.ISSUED
    )
    problems = []
    ids = set(received) | set(written) | set(invoiced)
    if not ids:
        return []
    for cid, number, amount in session.execute(
        select(col(Contract.id), col(Contract.number), col(Contract.amount)).where(
            col(Contract.id).in_(ids)
        )
    ).all():
        settled = received.get(cid, mr.ZERO) + written.get(cid, mr.ZERO)
        if settled > amount:
            problems.append(
                _("contract {number}: received and written off {total}, more than {amount}").format(
                    number=number, total=format_money(settled), amount=format_money(amount)
                )
            )
        if invoiced.get(cid, mr.ZERO) > amount:
            problems.append(
                _("contract {number}: invoiced {total}, more than {amount}").format(
                    number=number,
                    total=format_money(invoiced[cid]),
                    amount=format_money(amount),
                )
            )
    return problems


def _payments(session: Session) -> list[str]:
    """What is paid on a purchase contract never exceeds its amount."""
    paid = _sums(
        session, col(Payment.amount), col(Payment.contract_id), col(Payment.status) == mr.PAID
    )
    if not paid:
        return []
    return [
        _("contract {number}: paid {total}, more than {amount}").format(
            number=number, total=format_money(paid[cid]), amount=format_money(amount)
        )
        for cid, number, amount in session.execute(
            select(col(Contract.id), col(Contract.number), col(Contract.amount)).where(
                col(Contract.id).in_(paid)
            )
        ).all()
        if paid[cid] > (amount or mr.ZERO)
    ]


def _receipts(session: Session) -> list[str]:
    """A receipt's applied and advance parts add up to it; its allocations to no more."""
    spread = _sums(session, col(Allocation.amount), col(Allocation.receipt_id))
    problems = []
    for rid, amount, applied, advance in session.execute(
        select(col(Receipt.id), col(Receipt.amount), col(Receipt.applied), col(Receipt.advance))
    ).all():
        if applied + advance != amount or spread.get(rid, mr.ZERO) > applied:
            problems.append(
                _("receipt {id}: its parts do not add up to {amount}").format(
                    id=rid, amount=format_money(amount)
                )
            )
    return problems


def _milestones(session: Session) -> list[str]:
    """A payment milestone settled by money is done exactly when it is settled in full."""
    spread = _sums(session, col(Allocation.amount), col(Allocation.milestone_id))
    if not spread:
        return []
    problems = []
    for mid, amount, done_on in session.execute(
        select(col(Milestone.id), col(Milestone.amount), col(Milestone.done_on)).where(
            col(Milestone.id).in_(spread)
        )
    ).all():
        settled = spread[mid]
        full = amount is not None and settled >= amount
        if (amount is not None and settled > amount) or full != (done_on is not None):
            problems.append(
                _("milestone #{id}: settled {settled} of {amount}, done {done}").format(
                    id=mid,
                    settled=format_money(settled),
                    amount=format_money(amount),
                    done=done_on or "-",
                )
            )
    return problems


def _invoices(session: Session) -> list[str]:
    """An issued invoice has its number and tax; a void one its day."""
    rows = session.execute(
        select(col(Invoice.id)).where(
            (
                (col(Invoice.status) == mr.ISSUED)
                & (col(Invoice.number).is_(None) | col(Invoice.tax_amount).is_(None))
            )
            | ((col(Invoice.status) == mr.VOID) & col(Invoice.void_on).is_(None))
        )
    ).scalars()
    return [_("invoice {id}: incomplete for its status").format(id=i) for i in rows]


def money_agrees(session: Session) -> list[str]:
    """milestones, receipts and invoices agree"""
    return (
        _contracts(session)
        + _payments(session)
        + _receipts(session)
        + _milestones(session)
        + _invoices(session)
    )
