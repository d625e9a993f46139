"""Money in and out of contracts: invoices, receipts, purchase payments, write-offs, and how
each amount is spread over the payment milestones."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Integer, Numeric, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class Invoice(Table, table=True):
    """An invoice request (开票申请) by the owner; finance issues it with its number."""

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    milestone_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("milestones.id"))
    )
    # special | normal | electronic
    type: str = Field(sa_column=Column(String(12), nullable=False))
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    # requested | issued | void
    status: str = Field(sa_column=Column(String(12), nullable=False))
    requested_on: date = Field(nullable=False)
    requested_by: str = Field(sa_column=Column(String(64), nullable=False))
    number: str | None = Field(default=None, sa_column=Column(String(40), unique=True))
    issued_on: date | None = Field(default=None)
    issued_by: str | None = Field(default=None, sa_column=Column(String(64)))
    tax_rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 4)))
    tax_amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    void_on: date | None = Field(default=None)
    void_by: str | None = Field(default=None, sa_column=Column(String(64)))
    void_reason: str | None = Field(default=None, sa_column=Column(Text))


class Receipt(Table, table=True):
    """Money received on a contract (回款). ``amount`` is in the contract's currency;
    ``applied`` counts against the contract, ``advance`` (预收) is beyond what was open."""

    __tablename__ = "receipts"
    __table_args__ = (Index("ix_receipts_contract_on", "contract_id", "received_on"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False))
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    applied: Decimal = Field(sa_column=Column(Money(), nullable=False))
    advance: Decimal = Field(sa_column=Column(Money(), nullable=False))
    received_on: date = Field(nullable=False)
    # transfer | acceptance_bill | cash | other
    method: str = Field(sa_column=Column(String(16), nullable=False))
    bank_ref: str | None = Field(default=None, sa_column=Column(String(80), unique=True))
    payer: str | None = Field(default=None, sa_column=Column(String(200)))
    maturity: date | None = Field(default=None)
    # Another currency than the contract's: what was received, and the rate used.
    paid_currency: str | None = Field(default=None, sa_column=Column(String(3)))
    paid_amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 6)))
    recorded_on: date = Field(nullable=False)
    recorded_by: str = Field(sa_column=Column(String(64), nullable=False))


class Payment(Table, table=True):
    """A payment on a purchase contract: requested, approved through the matrix, paid."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    milestone_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("milestones.id"))
    )
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    due: date = Field(nullable=False)
    # pending_approval | approved | rejected | withdrawn | paid
    status: str = Field(sa_column=Column(String(20), nullable=False))
    requested_on: date = Field(nullable=False)
    requested_by: str = Field(sa_column=Column(String(64), nullable=False))
    approved_on: date | None = Field(default=None)
    paid_on: date | None = Field(default=None)
    paid_by: str | None = Field(default=None, sa_column=Column(String(64)))
    bank_ref: str | None = Field(default=None, sa_column=Column(String(80)))


class WriteOff(Table, table=True):
    """Money given up on a sales contract (核销), approved through the matrix."""

    __tablename__ = "writeoffs"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    # pending_approval | approved | rejected | withdrawn
    status: str = Field(sa_column=Column(String(20), nullable=False))
    requested_on: date = Field(nullable=False)
    requested_by: str = Field(sa_column=Column(String(64), nullable=False))
    approved_on: date | None = Field(default=None)


class Allocation(Table, table=True):
    """The part of a receipt, payment or write-off that settles one payment milestone."""

    __tablename__ = "allocations"

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(
        sa_column=Column(Integer, ForeignKey("milestones.id"), nullable=False, index=True)
    )
    receipt_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("receipts.id"), index=True)
    )
    payment_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("payments.id"))
    )
    writeoff_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("writeoffs.id"))
    )
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
