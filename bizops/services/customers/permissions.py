"""Who may change which customer, and which customers can be changed at all."""

from __future__ import annotations

from sqlmodel import Session

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.roles import ADMIN, MANAGER, SALES
from bizops.i18n import N_, _
from bizops.services.users import find_user
from bizops.store.models import Customer, User

__all__ = ["WRITER_ROLES", "active_owner", "require_active", "require_may_change", "require_writer"]

WRITER_ROLES: tuple[str, ...] = (SALES, MANAGER, ADMIN)


def require_writer(actor: User, what: str = N_("change customers")) -> None:
    """Only an active sales, manager or admin user may ``what`` (a catalog text, marked with
    ``N_``)."""
    if not actor.active:
        raise NotPermitted(_("user {login} is deactivated").format(login=actor.login))
    if not any(actor.has_role(r) for r in WRITER_ROLES):
        raise NotPermitted(
            _("only sales, manager or admin users may {what}; {login} is {roles}").format(
                what=_(what), login=actor.login, roles=", ".join(actor.role_list)
            )
        )


def require_may_change(session: Session, actor: User, customer: Customer) -> None:
    """Sales reps change their own customers; managers and admins change any."""
    require_writer(actor)
    if actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    if customer.owner_id != actor.id:
        owner = session.get(User, customer.owner_id)
        raise NotPermitted(
            _(
                "{code} belongs to {owner}; "
                "a sales rep changes only their own customers (ask a manager)"
            ).format(code=customer.code, owner=owner.login if owner else customer.owner_id)
        )


def require_active(customer: Customer) -> None:
    if customer.archived_on is not None:
        raise Conflict(
            _(
                "customer {code} {name} is archived; restore it first with "
                "`bizops customer restore {code}`"
            ).format(code=customer.code, name=customer.name)
        )


def active_owner(session: Session, ref: str | User, field: str = "--owner") -> User:
    user = ref if isinstance(ref, User) else find_user(session, ref, field=field)
    if not user.active:
        raise Invalid(
            _("{field}: user {login} is deactivated; choose an active user").format(
                field=field, login=user.login
            )
        )
    return user
