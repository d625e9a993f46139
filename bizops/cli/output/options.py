"""The output options every listing and record command takes, and the options of the
commands that read a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.output.labels import HeaderStyle
from bizops.cli.output.targets import Format


def _keep_columns(value: str | None) -> str | None:
    if value is not None:
        from bizops.cli.context import state

        state().columns = value
    return value


def _keep_wide(value: bool) -> bool:
    if value:
        from bizops.cli.context import state

        state().wide = True
    return value


# Customer import and the bank statement import read text files.
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="The text's encoding, e.g. big5 or utf-16 (default: UTF-8, else GB18030).",
    ),
]
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
# Every listing takes it beside --limit (a test checks it).
OffsetOption = Annotated[
    int,
    typer.Option(
        "--offset",
        min=0,
        help="Skip the first N rows (with --limit: pages of a long list).",
        show_default=False,
    ),
]
HeadersOption = Annotated[
    HeaderStyle | None,
    typer.Option(
        "--headers",
        help="CSV and xlsx header row: keys (the field names, as in JSON) or zh (Chinese labels).",
        show_default=False,
    ),
]
# Every listing takes these two (a test checks it); the output layer reads them from the
# run's state, so a command only declares them.
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B,...",
        callback=_keep_columns,
        help="Show these columns, in this order (names as the JSON keys).",
        show_default=False,
    ),
]
WideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        callback=_keep_wide,
        help="Show every column at full width; the terminal wraps long lines.",
    ),
]
