"""Users, the audit log and named counters."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class User(Table, table=True):
    __tablename__ = "users"
    __table_args__ = (Index("uq_users_db_login", "db_login", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    email: str | None = Field(default=None, sa_column=Column(String(254)))
    # Comma-separated, in the order given: "sales,manager".
    roles: str = Field(sa_column=Column(String(200), nullable=False))
    approval_limit: Decimal | None = Field(default=None, sa_column=Column(Money()))
    # The sales team the user belongs to (visibility "team"); none for most.
    team: str | None = Field(default=None, sa_column=Column(String(64)))
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(nullable=False)
    # Team mode: the PostgreSQL login (session_user) that acts as this user.
    db_login: str | None = Field(default=None, sa_column=Column(String(63)))

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    def has_role(self, role: str) -> bool:
        return role in self.role_list


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


class PolicyVersion(Table, table=True):
    """One version of the department policy; the highest version is in force.

    ``data`` is the whole policy (the shipped defaults with the department's changes merged
    over them) as TOML text, so that any version can be shown or compared later.
    """

    __tablename__ = "policy_versions"

    version: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    data: str = Field(sa_column=Column(Text, nullable=False))
    applied_by: str = Field(sa_column=Column(String(64), nullable=False))
    applied_at: datetime = Field(nullable=False)
    # Where it came from: a file path, "defaults", or the file imported on upgrade.
    source: str | None = Field(default=None, sa_column=Column(Text))
    # ``[visibility]`` as JSON ({"sales": "own", ...}), for PostgreSQL's row-level security to
    # read (bizops.store.pgvisibility); None: the shipped defaults.
    visibility: str | None = Field(default=None, sa_column=Column(Text))
