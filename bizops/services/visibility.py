"""Who may see what: the one place the visibility rule lives.

The policy's ``[visibility]`` gives each role a reach: ``own`` (the customers one owns),
``team`` (the customers of everyone in one's team) or ``all``. A user with several roles has
the widest of them. Customers in the shared pool (no owner) are seen by everyone. A contract
is seen with its customer, and by its own owner. Contacts, interactions, follow-ups,
milestones, disputes, attachments and approval requests are seen with their customer or
contract.

A manager without a team sees the customers of the users who have no team either (themselves
included): the department's unassigned part, never another team's.

``scope_for`` turns the rule into a ``Scope`` (``bizops.store.scope``): the SQL clauses the
queries of the services and the reports add, and the checks of single records (exit 4). The
CLI binds it to every read session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.policy.controls import ALL, OWN, SCOPES, TEAM
from bizops.store.models import User
from bizops.store.scope import EVERYTHING, Scope, bind_scope, scope_of

if TYPE_CHECKING:
    from bizops.domain.policy import Policy

__all__ = ["EVERYTHING", "Scope", "bind_scope", "reach", "scope_for", "scope_of"]


def reach(roles: Iterable[str], policy: Policy) -> str:
    """The widest reach the roles give (``own`` when none is known)."""
    found = [policy.visibility.get(role, OWN) for role in roles]
    return max(found, key=SCOPES.index, default=OWN)


def scope_for(session: Session, actor: User | None, policy: Policy) -> Scope:
    """What ``actor`` may see under ``policy``. Nobody identified: everything (a personal
    database is one trusted desk; team mode identifies every reader)."""
    if actor is None:
        return EVERYTHING
    assert actor.id is not None
    wide = reach(actor.role_list, policy)
    if wide == ALL:
        return EVERYTHING
    if wide == TEAM:
        team = col(User.team)
        same = team.is_(None) if actor.team is None else team == actor.team
        ids = session.execute(select(col(User.id)).where(same)).scalars().all()
        return Scope(frozenset({actor.id, *ids}), actor.login)
    return Scope(frozenset({actor.id}), actor.login)
