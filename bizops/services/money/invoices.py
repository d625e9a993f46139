"""Invoices (开票): the owner requests one, finance issues it with its number, date and tax
rate, or voids it. Voided invoices drop out of every total."""

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
from bizops.domain.validate import check_text
from bizops.domain.vocab import label, one_of
from bizops.i18n import _
from bizops.services.lookup import find_contract
from bizops.services.money.common import (
    amount_of,
    by_id,
    payment_milestone,
    record,
    require_direction,
    require_finance,
    require_money_state,
    require_owner,
    save,
    totals,
)
from bizops.services.money.visible import visible
from bizops.services.paging import page
from bizops.services.users import find_user
from bizops.services.views.money import InvoiceRow
from bizops.store.models import Contract, Customer, Invoice, User


def _rate_text(rate: Decimal | None) -> str | None:
    return None if rate is None else f"{(rate * 100).normalize():f}%"


def invoice_row(session: Session, invoice: Invoice) -> InvoiceRow:
    contract = session.get(Contract, invoice.contract_id)
    assert contract is not None and invoice.id is not None
    customer = session.get(Customer, contract.customer_id)
    owner = session.get(User, contract.owner_id)
    return {
        "id": invoice.id,
        "contract": contract.number,
        "customer": customer.name if customer else "",
        "owner": owner.login if owner else "",
        "milestone": invoice.milestone_id,
        "type": invoice.type,
        "status": invoice.status,
        "amount": invoice.amount,
        "currency": contract.currency,
        "tax_rate": _rate_text(invoice.tax_rate),
        "tax_amount": invoice.tax_amount,
        "number": invoice.number,
        "requested_on": invoice.requested_on,
        "requested_by": invoice.requested_by,
        "issued_on": invoice.issued_on,
        "issued_by": invoice.issued_by,
        "void_on": invoice.void_on,
        "void_reason": invoice.void_reason,
    }


def _audit_view(row: InvoiceRow) -> dict[str, Any]:
    return {
        **row,
        "amount": money_str(row["amount"]),
        "tax_amount": money_str(row["tax_amount"]),
    }


def request_invoice(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    amount: str | Decimal,
    type: str,
    milestone: str | int | None = None,
    today: date,
) -> InvoiceRow:
    """An invoice request by the contract's owner; invoiced and requested together may not
    exceed the contract amount."""
    contract = find_contract(session, ref)
    require_owner(actor, contract, _("request invoices"))
    require_direction(contract, mr.INCOMING_TYPES, _("invoicing"))
    require_money_state(contract)
    value = amount_of(amount)
    kind = one_of(type, mr.INVOICE_TYPES, "--type")
    target = payment_milestone(session, contract, milestone)
    money = totals(session, contract)
    if money.invoiced + money.requested + value > money.amount:
        raise Invalid(
            _(
                "--amount: {amount} would bring invoices of {number} to {total} {currency}, "
                "more than the contract amount {limit}"
            ).format(
                amount=format_money(value),
                number=contract.number,
                total=format_money(money.invoiced + money.requested + value),
                currency=contract.currency,
                limit=format_money(contract.amount),
            )
        )
    assert contract.id is not None
    invoice = Invoice(
        contract_id=contract.id,
        milestone_id=target.id if target else None,
        type=kind,
        amount=value,
        status=mr.REQUESTED,
        requested_on=today,
        requested_by=actor.login,
    )
    save(session, invoice)
    row = invoice_row(session, invoice)
    record(session, actor, "invoice.request", "invoice", invoice.id or 0, after=_audit_view(row))
    return row


