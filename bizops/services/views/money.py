"""What the money services return: rows of the listings and reports (their JSON keys)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict


class InvoiceRow(TypedDict):
    """A row of `invoice list`, and what an invoice command returns."""

    id: int
    contract: str
    customer: str
    owner: str
    milestone: int | None
    type: str
    status: str
    amount: Decimal
    currency: str
    tax_rate: str | None
    tax_amount: Decimal | None
    number: str | None
    requested_on: date
    requested_by: str
    issued_on: date | None
    issued_by: str | None
    void_on: date | None
    void_reason: str | None


class ReceiptRow(TypedDict):
    """A receipt as recorded: how much counted against the contract, how much was advance,
    and the milestones it settled."""

    id: int
    contract: str
    customer: str
    received_on: date
    amount: Decimal
    currency: str
    applied: Decimal
    advance: Decimal
    method: str
    bank_ref: str | None
    payer: str | None
    maturity: date | None
    paid_currency: str | None
    paid_amount: Decimal | None
    rate: str | None
    milestones: list[int]
    milestones_done: list[int]
    outstanding: Decimal


class PaymentRow(TypedDict):
    """A purchase payment: requested, approved through the matrix, paid."""

    id: int
    contract: str
    customer: str
    milestone: int | None
    amount: Decimal
    currency: str
    due: date
    status: str
    request: int | None
    requested_on: date
    requested_by: str
    approved_on: date | None
    paid_on: date | None
    paid_by: str | None
    bank_ref: str | None


class WriteOffRow(TypedDict):
    id: int
    contract: str
    amount: Decimal
    currency: str
    reason: str
    status: str
    request: int | None
    requested_on: date
    requested_by: str
    approved_on: date | None


class ReceivableRow(TypedDict):
    """A contract in `report receivables` (and, with paid for received, `report payables`)."""

    contract: str
    title: str
    customer: str
    owner: str
    currency: str
    amount: Decimal
    invoiced: Decimal
    received: Decimal
    advance: Decimal
    written_off: Decimal
    outstanding: Decimal
    overdue: Decimal
    aging_0_30: Decimal
    aging_31_60: Decimal
    aging_61_90: Decimal
    aging_over_90: Decimal
    oldest_due: date | None


class ReceivableTotal(TypedDict):
    """Totals per owner and currency (``owner`` is None for the department's total)."""

    owner: str | None
    currency: str
    contracts: int
    amount: Decimal
    invoiced: Decimal
    received: Decimal
    outstanding: Decimal
    overdue: Decimal
    aging_0_30: Decimal
    aging_31_60: Decimal
    aging_61_90: Decimal
    aging_over_90: Decimal
    dso: Decimal | None


class ReceivablesReport(TypedDict):
    as_of: date
    rows: list[ReceivableRow]
    totals: list[ReceivableTotal]


class BankLine(TypedDict):
    """A credit line of a bank statement and what became of it."""

    line: int
    date: date | None
    amount: Decimal | None
    payer: str | None
    memo: str | None
    bank_ref: str | None
    status: str  # recorded | matched (dry run) | duplicate | unmatched | ambiguous | invalid
    contract: str | None
    candidates: list[str]
    receipt: int | None
    message: str | None
