"""bizops user: add, list, show, update, deactivate."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.db_login import DbLoginOption, PasswordFileOption, db_password
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_object,
    emit_rows,
    say,
    value_label,
)
from bizops.cli.output.written import WriteFormatOption, emit_written, wants_json
from bizops.i18n import N_, _

app = typer.Typer(help="Users and their roles (only admins change them).", no_args_is_help=True)

COLUMNS = [
    Col("login", N_("Login")),
    Col("name", N_("Name")),
    Col("email", N_("Email")),
    Col("roles", N_("Roles")),
    Col("limit", N_("Approval limit"), justify="right"),
    Col("active", N_("Active")),
]

RoleOption = Annotated[
    list[str] | None,
    typer.Option("--role", "-r", help="sales, manager, finance, legal, gm or admin (repeatable)."),
]


@app.command("add")
def add(
    login: Annotated[str, typer.Argument(help="Login name, e.g. alice.")],
    role: RoleOption = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name, e.g. 张伟.")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    limit: Annotated[str | None, typer.Option("--limit", help="Approval limit, e.g. 50万.")] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="The user's team (visibility `team`).")
    ] = None,
    db_login: DbLoginOption = False,
    password_file: PasswordFileOption = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a user.

    Example: bizops --as root user add alice --role sales --name "Alice Chen" --email alice@example.com
    """
    from bizops.services.users import add_user, show_user

    password = db_password(login, db_login, password_file)
    with state().write() as (session, actor):
        user = add_user(
            session,
            actor=actor,
            login=login,
            name=name,
            email=email,
            roles=role or [],
            limit=limit,
            team=team,
            db_login=db_login,
            password=password,
        )
        shown = show_user(session, ref=user.login).as_dict() if wants_json(fmt) else None
    text = _("Added user {login} ({roles}).").format(login=user.login, roles=_roles(user.roles))
    emit_written(shown, fmt, text=text)


@app.command("list")
def list_(
    role: Annotated[str | None, typer.Option("--role", help="Only users with this role.")] = None,
    active_only: Annotated[bool, typer.Option("--active", help="Only active users.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List users.

    Example: bizops user list --format json
    """
    from bizops.services.users import list_users

    with state().read() as session:
        rows = [
            u.as_dict() for u in list_users(session, include_inactive=not active_only, role=role)
        ]
    emit_rows(
        rows,
        COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Users"),
        empty=_("No users yet. Start with: {command}").format(command="bizops init --admin NAME"),
        headers=headers,
    )


@app.command("show")
def show(
    user: Annotated[str, typer.Argument(help="Login, id or name.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Show one user.

    Example: bizops user show alice
    """
    from bizops.services.users import show_user

    with state().read() as session:
        view = show_user(session, ref=user)
    emit_object(
        view.as_dict(), fmt=fmt, output=output, title=_("User {login}").format(login=view.login)
    )


@app.command("update")
def update(
    user: Annotated[str, typer.Argument(help="Login, id or name.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    role: Annotated[
        list[str] | None, typer.Option("--role", help="Replace all roles (repeatable).")
    ] = None,
    add_role: Annotated[list[str] | None, typer.Option("--add-role", help="Add a role.")] = None,
    remove_role: Annotated[
        list[str] | None, typer.Option("--remove-role", help="Remove a role.")
    ] = None,
    limit: Annotated[str | None, typer.Option("--limit", help="New approval limit.")] = None,
    no_limit: Annotated[
        bool, typer.Option("--no-limit", help="Remove the approval limit.")
    ] = False,
    activate: Annotated[
        bool, typer.Option("--activate", help="Reactivate a deactivated user.")
    ] = False,
    team: Annotated[
        str | None, typer.Option("--team", help='Move to this team ("" for none).')
    ] = None,
) -> None:
    """Change a user's name, email, roles or approval limit.

    Example: bizops --as root user update bob --add-role manager --limit 100万
    """
    from bizops.services.users import update_user

    with state().write() as (session, actor):
        view = update_user(
            session,
            actor=actor,
            ref=user,
            name=name,
            email=email,
            roles=role,
            add_roles=add_role,
            remove_roles=remove_role,
            limit=limit,
            clear_limit=no_limit,
            activate=activate,
            team=team,
        )
    say(_("Updated user {login} ({roles}).").format(login=view.login, roles=_roles(view.roles)))


@app.command("deactivate")
def deactivate(user: Annotated[str, typer.Argument(help="Login, id or name.")]) -> None:
    """Deactivate a user: they can no longer act; their history stays.

    Example: bizops --as root user deactivate bob
    """
    from bizops.services.users import deactivate_user

    with state().write() as (session, actor):
        view = deactivate_user(session, actor=actor, ref=user)
    say(_("Deactivated user {login}.").format(login=view.login))


@app.command("away")
def away(
    user: Annotated[str, typer.Argument(help="Login of the user who is away.")],
    starts: Annotated[str, typer.Option("--from", help="First day away.")],
    until: Annotated[str, typer.Option("--until", help="Last day away.")],
    delegate: Annotated[
        str, typer.Option("--delegate", help="Who stands in: same roles, a covering limit.")
    ],
) -> None:
    """Record an absence (out of office): from --from to --until, what waits for the user in
    person goes to the delegate.

    Example: bizops user away mia --from 2026-12-07 --until 2026-12-11 --delegate ned
    """
    from bizops.services.approvals import set_away

    st = state()
    with st.write() as (session, actor):
        row = set_away(
            session,
            actor=actor,
            login=user,
            delegate=delegate,
            starts=starts,
            ends=until,
            today=st.today,
        )
    say(
        _("{login} is away from {starts} to {ends}; {delegate} stands in.").format(
            login=row["login"], starts=row["starts"], ends=row["ends"], delegate=row["delegate"]
        )
    )


def _roles(roles: list[str]) -> str:
    return ", ".join(value_label("role", role) for role in roles)
