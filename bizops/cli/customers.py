"""bizops customers."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Customers and the pipeline: add, find, grade, move and import customers.",
    no_args_is_help=True,
)
