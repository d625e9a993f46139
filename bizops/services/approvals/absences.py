"""Out of office (`user away`): from its first to its last day, what waits for the absent user
in person (a step handed to them, or added for them) goes to their delegate, and their inbox
shows the delegate instead.

Resolved when a step is read or decided, not written into the steps: an absence covers the
steps pending when it starts and those that arrive during it, and ends by itself.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.dates import parse_date
from bizops.domain.errors import Invalid, NotPermitted
from bizops.domain.money import format_amount
from bizops.domain.roles import ADMIN, APPROVER_ROLES, MANAGER
from bizops.i18n import _
from bizops.store import audit
from bizops.store.models import Absence, User


class AbsenceRow(TypedDict):
    """An out-of-office period, as `user away` records it."""

    id: int
    login: str
    starts: date
    ends: date
    delegate: str


def away_on(session: Session, login: str, day: date) -> Absence | None:
    """The absence of ``login`` that covers ``day`` (the latest recorded), if any."""
    return session.execute(
        select(Absence)
        .where(
            col(Absence.login) == login,
            col(Absence.starts) <= day,
            col(Absence.ends) >= day,
        )
        .order_by(col(Absence.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def stand_in(session: Session, login: str, day: date) -> str:
    """Who acts for ``login`` on ``day``: their delegate while they are away, else themselves."""
    absence = away_on(session, login, day)
    return absence.delegate if absence is not None else login


def stands_in_for(session: Session, login: str, day: date) -> list[str]:
    """The users ``login`` stands in for on ``day``."""
    return list(
        session.execute(
            select(col(Absence.login)).where(
                col(Absence.delegate) == login,
                col(Absence.starts) <= day,
                col(Absence.ends) >= day,
            )
        ).scalars()
    )


def can_stand_in(away: User, delegate: User) -> str | None:
    """Why ``delegate`` cannot take ``away``'s approvals (roles and limit), or None."""
    missing = [r for r in away.role_list if r in APPROVER_ROLES and not delegate.has_role(r)]
    if missing:
        return _("{delegate} does not hold the role {roles} of {login}").format(
            delegate=delegate.login, roles=", ".join(missing), login=away.login
        )
    if delegate.approval_limit is not None and (
        away.approval_limit is None or delegate.approval_limit < away.approval_limit
    ):
        return _("{delegate}'s approval limit {limit} is below {login}'s ({theirs})").format(
            delegate=delegate.login,
            limit=format_amount(delegate.approval_limit),
            login=away.login,
            theirs=format_amount(away.approval_limit) if away.approval_limit else _("no limit"),
        )
    return None


def set_away(
    session: Session,
    *,
    actor: User,
    login: str,
    delegate: str,
    starts: str | date,
    ends: str | date,
    today: date,
) -> AbsenceRow:
    """Record that ``user`` is away from ``starts`` to ``ends`` (inclusive), ``delegate``
    standing in. By the user, a manager or an admin."""
    from bizops.services.users import find_user

    user = find_user(session, login, field="user")
    stand = find_user(session, delegate, field="--delegate")
    if actor.login != user.login and not (actor.has_role(MANAGER) or actor.has_role(ADMIN)):
        raise NotPermitted(
            _(
                "{login} may not record {other}'s absence; the user, a manager or an admin may"
            ).format(login=actor.login, other=user.login)
        )
    first = parse_date(starts, today, field="--from")
    last = parse_date(ends, today, field="--until")
    if last < first:
        raise Invalid(
            _("--until: {last} is before --from {first}; an absence ends after it starts").format(
                last=last.isoformat(), first=first.isoformat()
            )
        )
    if stand.login == user.login:
        raise Invalid(
            _("--delegate: {login} cannot stand in for themselves").format(login=user.login)
        )
    if not stand.active:
        raise Invalid(_("--delegate: {login} is deactivated").format(login=stand.login))
    why = can_stand_in(user, stand)
    if why:
        raise Invalid(_("--delegate: {why}").format(why=why))
    row = Absence(
        login=user.login,
        starts=first,
        ends=last,
        delegate=stand.login,
        created_by=actor.login,
        created_on=today,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    out: AbsenceRow = {
        "id": row.id,
        "login": user.login,
        "starts": first,
        "ends": last,
        "delegate": stand.login,
    }
    audit.record(
        session,
        actor=actor.login,
        action="user.away",
        entity_type="user",
        entity_id=user.login,
        after=dict(out),
    )
    return out
