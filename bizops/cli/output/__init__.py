"""Rendering results: Rich tables on a terminal, plain rows when piped, JSON and CSV; and
the one place that decides where output goes (``targets``)."""

from bizops.cli.output.columns import LISTINGS, Col, Listing, declared_columns
from bizops.cli.output.listing import (
    emit_rows,
    write_csv,
    write_json,
    write_plain,
)
from bizops.cli.output.options import FormatOption, LimitOption, OutputOption
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
)

__all__ = [
    "CALENDAR",
    "DRAFT",
    "EXPORT",
    "LISTING",
    "LISTINGS",
    "REPORT",
    "TERMINAL_ROWS",
    "Col",
    "Extra",
    "Format",
    "FormatOption",
    "LimitOption",
    "Line",
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
    "jsonable",
    "note",
    "open_text",
    "render_text",
    "resolve_format",
    "resolve_output",
    "say",
    "stdout_is_terminal",
    "use_colour",
    "write_bytes",
    "write_csv",
    "write_document",
    "write_json",
    "write_plain",
]
