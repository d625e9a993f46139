"""The output options every listing and record command takes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.output.labels import HeaderStyle
from bizops.cli.output.targets import Format

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="Output format: table, json, csv or xlsx.", show_default=False
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE (- for standard output); the format follows its extension.",
        dir_okay=False,
        show_default=False,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", min=0, help="Show at most N rows (0 = all).", show_default=False),
]
HeadersOption = Annotated[
    HeaderStyle | None,
    typer.Option(
        "--headers",
        help="CSV and xlsx header row: keys (the field names, as in JSON) or zh (Chinese labels).",
        show_default=False,
    ),
]
