"""The `bizops customer` group and the arguments its commands share."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    help="Customers and the pipeline: add, find, grade, move and import customers.",
    no_args_is_help=True,
)
contact_app = typer.Typer(help="A customer's contacts: add, list, remove.", no_args_is_help=True)
app.add_typer(contact_app, name="contact")

CustomerArg = Annotated[str, typer.Argument(help="Customer id, code (C0042) or name.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (kept in the history).")]
needs_app = typer.Typer(
    help="Needs analysis: a customer's answers to a needs framework.", no_args_is_help=True
)
app.add_typer(needs_app, name="needs")
