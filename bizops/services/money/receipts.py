"""Receipts (回款): finance records money received on a sales or service contract. A receipt
settles the contract's payment milestones oldest first (or the one named); what goes beyond
the amount still open is refused unless it is an advance (预收)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.domain.currencies import check_currency_code
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.money import format_money, money_str
from bizops.domain.validate import check_text
from bizops.domain.vocab import one_of
from bizops.i18n import _
from bizops.services.lookup import find_contract
from bizops.services.money.common import (
    amount_of,
    open_items,
    payment_milestone,
    record,
    require_direction,
    require_finance,
    require_money_state,
    save,
    settle,
    totals,
)
from bizops.services.money.visible import visible
from bizops.services.views.money import ReceiptRow
from bizops.store.models import Allocation, Contract, Customer, Receipt, User


def _converted(
    contract: Contract, value: Decimal, currency: str | None, rate: str | Decimal | None
) -> tuple[Decimal, str | None, Decimal | None, Decimal | None]:
    """The amount in the contract's currency, and what was paid when it is another (an ISO
    4217 code, as on contracts); an amount that converts to nothing is refused."""
    paid_in = (currency or contract.currency).strip().upper()
    if paid_in != contract.currency:
        paid_in = check_currency_code(paid_in, "--currency")
    if paid_in == contract.currency:
        if rate not in (None, ""):
            raise Invalid(
                _(
                    "--rate: the receipt is in the contract's currency {currency}; no rate applies"
                ).format(currency=contract.currency)
            )
        return value, None, None, None
    if rate in (None, ""):
        raise Invalid(
            _(
                "--currency: contract {number} is in {contract}, the receipt in {paid}; "
                "give the rate used with --rate ({contract} per {paid})"
            ).format(number=contract.number, contract=contract.currency, paid=paid_in)
        )
    factor = mr.parse_rate_value(rate)
    converted = mr.convert(value, factor)
    if converted <= 0:
        raise Invalid(
            _(
                "--amount: {amount} {paid} at the rate {rate} is {converted} {contract}; a "
                "receipt is at least 0.01 {contract}"
            ).format(
                amount=format_money(value),
                paid=paid_in,
                rate=f"{factor.normalize():f}",
                converted=format_money(converted),
                contract=contract.currency,
            )
        )
    return converted, paid_in, value, factor


def _check_ref(session: Session, bank_ref: str | None) -> str | None:
    text = check_text(bank_ref, "--ref", max_length=80)
    if text is None:
        return None
    found = session.execute(select(col(Receipt.id)).where(col(Receipt.bank_ref) == text)).first()
    if found is not None:
        raise Conflict(
            _("--ref: bank reference {ref} is already recorded (receipt {id})").format(
                ref=text, id=found[0]
            )
        )
    return text


def _maturity(method: str, maturity: str | date | None, today: date) -> date | None:
    if method == "acceptance_bill":
        if maturity in (None, ""):
            raise Invalid(_("--maturity: an acceptance bill needs its maturity date"))
        return parse_date(maturity, today, field="--maturity")
    if maturity not in (None, ""):
        raise Invalid(_("--maturity: only an acceptance bill has a maturity date"))
    return None


def receipt_row(session: Session, receipt: Receipt, *, done: list[int] | None = None) -> ReceiptRow:
    contract = session.get(Contract, receipt.contract_id)
    assert contract is not None and receipt.id is not None
    customer = session.get(Customer, contract.customer_id)
    parts = session.execute(
        select(col(Allocation.milestone_id))
        .where(col(Allocation.receipt_id) == receipt.id)
        .order_by(col(Allocation.id))
    ).scalars()
    return {
        "id": receipt.id,
        "contract": contract.number,
        "customer": customer.name if customer else "",
        "received_on": receipt.received_on,
        "amount": receipt.amount,
        "currency": contract.currency,
        "applied": receipt.applied,
        "advance": receipt.advance,
        "method": receipt.method,
        "bank_ref": receipt.bank_ref,
        "payer": receipt.payer,
        "maturity": receipt.maturity,
        "paid_currency": receipt.paid_currency,
        "paid_amount": receipt.paid_amount,
        "rate": None if receipt.rate is None else f"{receipt.rate.normalize():f}",
        "milestones": [int(m) for m in parts],
        "milestones_done": list(done or []),
        "outstanding": totals(session, contract).outstanding,
    }


def _audit_view(row: ReceiptRow) -> dict[str, Any]:
    out: dict[str, Any] = dict(row)
    for key in ("amount", "applied", "advance", "paid_amount", "outstanding"):
        out[key] = money_str(row[key])
    return out


def add_receipt(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    amount: str | Decimal,
    on: str | date | None = None,
    method: str = "transfer",
    bank_ref: str | None = None,
    milestone: str | int | None = None,
    advance: bool = False,
    currency: str | None = None,
    rate: str | Decimal | None = None,
    maturity: str | date | None = None,
    payer: str | None = None,
    today: date,
) -> ReceiptRow:
    """Record money received; returns the receipt with the milestones it settled."""
    require_finance(actor, _("record receipts"))
    contract = find_contract(session, ref)
    require_direction(contract, mr.INCOMING_TYPES, _("a receipt"))
    require_money_state(contract)
    paid = amount_of(amount)
    value, paid_in, paid_amount, factor = _converted(contract, paid, currency, rate)
    kind = one_of(method, mr.RECEIPT_METHODS, "--method")
    day = parse_date(on or today, today, field="--date")
    if day > today:
        raise Invalid(_("--date: {day} is in the future").format(day=day))
    text_ref = _check_ref(session, bank_ref)
    target = payment_milestone(session, contract, milestone)
    money = totals(session, contract)
    open_amount = money.outstanding
    if value > open_amount and not advance:
        raise Invalid(
            _(
                "--amount: {amount} {currency} is more than the {open} still open on {number}; "
                "record it as an advance (预收) with --advance"
            ).format(
                amount=format_money(value),
                currency=contract.currency,
                open=format_money(open_amount),
                number=contract.number,
            )
        )
    applied = min(value, open_amount)
    assert contract.id is not None
    receipt = Receipt(
        contract_id=contract.id,
        amount=value,
        applied=applied,
        advance=value - applied,
        received_on=day,
        method=kind,
        bank_ref=text_ref,
        payer=check_text(payer, "--payer", max_length=200),
        maturity=_maturity(kind, maturity, today),
        paid_currency=paid_in,
        paid_amount=paid_amount,
        rate=factor,
        recorded_on=today,
        recorded_by=actor.login,
    )
    save(session, receipt)
    items = open_items(session, contract.id)
    if target is not None:
        items = [i for i in items if i.key == target.id]
    parts, _left = mr.allocate(applied, items)
    done = settle(session, parts=parts, day=day, actor=actor, source={"receipt_id": receipt.id})
    row = receipt_row(session, receipt, done=done)
    record(session, actor, "receipt.add", "receipt", receipt.id or 0, after=_audit_view(row))
    return row


def list_receipts(
    session: Session, *, contract: str | int | None = None, today: date
) -> list[ReceiptRow]:
    """Receipts, newest first (of one contract, or all), of the contracts the reader sees."""
    query = select(Receipt).where(visible(session, col(Receipt.contract_id)))
    if contract is not None:
        query = query.where(col(Receipt.contract_id) == find_contract(session, contract).id)
    query = query.order_by(col(Receipt.received_on).desc(), col(Receipt.id).desc())
    return [receipt_row(session, r) for r in session.execute(query).scalars()]
