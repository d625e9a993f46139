"""Contracts and everything around them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

from bizops.store.types import Money


class Contract(SQLModel, table=True):
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


class ContractNote(SQLModel, table=True):
    __tablename__ = "contract_notes"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    at: datetime = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))


class Amendment(SQLModel, table=True):
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


class Milestone(SQLModel, table=True):
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


class Dispute(SQLModel, table=True):
    __tablename__ = "disputes"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    summary: str = Field(sa_column=Column(Text, nullable=False))
    # open | resolved
    status: str = Field(sa_column=Column(String(12), nullable=False))
    opened_on: date = Field(nullable=False)
    opened_by: str = Field(sa_column=Column(String(64), nullable=False))
    resolution: str | None = Field(default=None, sa_column=Column(Text))
    resolved_on: date | None = Field(default=None)
    resolved_by: str | None = Field(default=None, sa_column=Column(String(64)))


class Attachment(SQLModel, table=True):
    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    kind: str = Field(sa_column=Column(String(12), nullable=False))
    filename: str = Field(sa_column=Column(String(300), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    size: int = Field(nullable=False)
    # Where the copy lives next to a SQLite database; PostgreSQL keeps the bytes in `content`.
    stored_path: str | None = Field(default=None, sa_column=Column(String(500)))
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    added_on: date = Field(nullable=False)
    added_by: str = Field(sa_column=Column(String(64), nullable=False))


class Draft(SQLModel, table=True):
    """A rendered draft: which template version, with which values, and its hash."""

    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    template_name: str = Field(sa_column=Column(String(100), nullable=False))
    template_version: int = Field(nullable=False)
    format: str = Field(sa_column=Column(String(8), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_on: date = Field(nullable=False)
    created_by: str = Field(sa_column=Column(String(64), nullable=False))
