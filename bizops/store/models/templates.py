"""Template versions added by users; the built-in library lives in the package."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field

from bizops.store.models.table import Table


class TemplateVersion(Table, table=True):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_template_name_version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(100), nullable=False, index=True))
    version: int = Field(nullable=False)
    # A contract type, or "email" / "script" for first-contact material.
    type: str = Field(sa_column=Column(String(16), nullable=False))
    language: str = Field(sa_column=Column(String(8), nullable=False))
    title: str = Field(sa_column=Column(String(300), nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text))
    body: str = Field(sa_column=Column(Text, nullable=False))
    # The typed field schema: a list of {name, type, required, default, choices, ...}.
    field_schema: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column("fields", JSON, nullable=False)
    )
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(nullable=False)
    created_by: str = Field(sa_column=Column(String(64), nullable=False))
