"""One record (`show`): a JSON object, a one-row CSV, or fields and sections for people."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bizops.cli.output import values
from bizops.cli.output.json_text import json_text
from bizops.cli.output.labels import FIELD_KINDS, field_label, value_label
from bizops.cli.output.listing import Col, write_csv, write_plain
from bizops.cli.output.table import shown_cell
from bizops.cli.output.targets import LISTING, Format, open_text, resolve_output
from bizops.cli.output.values import cell, console, note
from bizops.i18n import _

# From this many terminal columns, a record's fields are laid out in two columns.
TWO_COLUMNS = 100


@dataclass(frozen=True)
class Section:
    """A table under a `show` record: the list of records under ``obj[key]``. Titles, labels
    and headers are English, marked with ``N_``; they are translated where they are drawn."""

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
    kind: str | None = None


Extra = Section | Pairs | Line


def emit_object(
    obj: dict[str, Any],
    *,
    fmt: Format | None = None,
    output: Path | None = None,
    title: str | None = None,
    sections: Sequence[Extra] = (),
    kinds: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """One record: JSON object, a one-row CSV, or a key/value view (plus its declared
    sections) for people. On a terminal the keys show as labels and the codes by their names
    in the interface language (``kinds`` names the codes of fields whose name does not say,
    such as a contract's ``status``; ``labels`` the labels of fields whose meaning here is
    not the common one); piped, the keys and codes stay as they are."""
    target = resolve_output(fmt, output, kind=LISTING)
    chosen = Format(target.format)
    with open_text(target, bom=chosen is Format.csv) as stream:
        if chosen is Format.json:
            stream.write(json_text(obj) + "\n")
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
            _write_rich_object(obj, title, sections, kinds or {}, labels or {})
        else:
            _write_plain_object(stream, obj)
    if target.path is not None:
        note(_("Wrote {path}").format(path=target.path))


def _write_rich_object(
    obj: dict[str, Any],
    title: str | None,
    sections: Sequence[Extra],
    kinds: Mapping[str, str],
    labels: Mapping[str, str],
) -> None:
    from rich.table import Table
    from rich.text import Text

    con = console()
    pairs = [
        (
            Text(field_label(key, labels)),
            Text(cell(value_label(kinds.get(key) or FIELD_KINDS.get(key), value))),
        )
        for key, value in obj.items()
        if not isinstance(value, list | dict)
    ]
    # Text, not markup: a title or note such as "测试[/]结束" must print as typed.
    table = Table(
        show_header=False, box=None, title=Text(title) if title else None, title_justify="left"
    )
    table.title_style = "bold"
    # Two columns of fields side by side on a wide terminal, one below TWO_COLUMNS.
    halves = 2 if con.width >= TWO_COLUMNS and len(pairs) > 4 else 1
    rows = -(-len(pairs) // halves)
    for _half in range(halves):
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
    for r in range(rows):
        cells: list[Any] = []
        for half in range(halves):
            n = half * rows + r
            cells += list(pairs[n]) if n < len(pairs) else [Text(), Text()]
        table.add_row(*cells)
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
        kind = extra.kind or FIELD_KINDS.get(extra.key)
        text = extra.fmt(value_label(kind, value)) if value not in (None, "", [], {}) else ""
        if text or extra.always:
            line = Text()
            line.append(_("{label}: ").format(label=_(extra.label)), style="bold")
            line.append(text or _("none"))
            con.print(line)
        return
    if not value:
        return
    con.print()
    if isinstance(extra, Pairs):
        con.print(Text(_(extra.title), style="bold"))
        for name, item in value.items():
            con.print(Text(f"  {name} = {cell(item)}"))
        return
    table = Table(title=Text(_(extra.title)), title_justify="left", show_edge=False)
    table.title_style = "bold"
    table.header_style = "bold"
    for c in extra.columns:
        table.add_column(_section_header(c), justify=c.justify)  # type: ignore[arg-type]
    for row in value:
        table.add_row(*[Text(shown_cell(c, row.get(c.key))) for c in extra.columns])
    con.print(table)


def _section_header(column: Col) -> str:
    """A section's column: its header, or, when the header is the key itself, the key's label
    in Chinese (the key as it is in English)."""
    return field_label(column.key) if column.header == column.key else column.title


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
            write_plain(stream, value, [Col(k, k) for k in value[0]], keys_as_header=True)
        elif isinstance(value, list):
            stream.write(f"{key}\t{cell(value)}\n")
