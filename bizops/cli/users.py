"""bizops user: add, list, show, update, deactivate."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    FormatOption,
    HeadersOption,
    LimitOption,
    OutputOption,
    emit_object,
    emit_rows,
    say,
    value_label,
)
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
) -> None:
    """Add a user.

    Example: bizops --as root user add alice --role sales --name "Alice Chen" --email alice@example.com
    """
    from bizops.services.users import add_user

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
        )
    say(_("Added user {login} ({roles}).").format(login=user.login, roles=_roles(user.roles)))


@app.command("list")
def list_(
    role: Annotated[str | None, typer.Option("--role", help="Only users with this role.")] = None,
    active_only: Annotated[bool, typer.Option("--active", help="Only active users.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
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


def _roles(roles: list[str]) -> str:
    return ", ".join(value_label("role", role) for role in roles)
