"""Approval requests: the matrix rule and chain snapshotted at submission (K3, C5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from bizops.store.types import Money


class ApprovalRequest(SQLModel, table=True):
    __tablename__ = "approval_requests"
    __table_args__ = (Index("ix_approval_requests_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    # A request is about a contract (or one of its amendments) or about a quote.
    contract_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("contracts.id"), index=True)
    )
    amendment_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("amendments.id"))
    )
    quote_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("quotes.id"), index=True)
    )
    rule_name: str = Field(sa_column=Column(String(100), nullable=False))
    rule_reason: str = Field(sa_column=Column(Text, nullable=False))
    chain: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    # pending | approved | rejected | withdrawn | void
    status: str = Field(sa_column=Column(String(12), nullable=False))
    current_step: int = Field(default=1, nullable=False)
    submitted_by: str = Field(sa_column=Column(String(64), nullable=False))
    submitted_on: date = Field(nullable=False)
    submitted_at: datetime = Field(nullable=False)
    closed_on: date | None = Field(default=None)


class ApprovalStep(SQLModel, table=True):
    __tablename__ = "approval_steps"
    __table_args__ = (Index("ix_approval_steps_role_status", "role", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(
        sa_column=Column(Integer, ForeignKey("approval_requests.id"), nullable=False, index=True)
    )
    seq: int = Field(nullable=False)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    # waiting (not its turn) | pending | approved | rejected | cancelled
    status: str = Field(sa_column=Column(String(12), nullable=False))
    pending_since: date | None = Field(default=None)
    due: date | None = Field(default=None)
    decided_by: str | None = Field(default=None, sa_column=Column(String(64)))
    decided_on: date | None = Field(default=None)
    comment: str | None = Field(default=None, sa_column=Column(Text))
