"""The options of the commands that create a user, and with it, in team mode, the database
login of the same name (`init`, `user add`): kept apart from the user commands, so that the
root command declares `init` without loading them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.i18n import _

DbLoginOption = Annotated[
    bool,
    typer.Option(
        "--db-login",
        help="Team mode: also create the PostgreSQL login of the same name, a member of "
        "bizops_member (password prompted, or --password-file).",
    ),
]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the database login's password from this file (an empty file: no "
        "password, for peer or certificate authentication).",
    ),
]


def db_password(login: str, db_login: bool, password_file: Path | None) -> str | None:
    """The new database login's password: from the file, else asked for twice."""
    if not db_login:
        return None
    if password_file is not None:
        from bizops.domain.errors import Invalid

        try:
            return password_file.expanduser().read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise Invalid(
                _("--password-file: cannot read {path}: {error}").format(
                    path=password_file, error=exc.strerror
                )
            ) from None
    value = typer.prompt(
        _("Password for database login {login}").format(login=login),
        hide_input=True,
        confirmation_prompt=True,
    )
    return str(value) or None
