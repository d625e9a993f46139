"""Contracts, their milestones and amendments (what money and approvals refer to)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class Contract(Table, table=True):
    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_status", "status"),
        Index("ix_contracts_end", "end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    title: str = Field(sa_column=Column(String(300), nullable=False))
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    )
    type: str = Field(sa_column=Column(String(16), nullable=False))
    # None only for a contract without a price (an NDA; see AMOUNT_OPTIONAL).
    amount: Decimal | None = Field(default=None, sa_column=Column(Money(), nullable=True))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    risk: str = Field(sa_column=Column(String(8), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    start: date = Field(nullable=False)
    end: date = Field(nullable=False)
    template_name: str | None = Field(default=None, sa_column=Column(String(100)))
    template_version: int | None = Field(default=None)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    non_standard: bool = Field(default=False, nullable=False)
    non_standard_reasons: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    notice_days: int = Field(default=30, nullable=False)
    signed_on: date | None = Field(default=None)
    signatory: str | None = Field(default=None, sa_column=Column(String(200)))
    submitted_on: date | None = Field(default=None)
    approved_on: date | None = Field(default=None)
    activated_on: date | None = Field(default=None)
    completed_on: date | None = Field(default=None)
    terminated_on: date | None = Field(default=None)
    termination_reason: str | None = Field(default=None, sa_column=Column(Text))
    archived_on: date | None = Field(default=None)
    archive_reason: str | None = Field(default=None, sa_column=Column(Text))
    created_on: date = Field(nullable=False)
    created_at: datetime = Field(nullable=False)


class Amendment(Table, table=True):
    __tablename__ = "amendments"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    seq: int = Field(nullable=False)
    number: str = Field(sa_column=Column(String(48), nullable=False, unique=True))
    # {"amount": {"from": "...", "to": "..."}, "end": {...}}
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    # pending_approval | approved | rejected | withdrawn
    status: str = Field(sa_column=Column(String(20), nullable=False))
    created_on: date = Field(nullable=False)
    created_by: str = Field(sa_column=Column(String(64), nullable=False))
    applied_on: date | None = Field(default=None)


class Milestone(Table, table=True):
    __tablename__ = "milestones"
    __table_args__ = (Index("ix_milestones_open_due", "done_on", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    due: date = Field(nullable=False)
    amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    note: str | None = Field(default=None, sa_column=Column(Text))
    done_on: date | None = Field(default=None)
    done_by: str | None = Field(default=None, sa_column=Column(String(64)))
