"""The root command: global options, and the command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops import __version__
from bizops.cli.context import env, reset_state, state
from bizops.cli.db_login import DbLoginOption, PasswordFileOption, db_password
from bizops.cli.group import BizopsGroup
from bizops.cli.output import say
from bizops.domain.errors import Invalid
from bizops.i18n import _, normalise_language

app = typer.Typer(
    cls=BizopsGroup,
    name="bizops",
    help=(
        "Run a business department's standard workflows: one graded customer pipeline, "
        "follow-ups nobody forgets, contracts from a template library through an approval "
        "matrix, and a reminder report every morning.\n\n"
        "Example: bizops demo && bizops --db ~/.local/share/bizops/demo.db followups due"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        say(f"bizops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="BIZOPS_DB",
            help="Database: a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DB.",
            show_default=False,
        ),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as", envvar="BIZOPS_USER", help="Act as this user (login).", show_default=False
        ),
    ] = None,
    config_file: Annotated[
        str | None,
        typer.Option(
            "--config",
            envvar="BIZOPS_CONFIG",
            help="Your personal preferences file (TOML); the policy is in the database.",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="BIZOPS_TODAY",
            help="Pretend today is this date (reproducible reports).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="BIZOPS_LANG",
            help="Interface language: en or zh (default: the personal config, else the locale).",
            show_default=False,
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print long tables straight to the terminal (also: BIZOPS_PAGER= ).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Global options; each also reads its environment variable."""
    if lang is not None and normalise_language(lang) is None:
        raise Invalid(_("--lang: unknown language {value!r}; accepted: en, zh").format(value=lang))
    source = ctx.get_parameter_source("db")
    reset_state(
        db_url=db or env("BIZOPS_DB"),
        db_typed=db is not None and source is not None and source.name == "COMMANDLINE",
        as_user=as_user,
        config=config_file,
        today_text=today,
        no_pager=no_pager,
    )
    if today:
        state().today  # noqa: B018  (refuse an unreadable --today before doing anything)
    from bizops.services.prefs import read_personal_file

    # A personal file that sets part of the department's policy stops every command.
    read_personal_file(config_file)


@app.command()
def init(
    admin: Annotated[str, typer.Option("--admin", help="Login of the first admin.")],
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Email address.")] = None,
    db_login: DbLoginOption = False,
    password_file: PasswordFileOption = None,
) -> None:
    """Create the database and its first user, an admin.

    Example: bizops init --admin root --name "系统管理员"
    """
    from bizops.services.users import init_admin

    password = db_password(admin, db_login, password_file)
    with state().database(create=True).write() as session:
        user = init_admin(
            session, login=admin, name=name, email=email, db_login=db_login, password=password
        )
    say(
        _("Initialised {database} with admin {login}.").format(
            database=state().database().display_url, login=user.login
        )
    )
    say(
        _("Next: {command}").format(command=f"bizops --as {user.login} user add alice --role sales")
    )
