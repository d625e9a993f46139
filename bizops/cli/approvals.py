"""bizops approvals."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Approvals: the authority matrix, routing, and the approval inbox.", no_args_is_help=True
)
