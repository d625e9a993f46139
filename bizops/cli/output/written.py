"""What a write command prints: a status line for people, or with ``--format json`` the
record it created or changed, as its ``show --format json`` prints it.

The convention: data on stdout, commentary on stderr. In text (the default) the status line
is the command's result and goes to stdout, as it always has; with ``--format json`` stdout
carries only the JSON object and the status line moves to stderr, so that a script reads
the JSON without scraping text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer

from bizops.cli.output.values import jsonable, note, say


class WriteFormat(StrEnum):
    """What a write command prints."""

    text = "text"
    json = "json"


# Every write command takes it (a test checks it).
WriteFormatOption = Annotated[
    WriteFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="text (default) or json: print the record written as `show --format json` does.",
        show_default=False,
    ),
]


def wants_json(fmt: WriteFormat | str | None) -> bool:
    """Whether the command must fetch the record it wrote to print it as JSON."""
    return fmt is not None and str(fmt) == WriteFormat.json


def emit_written(
    obj: Mapping[str, Any] | None,
    fmt: WriteFormat | str | None,
    *,
    text: str | Sequence[str] = (),
) -> None:
    """The result of a write: ``text`` (its status lines) on stdout, or with ``--format
    json`` ``obj`` on stdout and the status lines on stderr."""
    lines = [text] if isinstance(text, str) else list(text)
    if not wants_json(fmt):
        for line in lines:
            say(line)
        return
    for line in lines:
        note(line)
    sys.stdout.write(json.dumps(jsonable(obj), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
