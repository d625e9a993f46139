"""Users and the policy versions: what every command reads before its own query."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Integer, String, Text
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
