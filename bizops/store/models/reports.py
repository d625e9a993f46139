"""One row per user and day once the daily report is being delivered: sends happen once.

``status`` is ``claimed`` (a run is sending it; ``claimed_by`` names the run), ``sent``
(``message_id`` and the server's ``server_reply`` kept), ``failed`` (``error``; the next run
retries) or ``uncertain`` (the connection died after the message went out: not resent
without ``--force``)."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from bizops.store.models.table import Table


class ReportDelivery(Table, table=True):
    __tablename__ = "report_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_report_delivery_user_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id"), nullable=False))
    day: date = Field(nullable=False)
    sent_at: datetime = Field(nullable=False)
    recipient: str = Field(sa_column=Column(String(254), nullable=False))
    items: int = Field(default=0, nullable=False)
    message_id: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(
        default="claimed",
        sa_column=Column(String(12), nullable=False, server_default="sent"),
    )
    claimed_by: str | None = Field(default=None, sa_column=Column(String(120)))
    server_reply: str | None = Field(default=None, sa_column=Column(Text))
    error: str | None = Field(default=None, sa_column=Column(Text))
