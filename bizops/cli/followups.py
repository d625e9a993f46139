"""bizops followups."""

from __future__ import annotations

import typer

app = typer.Typer(help="Follow-ups: log interactions and see what is due.", no_args_is_help=True)
