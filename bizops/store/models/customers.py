"""Customers, their contacts, tags and stage history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from bizops.store.types import Money


class Customer(SQLModel, table=True):
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


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    name: str = Field(sa_column=Column(String(200), nullable=False))
    title: str | None = Field(default=None, sa_column=Column(String(100)))
    phone: str | None = Field(default=None, sa_column=Column(String(40)))
    email: str | None = Field(default=None, sa_column=Column(String(254)))
    email_key: str | None = Field(default=None, sa_column=Column(String(254), index=True))
    # Folded name, email and phone digits, for width- and case-insensitive search.
    search_key: str | None = Field(default=None, sa_column=Column(Text))
    is_primary: bool = Field(default=False, nullable=False)


class CustomerTag(SQLModel, table=True):
    __tablename__ = "customer_tags"

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(64), primary_key=True, index=True))


class StageChange(SQLModel, table=True):
    __tablename__ = "stage_changes"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    from_stage: str | None = Field(default=None, sa_column=Column(String(16)))
    to_stage: str = Field(sa_column=Column(String(16), nullable=False))
    on: date = Field(nullable=False)
    at: datetime = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    # What moved it when bizops did (first_contact, contract_signed, contract_active, ...);
    # None for a move made by hand.
    cause: str | None = Field(default=None, sa_column=Column(String(32)))


class PoolMove(SQLModel, table=True):
    """A customer leaving an owner for the shared pool (公海), or taken from it.

    ``kind``: release (given up by its owner), return (returned by the daily report after
    ``pool.return_after_days`` without contact) or claim. ``user_id`` is the former owner of a
    release or return, and the claimer of a claim.
    """

    __tablename__ = "pool_moves"
    __table_args__ = (Index("ix_pool_moves_user_kind_on", "user_id", "kind", "on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id"), nullable=False))
    kind: str = Field(sa_column=Column(String(8), nullable=False))
    on: date = Field(nullable=False)
    at: datetime = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text))
