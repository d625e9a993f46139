"""Rendering results: Rich tables on a terminal, plain rows when piped, JSON and CSV.

JSON is the stable interface (PRODUCT section 2): ISO dates, amounts as two-decimal strings,
ids as integers. A terminal table shows the first 100 rows unless ``--limit`` says otherwise;
JSON, CSV and piped output carry every row.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from bizops.domain.errors import Invalid

TERMINAL_ROWS = 100


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format: table, json or csv.", show_default=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE; the format follows its extension.",
        dir_okay=False,
        show_default=False,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", min=0, help="Show at most N rows (0 = all).", show_default=False),
]


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    fmt: Callable[[Any], str] | None = None
    justify: str = "left"
    style: str | None = None


# Every declared listing, by name: a test checks each one's JSON keys and CSV header.
LISTINGS: dict[str, Listing] = {}


@dataclass(frozen=True)
class Listing:
    """What a listing prints, declared once: its fields (a TypedDict: the JSON keys and the
    CSV header, in order, whatever the rows hold) and the table columns people see."""

    name: str
    fields: type
    columns: tuple[Col, ...]

    def __post_init__(self) -> None:
        unknown = [c.key for c in self.columns if c.key not in self.keys]
        if unknown:
            raise ValueError(f"listing {self.name}: columns {unknown} are not declared fields")
        LISTINGS[self.name] = self

    @property
    def keys(self) -> list[str]:
        return list(self.fields.__annotations__)


def declared_columns(columns: Listing | Sequence[Col]) -> tuple[Sequence[Col], list[str] | None]:
    """The table columns and, for a declared listing, its field names."""
    if isinstance(columns, Listing):
        return columns.columns, columns.keys
    return columns, None


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def use_colour() -> bool:
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


# Files whose readers would reject what bizops writes (it writes text, not workbooks or PDFs).
_NOT_TEXT = (".xlsx", ".xls", ".xlsm", ".ods", ".pdf", ".docx", ".doc")


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    if fmt is not None:
        return fmt  # an explicit --format is the user's choice, whatever the file's name
    if output is not None and output.suffix.lower() in _NOT_TEXT:
        raise Invalid(
            f"-o: {output.name}: bizops writes listings as .json, .csv or text; "
            "use -o FILE.csv (Excel opens it)"
        )
    if output is not None:
        suffix = output.suffix.lower()
        if suffix == ".json":
            return Format.json
        if suffix in (".csv", ".tsv"):
            return Format.csv
    return Format.table


def _open_output(output: Path | None, fmt: Format) -> tuple[IO[str], bool]:
    if output is None:
        return sys.stdout, False
    if output.is_dir():
        raise Invalid(f"-o: {output} is a directory")
    if not output.parent.exists():
        raise Invalid(f"-o: cannot write {output}: directory {output.parent} does not exist")
    try:
        # Excel on a Chinese system reads UTF-8 CSV correctly only with a BOM.
        encoding = "utf-8-sig" if fmt is Format.csv else "utf-8"
        return open(output, "w", encoding=encoding, newline=""), True
    except OSError as exc:
        raise Invalid(f"-o: cannot write {output}: {exc.strerror}") from None


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color=not use_colour() if not stderr else None,
        highlight=False,
        soft_wrap=False,
    )


def emit_rows(
    rows: Iterable[Any],
    listing: Listing | Sequence[Col],
    *,
    fmt: Format | None = None,
    output: Path | None = None,
    limit: int | None = None,
    title: str | None = None,
    empty: str = "Nothing to show.",
    total: int | None = None,
) -> int:
    """Write rows in the chosen format; returns how many were written."""
    columns, keys = declared_columns(listing)
    chosen = resolve_format(fmt, output)
    stream, close = _open_output(output, chosen)
    try:
        if chosen is Format.json:
            count = _write_json(stream, _limited(rows, limit))
        elif chosen is Format.csv:
            count = _write_csv(stream, _limited(rows, limit), columns, keys)
        elif output is None and stdout_is_terminal():
            count = _write_rich(rows, columns, limit, title, empty, total)
        else:
            count = _write_plain(stream, _limited(rows, limit), columns)
    finally:
        if close:
            stream.close()
    if output is not None:
        note(f"Wrote {count} row(s) to {output}")
    return count


def _limited(rows: Iterable[dict[str, Any]], limit: int | None) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(rows):
        if limit and i >= limit:
            return
        yield row


def _json_default(value: Any) -> Any:
    """What ``json`` cannot encode itself, the way ``jsonable`` converts it."""
    if isinstance(value, date):  # and datetime, a subclass: the commonest case first
        return value.isoformat()
    if isinstance(value, Decimal | Enum):
        return jsonable(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _row_encoder() -> Callable[[Any], str]:
    """One C encoder reused for every row. ``JSONEncoder.encode`` builds a new one per call,
    which at 100,000 rows costs more than the encoding itself; the C encoder calls back into
    Python only for dates, amounts and enums."""
    from json import encoder as std

    make = getattr(std, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    encode_string = getattr(std, "c_encode_basestring", None) or std.py_encode_basestring
    encode_row = make(None, _json_default, encode_string, None, ": ", ", ", False, False, True)
    return lambda row: "".join(encode_row(row, 0))


def _write_json(stream: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    encode = _row_encoder()
    chunk: list[str] = ["["]
    for row in rows:
        chunk.append(",\n  " if count else "\n  ")
        chunk.append(encode(row))
        count += 1
        if len(chunk) >= 2000:
            stream.write("".join(chunk))
            chunk.clear()
    chunk.append("\n]\n" if count else "]\n")
    stream.write("".join(chunk))
    return count


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(_csv_value(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(jsonable(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    value = jsonable(value)
    return "" if value is None else value


def _write_csv(
    stream: IO[str],
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Col],
    declared: list[str] | None = None,
) -> int:
    """CSV with a header row: the declared fields when the listing has them (the same header
    with 0 rows as with N), else the columns plus the plain fields of the first row."""
    writer = csv.writer(stream, lineterminator="\n")
    keys: list[str] | None = list(declared) if declared is not None else None
    if keys is not None:
        writer.writerow(keys)
    count = 0
    for row in rows:
        if keys is None:
            keys = [c.key for c in columns] or list(row)
            keys += [k for k in row if k not in keys and not isinstance(row[k], dict | list)]
            writer.writerow(keys)
        writer.writerow([_csv_value(row.get(k)) for k in keys])
        count += 1
    if keys is None:
        writer.writerow([c.key for c in columns])
    return count


def _write_plain(stream: IO[str], rows: Iterable[dict[str, Any]], columns: Sequence[Col]) -> int:
    """Tab-separated rows with a header: streams, greps and cuts well."""
    stream.write("\t".join(c.header for c in columns) + "\n")
    count = 0
    for row in rows:
        values = [(c.fmt or cell)(row.get(c.key)) for c in columns]
        stream.write("\t".join(v.replace("\t", " ").replace("\n", " ") for v in values) + "\n")
        count += 1
    return count


def _write_rich(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Col],
    limit: int | None,
    title: str | None,
    empty: str,
    total: int | None,
) -> int:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    cap = TERMINAL_ROWS if limit is None else limit
    body: list[list[str]] = []
    left_out = 0
    for row in rows:
        if cap and len(body) >= cap:
            left_out += 1
            continue
        body.append([(c.fmt or cell)(row.get(c.key)) for c in columns])
    shown = len(body)
    table = Table(title=title, header_style="bold", title_justify="left", show_edge=False)
    for i, c in enumerate(columns):
        values = [r[i] for r in body]
        widest = max((cell_len(v) for v in values), default=0)
        # Codes, dates and numbers stay on one line; names and text fold (CJK has no spaces
        # to wrap at, and an ellipsis would hide the part of a name that tells customers apart).
        short = widest <= 12 and not any(" " in v for v in values)
        table.add_column(
            c.header,
            justify=c.justify,  # type: ignore[arg-type]
            style=c.style,
            no_wrap=False,
            min_width=widest if short else min(widest, 10),
            overflow="fold",
        )
    for values in body:
        # Text, not markup: a name such as "[VIP] Acme" must print as typed.
        table.add_row(*[Text(v) for v in values])
    con = console()
    if not shown:
        con.print(empty)
        return 0
    con.print(table)
    if total is not None and total > shown + left_out:
        left_out = total - shown
    if left_out:
        con.print(
            f"[dim]{left_out} more row(s) not shown; use --limit 0 for all, or --format json[/dim]"
        )
    return shown


@dataclass(frozen=True)
class Section:
    """A table under a `show` record: the list of records under ``obj[key]``."""

    key: str
    title: str
    columns: tuple[Col, ...]


@dataclass(frozen=True)
class Pairs:
    """A mapping under a `show` record (``obj[key]``), drawn as ``name = value`` lines."""

    key: str
    title: str


@dataclass(frozen=True)
class Line:
    """One labelled line under a `show` record: ``fmt(obj[key])``, skipped when empty."""

    key: str
    label: str
    fmt: Callable[[Any], str] = lambda value: cell(value)
    always: bool = False


Extra = Section | Pairs | Line


def emit_object(
    obj: dict[str, Any],
    *,
    fmt: Format | None = None,
    output: Path | None = None,
    title: str | None = None,
    sections: Sequence[Extra] = (),
) -> None:
    """One record: JSON object, a one-row CSV, or a key/value view (plus its declared
    sections) for people."""
    chosen = resolve_format(fmt, output)
    stream, close = _open_output(output, chosen)
    try:
        if chosen is Format.json:
            stream.write(json.dumps(jsonable(obj), ensure_ascii=False, indent=2) + "\n")
        elif chosen is Format.csv:
            # Lists of plain values (a chain of roles, allowed moves) join with ";" as in listings;
            # nested records have no place in one CSV row.
            flat = {
                k: v
                for k, v in obj.items()
                if not isinstance(v, dict)
                and not (isinstance(v, list) and any(isinstance(x, dict | list) for x in v))
            }
            _write_csv(stream, [flat], [Col(k, k) for k in flat])
        elif output is None and stdout_is_terminal():
            _write_rich_object(obj, title, sections)
        else:
            _write_plain_object(stream, obj)
    finally:
        if close:
            stream.close()
    if output is not None:
        note(f"Wrote {output}")


def _write_rich_object(obj: dict[str, Any], title: str | None, sections: Sequence[Extra]) -> None:
    from rich.table import Table
    from rich.text import Text

    con = console()
    # Text, not markup: a title or note such as "测试[/]结束" must print as typed.
    table = Table(
        show_header=False, box=None, title=Text(title) if title else None, title_justify="left"
    )
    table.title_style = "bold"
    table.add_column(style="bold cyan")
    table.add_column()
    for key, value in obj.items():
        if not isinstance(value, list | dict):
            table.add_row(Text(key), Text(cell(value)))
    con.print(table)
    draw_sections(con, obj, sections)


def draw_sections(con: Any, obj: dict[str, Any], sections: Sequence[Extra]) -> None:
    """The declared sections of a record, drawn as text (never as Rich markup)."""
    for extra in sections:
        _write_extra(con, obj, extra)


def _write_extra(con: Any, obj: dict[str, Any], extra: Extra) -> None:
    from rich.table import Table
    from rich.text import Text

    value = obj.get(extra.key)
    if isinstance(extra, Line):
        text = extra.fmt(value) if value not in (None, "", [], {}) else ""
        if text or extra.always:
            line = Text()
            line.append(f"{extra.label}: ", style="bold")
            line.append(text or "none")
            con.print(line)
        return
    if not value:
        return
    con.print()
    if isinstance(extra, Pairs):
        con.print(Text(extra.title, style="bold"))
        for name, item in value.items():
            con.print(Text(f"  {name} = {cell(item)}"))
        return
    table = Table(title=Text(extra.title), title_justify="left", show_edge=False)
    table.title_style = "bold"
    table.header_style = "bold"
    for c in extra.columns:
        table.add_column(c.header, justify=c.justify)  # type: ignore[arg-type]
    for row in value:
        table.add_row(*[Text((c.fmt or cell)(row.get(c.key))) for c in extra.columns])
    con.print(table)


def _write_plain_object(stream: IO[str], obj: dict[str, Any]) -> None:
    for key, value in obj.items():
        if not isinstance(value, list | dict):
            stream.write(f"{key}\t{cell(value)}\n")
    for key, value in obj.items():
        if isinstance(value, dict):
            stream.write(f"\n{key}:\n")
            for inner, item in value.items():
                stream.write(f"{inner}\t{cell(item)}\n")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            stream.write(f"\n{key}:\n")
            _write_plain(stream, value, [Col(k, k) for k in value[0]])
        elif isinstance(value, list):
            stream.write(f"{key}\t{cell(value)}\n")


def say(message: str) -> None:
    """The result of a command, on stdout."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def note(message: str) -> None:
    """Commentary for people, on stderr, so that stdout stays parseable."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def render_text(text: str, output: Path | None) -> None:
    """Write a whole document (report, draft) to stdout or a file."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    stream, _ = _open_output(output, Format.table)
    with stream:
        stream.write(text)
    note(f"Wrote {output}")


def write_bytes(data: bytes, output: Path) -> None:
    if output.is_dir():
        raise Invalid(f"-o: {output} is a directory")
    if not output.parent.exists():
        raise Invalid(f"-o: cannot write {output}: directory {output.parent} does not exist")
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise Invalid(f"-o: cannot write {output}: {exc.strerror}") from None
    note(f"Wrote {output}")


def csv_text(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    _write_csv(buf, rows, [Col(k, k) for k in (rows[0] if rows else {})])
    return buf.getvalue()
