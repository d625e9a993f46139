"""bizops reports."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Reminder reports for cron, and the metrics of the standard.", no_args_is_help=True
)
