"""Products with their prices, and quotations (报价单) with their lines."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class Product(Table, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    spec: str | None = Field(default=None, sa_column=Column(String(300)))
    unit: str = Field(sa_column=Column(String(20), nullable=False))
    price: Decimal = Field(sa_column=Column(Money(), nullable=False))
    # 最低限价: seen by managers and finance only.
    floor_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    # Percent (13.00 for 13% VAT), kept as exact hundredths like money.
    tax_rate: Decimal = Field(sa_column=Column(Money(), nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    archived_on: date | None = Field(default=None)
    created_on: date = Field(nullable=False)


class Quote(Table, table=True):
    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    )
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    # draft | pending_approval | approved | sent | accepted | rejected (expired is computed)
    status: str = Field(sa_column=Column(String(20), nullable=False))
    valid_until: date = Field(nullable=False)
    template_name: str | None = Field(default=None, sa_column=Column(String(100)))
    # payment, delivery, notes: free text the draft prints.
    terms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The figures of the lines as last computed (tax-inclusive amount, discount in percent),
    # kept for listings and reports; the lines remain the truth.
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    discount_pct: Decimal = Field(sa_column=Column(Money(), nullable=False))
    created_on: date = Field(nullable=False)
    created_at: datetime = Field(nullable=False)
    sent_on: date | None = Field(default=None)
    decided_on: date | None = Field(default=None)  # accepted or rejected
    reject_reason: str | None = Field(default=None, sa_column=Column(Text))
    # The contract made from this quote once accepted (`contract new --from-quote`).
    contract_number: str | None = Field(default=None, sa_column=Column(String(40)))


class QuoteLine(Table, table=True):
    __tablename__ = "quote_lines"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(Integer, ForeignKey("quotes.id"), nullable=False, index=True)
    )
    seq: int = Field(nullable=False)
    product_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("products.id"))
    )
    code: str | None = Field(default=None, sa_column=Column(String(40)))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    spec: str | None = Field(default=None, sa_column=Column(String(300)))
    unit: str = Field(sa_column=Column(String(20), nullable=False))
    # Hundredths, like money: a quantity has at most two decimals.
    quantity: Decimal = Field(sa_column=Column(Money(), nullable=False))
    unit_price: Decimal = Field(sa_column=Column(Money(), nullable=False))
    list_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    floor_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    tax_rate: Decimal = Field(sa_column=Column(Money(), nullable=False))
