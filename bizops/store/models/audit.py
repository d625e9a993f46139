"""The audit log and named counters: written by every write, read by no listing, so that a
read-only command (`followups due`, `customer show`) does not build their models."""

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table


class AuditEvent(Table, table=True):
    """Append-only; each event carries the hash of the one before it."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_entity", "entity_type", "entity_id"),
        Index("ix_audit_actor", "actor"),
        Index("ix_audit_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    entity_type: str = Field(sa_column=Column(String(32), nullable=False))
    entity_id: str = Field(sa_column=Column(String(64), nullable=False))
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    # The admin who acted as ``actor`` (team mode, ``--as``), and the database login that
    # wrote the event (set by PostgreSQL itself; None on SQLite).
    acting_admin: str | None = Field(default=None, sa_column=Column(String(64)))
    db_login: str | None = Field(default=None, sa_column=Column(String(63)))


class AuditChain(Table, table=True):
    """One row: where the keyed chain starts, and (PostgreSQL only) its key.

    Events with ``id <= keyed_after`` were written before the chain was keyed and keep their
    plain SHA-256 hashes; later events carry an HMAC. On SQLite the key is a file in the data
    directory and ``key_check`` (an HMAC of the boundary) ties the boundary to it; on
    PostgreSQL the key is ``key``, a column member logins cannot read.
    """

    __tablename__ = "audit_chain"

    id: int = Field(default=1, primary_key=True)
    keyed_after: int = Field(default=0, nullable=False)
    key_check: str | None = Field(default=None, sa_column=Column(String(64)))
    key: bytes | None = Field(default=None, sa_column=Column(LargeBinary))


class Counter(Table, table=True):
    """Named sequences (customer codes, contract numbers per year), advanced inside writes."""

    __tablename__ = "counters"

    name: str = Field(sa_column=Column(String(64), primary_key=True))
    value: int = Field(default=0, nullable=False)
