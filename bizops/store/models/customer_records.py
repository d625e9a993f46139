"""A customer's contacts, tags, stage history and pool moves."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table


class Contact(Table, table=True):
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


class CustomerTag(Table, table=True):
    __tablename__ = "customer_tags"

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(64), primary_key=True, index=True))


class StageChange(Table, table=True):
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


class PoolMove(Table, table=True):
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
