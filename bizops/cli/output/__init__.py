"""Rendering results: Rich tables on a terminal, plain rows when piped, JSON and CSV; and
the one place that decides where output goes (``targets``).

Each name below is imported from its module on first use: a command that writes JSON or
plain rows does not load the table and record renderers (nor Rich's cell widths), and the
command line's start-up stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bizops.cli.output.columns import LISTINGS, Col, Listing, declared_columns
    from bizops.cli.output.labels import FIELD_LABELS, HeaderStyle, field_label, value_label
    from bizops.cli.output.listing import (
        emit_rows,
        write_csv,
        write_json,
        write_plain,
    )
    from bizops.cli.output.options import (
        ColumnsOption,
        EncodingOption,
        FormatOption,
        HeadersOption,
        LimitOption,
        OffsetOption,
        OutputOption,
        WideOption,
    )
    from bizops.cli.output.record import Extra, Line, Pairs, Section, draw_sections, emit_object
    from bizops.cli.output.table import TERMINAL_ROWS
    from bizops.cli.output.targets import (
        CALENDAR,
        DRAFT,
        EXPORT,
        LISTING,
        REPORT,
        Format,
        OutputKind,
        Target,
        check_output_path,
        open_text,
        render_text,
        resolve_format,
        resolve_output,
        write_bytes,
        write_document,
    )
    from bizops.cli.output.values import (
        cell,
        console,
        jsonable,
        note,
        say,
        stdout_is_terminal,
        use_colour,
        with_weekday,
    )

_HOMES: dict[str, str] = {
    "LISTINGS": "columns",
    "Col": "columns",
    "Listing": "columns",
    "declared_columns": "columns",
    "FIELD_LABELS": "labels",
    "HeaderStyle": "labels",
    "field_label": "labels",
    "value_label": "labels",
    "emit_rows": "listing",
    "write_csv": "listing",
    "write_json": "listing",
    "write_plain": "listing",
    "ColumnsOption": "options",
    "EncodingOption": "options",
    "FormatOption": "options",
    "HeadersOption": "options",
    "LimitOption": "options",
    "OffsetOption": "options",
    "OutputOption": "options",
    "WideOption": "options",
    "Extra": "record",
    "Line": "record",
    "Pairs": "record",
    "Section": "record",
    "draw_sections": "record",
    "emit_object": "record",
    "TERMINAL_ROWS": "table",
    "CALENDAR": "targets",
    "DRAFT": "targets",
    "EXPORT": "targets",
    "LISTING": "targets",
    "REPORT": "targets",
    "Format": "targets",
    "OutputKind": "targets",
    "Target": "targets",
    "check_output_path": "targets",
    "open_text": "targets",
    "render_text": "targets",
    "resolve_format": "targets",
    "resolve_output": "targets",
    "write_bytes": "targets",
    "write_document": "targets",
    "cell": "values",
    "console": "values",
    "jsonable": "values",
    "note": "values",
    "say": "values",
    "stdout_is_terminal": "values",
    "use_colour": "values",
    "with_weekday": "values",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        # A submodule (``output.values``), as after an eager import of the package.
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CALENDAR",
    "DRAFT",
    "EXPORT",
    "FIELD_LABELS",
    "LISTING",
    "LISTINGS",
    "REPORT",
    "TERMINAL_ROWS",
    "WideOption",
    "Col",
    "ColumnsOption",
    "EncodingOption",
    "Extra",
    "Format",
    "FormatOption",
    "HeaderStyle",
    "HeadersOption",
    "LimitOption",
    "Line",
    "OffsetOption",
    "Listing",
    "OutputKind",
    "OutputOption",
    "Pairs",
    "Section",
    "Target",
    "cell",
    "check_output_path",
    "console",
    "declared_columns",
    "draw_sections",
    "emit_object",
    "emit_rows",
    "field_label",
    "jsonable",
    "note",
    "open_text",
    "render_text",
    "resolve_format",
    "resolve_output",
    "say",
    "stdout_is_terminal",
    "use_colour",
    "value_label",
    "with_weekday",
    "write_bytes",
    "write_csv",
    "write_document",
    "write_json",
    "write_plain",
]
