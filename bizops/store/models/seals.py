"""Seal use (用印), recorded against a contract."""

from datetime import date

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field

from bizops.store.models.table import Table


class Seal(Table, table=True):
    """The seal register (用印登记): each use of a company seal on a contract."""

    __tablename__ = "seals"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contracts.id"), nullable=False, index=True)
    )
    seal: str = Field(sa_column=Column(String(16), nullable=False))  # contract | company
    copies: int = Field(nullable=False)
    draft_sha256: str | None = Field(default=None, sa_column=Column(String(64)))
    sealed_on: date = Field(nullable=False)
    sealed_by: str = Field(sa_column=Column(String(64), nullable=False))
