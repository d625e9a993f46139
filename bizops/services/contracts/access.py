"""Who may act on a contract: its owner, a manager or an admin, plus any roles a use case adds."""

from __future__ import annotations

from sqlmodel import Session

from bizops.domain.errors import NotPermitted
from bizops.domain.roles import ADMIN, MANAGER
from bizops.i18n import _
from bizops.store.models import Contract, User


def is_manager(user: User) -> bool:
    return user.has_role(MANAGER) or user.has_role(ADMIN)


def owner_login(session: Session, contract: Contract) -> str | None:
    owner = session.get(User, contract.owner_id)
    return owner.login if owner is not None else None


def require_contract_role(
    session: Session,
    actor: User,
    contract: Contract,
    what: str,
    *,
    also: tuple[str, ...] = (),
) -> None:
    """The owner, a manager or an admin (plus any role in ``also``) may ``what``: a catalog
    text (marked with ``N_``) naming the act and the contract, e.g. ``"amend contract
    {number}"``."""
    if actor.id == contract.owner_id or is_manager(actor):
        return
    if any(actor.has_role(role) for role in also):
        return
    extra = "".join(_(", {role}").format(role=role) for role in also)
    raise NotPermitted(
        _(
            "only the contract's owner ({owner}), a manager{extra} or an admin may {what}; "
            "{login} is {roles}"
        ).format(
            owner=owner_login(session, contract),
            extra=extra,
            what=_(what).format(number=contract.number),
            login=actor.login,
            roles=", ".join(actor.role_list),
        )
    )
