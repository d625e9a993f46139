"""Needs analysis (需求分析): a customer's dated answer sets to a needs framework."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlmodel import Field

from bizops.store.models.table import Table


class NeedsRecord(Table, table=True):
    __tablename__ = "needs_records"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    )
    framework: str = Field(sa_column=Column(String(100), nullable=False))
    framework_version: int = Field(nullable=False)
    # Every answer of the set, normalised as template fields are (JSON-safe).
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    complete: bool = Field(nullable=False)
    recorded_on: date = Field(nullable=False)
    recorded_at: datetime = Field(nullable=False)
    recorded_by: str = Field(sa_column=Column(String(64), nullable=False))
