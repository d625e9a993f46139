"""Approval requests: the matrix rule and chain snapshotted at submission."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class ApprovalRequest(Table, table=True):
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
    # A purchase payment or a write-off routed through the matrix: the request stays on
    # its contract, as an amendment's does.
    payment_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("payments.id"))
    )
    writeoff_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("writeoffs.id"))
    )
    quote_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("quotes.id"), index=True)
    )
    rule_name: str = Field(sa_column=Column(String(100), nullable=False))
    # The policy version the request was routed under (None: routed before versions existed).
    policy_version: int | None = Field(default=None)
    rule_reason: str = Field(sa_column=Column(Text, nullable=False))
    chain: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    # The amount in the policy's base currency at submission, which the matrix and the approval
    # limits compared (None: the amount was in the base currency already).
    amount_in_base: Decimal | None = Field(default=None, sa_column=Column(Money()))
    # pending | approved | rejected | withdrawn | void
    status: str = Field(sa_column=Column(String(12), nullable=False))
    current_step: int = Field(default=1, nullable=False)
    submitted_by: str = Field(sa_column=Column(String(64), nullable=False))
    submitted_on: date = Field(nullable=False)
    submitted_at: datetime = Field(nullable=False)
    closed_on: date | None = Field(default=None)
    # every: each approver's limit must cover the amount; last: only the last step's
    limits: str = Field(
        default="every", sa_column=Column(String(8), nullable=False, server_default="every")
    )
    # What was approved: the draft's terms, fields and template at submission, and their hash.
    draft_sha256: str | None = Field(default=None, sa_column=Column(String(64)))
    draft: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ApprovalStep(Table, table=True):
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
    # A group step has one row per role with the same seq: all (会签) or any (或签); else None.
    mode: str | None = Field(default=None, sa_column=Column(String(8)))
    # Set when the step is someone's in person: handed over (转交) or added for a user (加签).
    assignee: str | None = Field(default=None, sa_column=Column(String(64)))
    added_by: str | None = Field(default=None, sa_column=Column(String(64)))


class ApprovalCopy(Table, table=True):
    """Someone copied on a request (抄送): informed in their daily report, not deciding."""

    __tablename__ = "approval_copies"
    __table_args__ = (UniqueConstraint("request_id", "login", name="uq_approval_copy"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(
        sa_column=Column(Integer, ForeignKey("approval_requests.id"), nullable=False, index=True)
    )
    login: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    source: str = Field(sa_column=Column(String(8), nullable=False))  # submit | policy
    added_on: date = Field(nullable=False)


class Absence(Table, table=True):
    """A user out of office: their approval steps go to the delegate from ``starts`` to
    ``ends`` (both included)."""

    __tablename__ = "absences"

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    starts: date = Field(nullable=False)
    ends: date = Field(nullable=False)
    delegate: str = Field(sa_column=Column(String(64), nullable=False))
    created_by: str = Field(sa_column=Column(String(64), nullable=False))
    created_on: date = Field(nullable=False)
