"""Users and roles, and who is acting."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.money import money_str, parse_money
from bizops.domain.roles import ADMIN, parse_roles
from bizops.domain.validate import check_email, check_line, check_login
from bizops.i18n import _
from bizops.store import audit
from bizops.store.models import User


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    name: str
    email: str | None
    roles: list[str]
    limit: Decimal | None
    active: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "login": self.login,
            "name": self.name,
            "email": self.email,
            "roles": self.roles,
            "limit": money_str(self.limit),
            "active": self.active,
        }


def view(user: User) -> UserView:
    assert user.id is not None
    return UserView(
        id=user.id,
        login=user.login,
        name=user.name,
        email=user.email,
        roles=user.role_list,
        limit=user.approval_limit,
        active=user.active,
    )


def _snapshot(user: User) -> dict[str, Any]:
    return view(user).as_dict()


def _logged(user: User) -> dict[str, Any]:
    """What an audit event keeps of a user: the view, and the database login if any."""
    snap = _snapshot(user)
    if user.db_login:
        snap["db_login"] = user.db_login
    return snap


def require_admin(actor: User) -> None:
    if not actor.has_role(ADMIN):
        raise NotPermitted(
            _("only an admin may do this; {login} is {roles}").format(
                login=actor.login, roles=", ".join(actor.role_list)
            )
        )


def find_user(session: Session, ref: str | int, *, field: str = "user") -> User:
    """By id, login, or an unambiguous display name."""
    text = str(ref).strip()
    if not text:
        raise Invalid(_("{field}: empty user name").format(field=field))
    from bizops.services.lookup import as_id

    if (row_id := as_id(text)) is not None:
        user = session.get(User, row_id)
        if user is not None:
            return user
    user = session.execute(select(User).where(col(User.login) == text.lower())).scalar_one_or_none()
    if user is not None:
        return user
    matches = (
        session.execute(select(User).where(func.lower(User.name) == text.lower())).scalars().all()
    )
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(f"{u.login} ({u.name})" for u in matches)
        raise Invalid(
            _("{field}: {ref!r} is ambiguous; it could be {shown}").format(
                field=field, ref=text, shown=names
            )
        )
    raise NotFound(
        _("{field}: no user {ref!r}; see `bizops user list`").format(field=field, ref=text)
    )


def os_login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def resolve_actor(session: Session, login: str | None, *, required: bool = True) -> User | None:
    """The acting user: ``--as`` / ``BIZOPS_USER``, else the OS login if it is a user."""
    if login:
        try:
            user = find_user(session, login, field="--as")
        except NotFound:
            raise NotPermitted(
                _("--as: no user {login!r}; an admin adds users with `bizops user add`").format(
                    login=login
                )
            ) from None
        if not user.active:
            raise NotPermitted(_("--as: user {login} is deactivated").format(login=user.login))
        return user
    name = os_login()
    if name:
        found = session.execute(
            select(User).where(col(User.login) == name.lower())
        ).scalar_one_or_none()
        if found is not None and found.active:
            return found
    if required:
        if name:
            raise NotPermitted(
                _(
                    "who is acting? pass --as USER or set BIZOPS_USER "
                    "(the OS login {name!r} is not an active bizops user)"
                ).format(name=name)
            )
        raise NotPermitted(_("who is acting? pass --as USER or set BIZOPS_USER"))
    return None


def _limit(value: str | Decimal | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = parse_money(value, field="--limit")
    if amount <= 0:
        raise Invalid(_("--limit: an approval limit must be greater than zero"))
    return amount


def _check_name(name: str | None, login: str) -> str:
    # The display name reaches mail headers ("To: 王芳 <wang@...>") and terminals: one line.
    return check_line(name, "name", max_length=200) or login


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(User)).scalar_one())


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _link_db_login(session: Session, user: User, password: str | None) -> str:
    """Team mode: create the PostgreSQL login named like the user (or make an existing
    non-privileged role a member login) and tie it to the user; returns what was done."""
    if not _is_postgres(session):
        raise Invalid(
            _(
                "--db-login: database logins exist in team mode (PostgreSQL); this database is "
                "a SQLite file"
            )
        )
    from bizops.store.pgroles import create_login

    done = create_login(session.connection(), user.login, password)
    user.db_login = user.login
    return done


def _set_db_login_enabled(session: Session, user: User, enabled: bool) -> None:
    if user.db_login and _is_postgres(session):
        from bizops.store.pgroles import set_login_enabled

        set_login_enabled(session.connection(), user.db_login, enabled)


def init_admin(
    session: Session,
    *,
    login: str,
    name: str | None = None,
    email: str | None = None,
    db_login: bool = False,
    password: str | None = None,
) -> UserView:
    """The very first user, an admin. Refused once any user exists."""
    if count_users(session):
        raise Conflict(
            _(
                "bizops is already initialised: users exist; "
                "an admin adds more with `bizops user add`"
            )
        )
    login = check_login(login)
    user = User(
        login=login,
        name=_check_name(name, login),
        email=check_email(email),
        roles=ADMIN,
        active=True,
        created_at=datetime.now(UTC),
    )
    if db_login:
        _link_db_login(session, user, password)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=login,
        action="user.init",
        entity_type="user",
        entity_id=login,
        after=_logged(user),
    )
    return view(user)


def add_user(
    session: Session,
    *,
    actor: User,
    login: str,
    name: str | None = None,
    email: str | None = None,
    roles: list[str] | tuple[str, ...] = (),
    limit: str | Decimal | None = None,
    db_login: bool = False,
    password: str | None = None,
) -> UserView:
    """Add a user; with ``db_login`` (team mode) also their PostgreSQL login."""
    require_admin(actor)
    login = check_login(login)
    role_list = parse_roles(list(roles))
    if not role_list:
        raise Invalid(
            _("--role: give at least one role (sales, manager, finance, legal, gm, admin)")
        )
    user = User(
        login=login,
        name=_check_name(name, login),
        email=check_email(email),
        roles=",".join(role_list),
        approval_limit=_limit(limit),
        active=True,
        created_at=datetime.now(UTC),
    )
    if session.execute(select(col(User.id)).where(col(User.login) == login)).first():
        raise Conflict(_("login {login!r} is already taken").format(login=login))
    if db_login:
        _link_db_login(session, user, password)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="user.add",
        entity_type="user",
        entity_id=login,
        after=_logged(user),
    )
    return view(user)


def list_users(
    session: Session, *, include_inactive: bool = True, role: str | None = None
) -> list[UserView]:
    query = select(User).order_by(User.login)
    if not include_inactive:
        query = query.where(User.active.is_(True))  # type: ignore[attr-defined]
    if role:
        role = parse_roles([role])[0]
        query = query.where(
            or_(
                col(User.roles) == role,
                col(User.roles).like(f"{role},%"),
                col(User.roles).like(f"%,{role}"),
                col(User.roles).like(f"%,{role},%"),
            )
        )
    return [view(u) for u in session.execute(query).scalars()]


def show_user(session: Session, *, ref: str) -> UserView:
    return view(find_user(session, ref))


def _active_admins(session: Session) -> list[User]:
    return [
        u
        for u in session.execute(select(User).where(User.active.is_(True))).scalars()  # type: ignore[attr-defined]
        if u.has_role(ADMIN)
    ]


def _new_roles(
    session: Session,
    user: User,
    roles: list[str] | None,
    add_roles: list[str] | None,
    remove_roles: list[str] | None,
) -> list[str]:
    """The roles after an update: never none, and never the last active admin's removed."""
    current = parse_roles(roles) if roles else user.role_list
    for role in parse_roles(add_roles or []):
        if role not in current:
            current.append(role)
    for role in parse_roles(remove_roles or []):
        if role in current:
            current.remove(role)
    if (
        ADMIN in user.role_list
        and ADMIN not in current
        and user.active
        and len(_active_admins(session)) <= 1
    ):
        raise Conflict(
            _("{login} is the last active admin; make someone else admin first").format(
                login=user.login
            )
        )
    if not current:
        raise Invalid(_("--role: a user must keep at least one role"))
    return current


