"""bizops templates."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The template library: contract and first-contact templates and their fields.",
    no_args_is_help=True,
)
