"""A contract's notes, disputes, attachments and drafts."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, LargeBinary, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table


class ContractNote(Table, table=True):
    __tablename__ = "contract_notes"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    at: datetime = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))


class Dispute(Table, table=True):
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


class Attachment(Table, table=True):
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


class Draft(Table, table=True):
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
