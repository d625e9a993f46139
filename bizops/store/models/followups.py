"""Follow-ups (one open per active customer) and the interactions that close them."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from bizops.store.models.table import Table

# The two partial indexes below cover only the open follow-ups (``WHERE status = 'open'``):
# the migrations create them so (0002_customers). The predicate is not repeated here as
# ``sqlite_where``/``postgresql_where``: naming a dialect's option makes SQLAlchemy import that
# dialect, and every command would pay for PostgreSQL's (about a tenth of a second) on SQLite.
OPEN_ONLY = "status = 'open'"


class FollowUp(Table, table=True):
    __tablename__ = "followups"
    __table_args__ = (
        # Follow-ups by status and due date (any status).
        Index("ix_followups_status_due", "status", "due"),
        # What `followups due` reads: only the open ones, covering the columns it needs, so
        # the morning list never touches the (large) table of closed follow-ups.
        Index(
            "ix_followups_open_due",
            "status",
            "due",
            "customer_id",
            "kind",
            info={"where": OPEN_ONLY},
        ),
        # Exactly one open follow-up per customer.
        Index("uq_followups_one_open", "customer_id", unique=True, info={"where": OPEN_ONLY}),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    due: date = Field(nullable=False)
    # open | done | cancelled
    status: str = Field(sa_column=Column(String(12), nullable=False))
    # first_contact | cadence | planned
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    purpose: str | None = Field(default=None, sa_column=Column(Text))
    created_on: date = Field(nullable=False)
    closed_on: date | None = Field(default=None)
    on_time: bool | None = Field(default=None)
    interaction_id: int | None = Field(default=None)
    snoozed_from: date | None = Field(default=None)
    snooze_reason: str | None = Field(default=None, sa_column=Column(Text))


class Interaction(Table, table=True):
    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_customer_at", "customer_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False))
    at: datetime = Field(nullable=False)
    on: date = Field(nullable=False, index=True)
    via: str = Field(sa_column=Column(String(12), nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    contact: str | None = Field(default=None, sa_column=Column(String(200)))
    outcome: str | None = Field(default=None, sa_column=Column(Text))
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id"), nullable=False))
    followup_id: int | None = Field(default=None)
    # 拜访目的, 地点, 下一步: what the contact was for, where, and what comes next.
    purpose: str | None = Field(default=None, sa_column=Column(Text))
    place: str | None = Field(default=None, sa_column=Column(String(200)))
    next_action: str | None = Field(default=None, sa_column=Column(Text))
    # When it was logged (``at`` is when it happened); None for interactions logged before
    # bizops recorded it.
    logged_at: datetime | None = Field(default=None)