def _set_limit(user: User, limit: str | Decimal | None, clear_limit: bool) -> None:
    if clear_limit and limit is not None:
        raise Invalid(_("--limit and --no-limit cannot be used together"))
    if clear_limit:
        user.approval_limit = None
    elif limit is not None:
        user.approval_limit = _limit(limit)


def update_user(
    session: Session,
    *,
    actor: User,
    ref: str,
    name: str | None = None,
    email: str | None = None,
    roles: list[str] | None = None,
    add_roles: list[str] | None = None,
    remove_roles: list[str] | None = None,
    limit: str | Decimal | None = None,
    clear_limit: bool = False,
    activate: bool = False,
) -> UserView:
    require_admin(actor)
    user = find_user(session, ref)
    before = _snapshot(user)
    if name is not None:
        user.name = _check_name(name, user.login)
    if email is not None:
        user.email = check_email(email)
    user.roles = ",".join(_new_roles(session, user, roles, add_roles, remove_roles))
    _set_limit(user, limit, clear_limit)
    if activate and not user.active:
        _set_db_login_enabled(session, user, True)
    if activate:
        user.active = True
    after = _snapshot(user)
    if after == before:
        raise Invalid(
            _(
                "nothing to change: give --name, --email, --role, --add-role, --remove-role, "
                "--limit or --activate"
            )
        )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="user.update",
        entity_type="user",
        entity_id=user.login,
        before=before,
        after=after,
    )
    return view(user)


def deactivate_user(session: Session, *, actor: User, ref: str) -> UserView:
    require_admin(actor)
    user = find_user(session, ref)
    if not user.active:
        raise Conflict(_("user {login} is already deactivated").format(login=user.login))
    if user.has_role(ADMIN) and len(_active_admins(session)) <= 1:
        raise Conflict(
            _("{login} is the last active admin and cannot be deactivated").format(login=user.login)
        )
    before = _snapshot(user)
    user.active = False
    _set_db_login_enabled(session, user, False)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="user.deactivate",
        entity_type="user",
        entity_id=user.login,
        before=before,
        after=_snapshot(user),
    )
    return view(user)