def issue_invoice(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    number: str,
    on: str | date | None = None,
    tax_rate: str | Decimal,
    today: date,
) -> InvoiceRow:
    """Finance issues a requested invoice: its number (unique), date and tax rate; the tax
    inside the amount is computed exactly."""
    require_finance(actor, _("issue invoices"))
    invoice: Invoice = by_id(session, Invoice, ref, "invoice", _("invoice request"))
    if invoice.status != mr.REQUESTED:
        raise Conflict(
            _("invoice {id} is {status}; only a requested invoice can be issued").format(
                id=invoice.id, status=label("invoice_status", invoice.status)
            )
        )
    text = (check_text(number, "--number", required=True, max_length=40) or "").strip()
    taken = session.execute(select(col(Invoice.id)).where(col(Invoice.number) == text)).first()
    if taken is not None:
        raise Conflict(
            _("--number: invoice number {number} is already used (invoice {id})").format(
                number=text, id=taken[0]
            )
        )
    rate = mr.parse_rate(tax_rate)
    before = _audit_view(invoice_row(session, invoice))
    invoice.number = text
    invoice.issued_on = parse_date(on or today, today, field="--date")
    invoice.issued_by = actor.login
    invoice.tax_rate = rate
    invoice.tax_amount = mr.tax_included(invoice.amount, rate)
    invoice.status = mr.ISSUED
    save(session, invoice)
    row = invoice_row(session, invoice)
    record(
        session,
        actor,
        "invoice.issue",
        "invoice",
        invoice.id or 0,
        before=before,
        after=_audit_view(row),
    )
    return row


def void_invoice(
    session: Session, *, actor: User, ref: str | int, reason: str | None, today: date
) -> InvoiceRow:
    """Finance voids an invoice (by its number or id), with a reason."""
    require_finance(actor, _("void invoices"))
    text = check_text(reason, "--reason", required=True)
    invoice = _find_invoice(session, ref)
    if invoice.status == mr.VOID:
        raise Conflict(
            _("invoice {ref} is already void (since {day})").format(
                ref=invoice.number or invoice.id, day=invoice.void_on
            )
        )
    before = _audit_view(invoice_row(session, invoice))
    invoice.status = mr.VOID
    invoice.void_on, invoice.void_by, invoice.void_reason = today, actor.login, text
    save(session, invoice)
    row = invoice_row(session, invoice)
    record(
        session,
        actor,
        "invoice.void",
        "invoice",
        invoice.id or 0,
        before=before,
        after=_audit_view(row),
    )
    return row


def _find_invoice(session: Session, ref: str | int) -> Invoice:
    text = str(ref).strip()
    found = session.execute(select(Invoice).where(col(Invoice.number) == text)).scalar_one_or_none()
    if found is not None:
        return found
    result: Invoice = by_id(session, Invoice, text, "invoice", _("invoice"))
    return result


def list_invoices(
    session: Session,
    *,
    contract: str | int | None = None,
    status: str | None = None,
    owner: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[InvoiceRow]:
    """Invoices, newest request first; filters by contract, status and owner's login.
    ``limit`` (0 or None: all) and ``offset`` page the query itself."""
    query = (
        select(Invoice)
        .join(Contract, col(Contract.id) == col(Invoice.contract_id))
        .where(visible(session, col(Invoice.contract_id)))
    )
    if contract is not None:
        query = query.where(col(Invoice.contract_id) == find_contract(session, contract).id)
    if status is not None:
        query = query.where(
            col(Invoice.status) == one_of(status, (mr.REQUESTED, mr.ISSUED, mr.VOID), "--status")
        )
    if owner is not None:
        # A lookup, as on every listing: an unknown login is refused (exit 3).
        query = query.where(col(Contract.owner_id) == find_user(session, owner, field="--owner").id)
    query = query.order_by(col(Invoice.requested_on).desc(), col(Invoice.id).desc())
    query = page(query, limit=limit, offset=offset)
    return [invoice_row(session, i) for i in session.execute(query).scalars()]


def invoices_to_issue(session: Session) -> list[InvoiceRow]:
    """Invoice requests waiting for finance, oldest first (for the daily report)."""
    query = (
        select(Invoice)
        .where(col(Invoice.status) == mr.REQUESTED)
        .order_by(col(Invoice.requested_on), col(Invoice.id))
    )
    return [invoice_row(session, i) for i in session.execute(query).scalars()]
