"""Who is acting. Personal mode (SQLite): ``--as``, ``BIZOPS_USER`` or the OS login, as the
person at the desk says. Team mode (PostgreSQL): the database login is the identity.

In team mode the login's bizops user acts; ``--as`` someone else is refused unless that user
is an admin, and then each audit event names both (the actor, and ``acting_admin``). A login
no bizops user claims may act only if it is the DBA's (a superuser or a member of the owner
role): such a login can change anything in the database anyway, so it acts as before, and
the database records its login on each event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import NotPermitted
from bizops.domain.roles import ADMIN
from bizops.i18n import _
from bizops.services.users import resolve_actor
from bizops.store.models import User


@dataclass(frozen=True)
class Acting:
    """The acting user, and the admin acting as them (team mode's ``--as``), if any."""

    user: User | None
    acting_admin: str | None = None
    may_backdate: bool = True


def _linked_user(session: Session, login: str) -> User | None:
    return session.execute(select(User).where(col(User.db_login) == login)).scalar_one_or_none()


def resolve_team_actor(session: Session, as_user: str | None, *, required: bool) -> Acting:
    """The acting user of a PostgreSQL connection, from ``session_user``."""
    from bizops.store.pgroles import current_login  # team mode only: not on SQLite

    login = current_login(session.connection())
    me = _linked_user(session, login.name)
    if me is None:
        if login.privileged:
            return Acting(resolve_actor(session, as_user, required=required))
        raise NotPermitted(
            _(
                "database login {login} is not a bizops user; an admin links it with "
                "`bizops user add LOGIN --db-login`"
            ).format(login=login.name)
        )
    if not me.active:
        raise NotPermitted(
            _("user {login} (database login {db_login}) is deactivated").format(
                login=me.login, db_login=login.name
            )
        )
    admin = me.has_role(ADMIN)
    if as_user:
        target = resolve_actor(session, as_user, required=True)
        assert target is not None
        if target.id != me.id:
            if not admin:
                raise NotPermitted(
                    _(
                        "--as: only an admin may act as another user; database login "
                        "{db_login} is {login} ({roles})"
                    ).format(db_login=login.name, login=me.login, roles=", ".join(me.role_list))
                )
            return Acting(target, acting_admin=me.login, may_backdate=True)
    return Acting(me, may_backdate=admin)


def check_team_read(session: Session, as_user: str | None) -> None:
    """A read in team mode: refused for a login no user claims (unless it is the DBA's), a
    deactivated user, or ``--as`` someone else by a non-admin."""
    from bizops.store.pgroles import current_login  # team mode only: not on SQLite

    login = current_login(session.connection())
    if login.privileged and _linked_user(session, login.name) is None:
        return
    resolve_team_actor(session, as_user, required=False)


def check_write_date(acting: Acting, *, today: date, real: date) -> None:
    """Team mode: a write dated other than today needs an admin's (or the DBA's) login."""
    if today != real and not acting.may_backdate:
        raise NotPermitted(
            _(
                "--today: in team mode only an admin may write as of another day "
                "({day}); reports and reads may use --today"
            ).format(day=today.isoformat())
        )
