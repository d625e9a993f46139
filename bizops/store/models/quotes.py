"""Quotations (报价单): what an approval of a quote refers to."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


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
