"""One record (`show`): a JSON object, a one-row CSV, or fields and sections for people."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bizops.cli.output import values
from bizops.cli.output.listing import Col, write_csv, write_plain
from bizops.cli.output.targets import LISTING, Format, open_text, resolve_output
from bizops.cli.output.values import cell, console, jsonable, note


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
    target = resolve_output(fmt, output, kind=LISTING)
    chosen = Format(target.format)
    with open_text(target, bom=chosen is Format.csv) as stream:
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
            write_csv(stream, [flat], [Col(k, k) for k in flat])
        elif target.to_stdout and values.stdout_is_terminal():
            _write_rich_object(obj, title, sections)
        else:
            _write_plain_object(stream, obj)
    if target.path is not None:
        note(f"Wrote {target.path}")


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
            write_plain(stream, value, [Col(k, k) for k in value[0]])
        elif isinstance(value, list):
            stream.write(f"{key}\t{cell(value)}\n")
