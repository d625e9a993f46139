"""bizops contracts."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Contracts from draft to archive: terms, signing, milestones, amendments, disputes.",
    no_args_is_help=True,
)
