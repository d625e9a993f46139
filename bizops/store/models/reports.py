"""One row per user and day once the daily report is mailed: sends happen once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReportDelivery(SQLModel, table=True):
    __tablename__ = "report_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_report_delivery_user_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id"), nullable=False))
    day: date = Field(nullable=False)
    sent_at: datetime = Field(nullable=False)
    recipient: str = Field(sa_column=Column(String(254), nullable=False))
    items: int = Field(default=0, nullable=False)
    message_id: str | None = Field(default=None, sa_column=Column(Text))
