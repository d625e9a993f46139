"""Putting a policy in force in a test database, the way `bizops config apply` does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bizops.domain.policy import Policy, merge_policy
from bizops.services import users
from bizops.services.policy import default_policy_data
from bizops.services.policy_versions import apply_policy_data, policy_in_force
from bizops.store.engine import Database
from bizops.store.models import User


def apply_policy(db: Database, data: dict[str, Any], *, by: str = "root") -> Policy:
    """Store ``data`` (over the shipped defaults) as the next policy version, applied by the
    admin ``by`` (root is made first when the database has no user); returns the policy now
    in force."""
    with db.write() as session:
        if users.count_users(session) == 0:
            users.init_admin(session, login="root", name="Root")
        admin = session.execute(select(User).where(User.login == by)).scalar_one()
        apply_policy_data(
            session,
            actor=admin,
            data=merge_policy(default_policy_data(), data),
            source="test",
        )
    with db.read() as session:
        return policy_in_force(session)


def cli_database() -> Database:
    """The database the in-process CLI uses in a test (``BIZOPS_DB``)."""
    import os

    return Database(os.environ["BIZOPS_DB"])
