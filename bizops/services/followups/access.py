"""Who may act on a customer's follow-ups, whose follow-ups a listing shows, and finding the
customer or follow-up a command names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.roles import ADMIN, MANAGER
from bizops.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from bizops.store.models import Customer, User


def require_can_follow_up(actor: User, customer: Customer) -> None:
    """The customer's owner, a manager or an admin may log and plan its follow-ups."""
    if actor.id == customer.owner_id or actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    raise NotPermitted(
        _(
            "{login} may not follow up {code} {name}: only its owner, a manager or an admin may"
        ).format(login=actor.login, code=customer.code, name=customer.name)
    )


def owner_scope(session: Session, *, actor: User | None, owner: str | None) -> list[int] | None:
    """Whose follow-ups a listing shows: ``--owner USER``, ``all`` (None), else the default.

    The default is the acting user's own customers; a manager's default is everyone.
    """
    text = (owner or "").strip()
    if text.lower() == "all":
        return None
    if text:
        from bizops.services.users import find_user

        user = find_user(session, text, field="--owner")
        assert user.id is not None
        return [user.id]
    if actor is None:
        raise NotPermitted(_("who is acting? pass --as USER (or --owner USER, or --owner all)"))
    if actor.has_role(MANAGER):
        return None
    assert actor.id is not None
    return [actor.id]


def active_customer(session: Session, ref: str | int) -> Customer:
    """The customer a command names; an archived one must be restored first."""
    # Imported here: the lookups load the contract model too, which `followups due` never needs.
    from bizops.services.lookup import find_customer

    customer = find_customer(session, ref)  # held until the write ends (PostgreSQL)
    if customer.archived_on is not None:
        raise Conflict(
            _(
                "customer {code} {name} is archived ({day}); restore it first with "
                "`bizops customer restore {code}`"
            ).format(code=customer.code, name=customer.name, day=customer.archived_on.isoformat())
        )
    return customer


def followup_id(value: str | int) -> int:
    """A follow-up id as typed on the command line."""
    from bizops.services.lookup import MAX_ID

    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise Invalid(
            _("ID: {value!r} is not a follow-up id; use the id shown by `followups due`").format(
                value=value
            )
        )
    if int(text) > MAX_ID:  # beyond the id column's range: the driver would fail on it
        raise NotFound(_("ID: no follow-up {id}; see `bizops followups due`").format(id=text))
    return int(text)
