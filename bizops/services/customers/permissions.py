"""Who may change which customer, and which customers can be changed at all."""

from __future__ import annotations

from sqlmodel import Session

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.roles import ADMIN, MANAGER, SALES
from bizops.services.users import find_user
from bizops.store.models import Customer, User

__all__ = ["WRITER_ROLES", "active_owner", "require_active", "require_may_change", "require_writer"]

WRITER_ROLES: tuple[str, ...] = (SALES, MANAGER, ADMIN)


def require_writer(actor: User, what: str = "change customers") -> None:
    if not actor.active:
        raise NotPermitted(f"user {actor.login} is deactivated")
    if not any(actor.has_role(r) for r in WRITER_ROLES):
        raise NotPermitted(
            f"only sales, manager or admin users may {what}; "
            f"{actor.login} is {', '.join(actor.role_list)}"
        )


def require_may_change(session: Session, actor: User, customer: Customer) -> None:
    """Sales reps change their own customers; managers and admins change any."""
    require_writer(actor)
    if actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    if customer.owner_id != actor.id:
        owner = session.get(User, customer.owner_id)
        raise NotPermitted(
            f"{customer.code} belongs to {owner.login if owner else customer.owner_id}; "
            f"a sales rep changes only their own customers (ask a manager)"
        )


def require_active(customer: Customer) -> None:
    if customer.archived_on is not None:
        raise Conflict(
            f"customer {customer.code} {customer.name} is archived; restore it first with "
            f"`bizops customer restore {customer.code}`"
        )


def active_owner(session: Session, ref: str | User, field: str = "--owner") -> User:
    user = ref if isinstance(ref, User) else find_user(session, ref, field=field)
    if not user.active:
        raise Invalid(f"{field}: user {user.login} is deactivated; choose an active user")
    return user
