"""Customers (the table every customer-facing command reads)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class Customer(Table, table=True):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_owner_grade", "owner_id", "grade"),
        Index("ix_customers_grade", "grade"),
        Index("ix_customers_stage", "stage"),
        Index("ix_customers_pinyin", "name_initials", "name_pinyin"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    # Case-, width- and punctuation-folded name for duplicate detection and search.
    name_key: str = Field(sa_column=Column(String(300), nullable=False, index=True))
    # The name in pinyin, full and initials (dingshengdianzi, dsdz), for search; set with it.
    name_pinyin: str | None = Field(default=None, sa_column=Column(Text))
    name_initials: str | None = Field(default=None, sa_column=Column(Text))
    grade: str = Field(sa_column=Column(String(1), nullable=False))
    stage: str = Field(sa_column=Column(String(16), nullable=False))
    # None: the customer is in the shared pool (公海), visible to every sales rep.
    owner_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id"), nullable=True)
    )
    industry: str | None = Field(default=None, sa_column=Column(String(100)))
    region: str | None = Field(default=None, sa_column=Column(String(100)))
    source: str | None = Field(default=None, sa_column=Column(String(100)))
    potential: Decimal | None = Field(default=None, sa_column=Column(Money()))
    intent: str | None = Field(default=None, sa_column=Column(String(8)))
    needs: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))
    # The company's own details (a switchboard, a mailbox), beside its contacts'.
    phone: str | None = Field(default=None, sa_column=Column(String(40)))
    email: str | None = Field(default=None, sa_column=Column(String(254)))
    website: str | None = Field(default=None, sa_column=Column(String(200)))
    address: str | None = Field(default=None, sa_column=Column(String(300)))
    # 统一社会信用代码 (GB 32100, check digit verified), upper case without spaces.
    credit_code: str | None = Field(default=None, sa_column=Column(String(18), index=True))
    # 开票信息: name, tax_id, address, phone, bank, bank_account (see customer invoicing)
    invoicing: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # Days between follow-ups for this customer alone; overrides the policy cadence.
    cadence_days: int | None = Field(default=None)
    stage_since: date = Field(nullable=False)
    last_contact_on: date | None = Field(default=None)
    created_on: date = Field(nullable=False)
    created_at: datetime = Field(nullable=False)
    archived_on: date | None = Field(default=None, index=True)
