"""Listings: declared fields and columns, and writing rows as JSON, CSV or plain text.

JSON is the stable interface: ISO dates, amounts as two-decimal strings, ids as integers.
A terminal table shows the first 100 rows unless ``--limit`` says otherwise; JSON, CSV and
piped output carry every row.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any

from bizops.cli.output import values
from bizops.cli.output.columns import Col, Listing, declared_columns, own_labels
from bizops.cli.output.labels import HeaderStyle, header_row
from bizops.cli.output.targets import LISTING, Format, OutputKind, open_text, resolve_output
from bizops.cli.output.values import cell, jsonable, note
from bizops.cli.output.view import View, choose_view
from bizops.domain.text import neutralise_formula
from bizops.i18n import _


def emit_rows(
    rows: Iterable[Any],
    listing: Listing | Sequence[Col],
    *,
    fmt: Format | None = None,
    output: Path | None = None,
    limit: int | None = None,
    offset: int = 0,
    title: str | None = None,
    empty: str = "Nothing to show.",
    total: int | None = None,
    kind: OutputKind = LISTING,
    headers: HeaderStyle | str | None = None,
) -> int:
    """Write rows in the chosen format; returns how many were written. ``headers`` chooses
    the header row of CSV and xlsx: the field names (default) or their Chinese labels.
    ``offset`` skips the first rows here; a listing whose query already skipped them
    (LIMIT/OFFSET in SQL) passes none."""
    target = resolve_output(fmt, output, kind=kind)
    if offset:
        rows = itertools.islice(rows, offset, None)
    chosen = Format(target.format)
    table = chosen is Format.table and target.to_stdout and values.stdout_is_terminal()
    view = _view(listing, table=table)
    columns, keys = list(view.columns), view.keys or declared_columns(listing)[1]
    if view.keys is not None:
        rows = ({k: row.get(k) for k in view.keys} for row in rows)
    labels = own_labels(listing)
    if chosen is Format.xlsx:
        from bizops.cli.output.workbook import write_workbook

        names = keys if keys is not None else [c.key for c in columns]
        count = write_workbook(
            target,
            _limited(rows, limit),
            names,
            header_row(names, headers, labels),
            title=_(title) if title else "",
        )
        _wrote(target.path, count)
        return count
    with open_text(target, bom=chosen is Format.csv) as stream:
        if chosen is Format.json:
            count = write_json(stream, _limited(rows, limit))
        elif chosen is Format.csv:
            named = (lambda names: header_row(names, headers, labels)) if headers else None
            count = write_csv(stream, _limited(rows, limit), columns, keys, header=named)
        elif table:
            from bizops.cli.output.table import write_table

            count = write_table(rows, _spec(listing, view, title, empty), limit, total)
        else:
            count = write_plain(stream, _limited(rows, limit), columns)
    _wrote(target.path, count)
    return count


def _view(listing: Listing | Sequence[Col], *, table: bool) -> View:
    """The columns chosen for this run: ``--columns`` for every format; ``--wide`` and the
    personal config's ``[columns]`` for the terminal's table."""
    from bizops.cli.context import state

    current = state()
    preferred = None
    if table and isinstance(listing, Listing) and current.columns is None and not current.wide:
        from bizops.services.prefs import listing_columns

        preferred = listing_columns(listing.name)
    return choose_view(
        listing, names=current.columns, wide=current.wide and table, preferred=preferred
    )


def _spec(listing: Listing | Sequence[Col], view: View, title: str | None, empty: str) -> Any:
    from bizops.cli.context import state
    from bizops.cli.output.table import TableSpec

    current = state()
    if not isinstance(listing, Listing):
        return TableSpec(view, title=title, empty=empty, no_pager=current.no_pager)
    return TableSpec(
        view,
        priority=listing.priority,
        urgency=listing.urgency,
        today=current.today if listing.urgency else None,
        title=title,
        empty=empty,
        no_pager=current.no_pager,
    )


def _wrote(path: Path | None, count: int) -> None:
    if path is not None:
        note(_("Wrote {count} row(s) to {path}").format(count=count, path=path))


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


class _Encoded(dict[Any, Any]):
    """``default`` for the JSON encoder: a plain date's ISO text, remembered, so that the
    encoder's call back for each date of each row is a C dictionary look-up (a listing
    repeats the same few dozen dates thousands of times); anything else is converted afresh
    (equal moments in two time zones are written differently)."""

    def __missing__(self, value: Any) -> Any:
        if type(value) is date:
            text = self[value] = value.isoformat()
            return text
        return _json_default(value)


def _row_encoder() -> Callable[[Any], str]:
    """One C encoder reused for every row. ``JSONEncoder.encode`` builds a new one per call,
    which at 100,000 rows costs more than the encoding itself; the C encoder calls back only
    for dates, amounts and enums (for a date already seen, without running Python code)."""
    from json import encoder as std

    make = getattr(std, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    encode_string = getattr(std, "c_encode_basestring", None) or std.py_encode_basestring
    default = _Encoded().__getitem__
    encode_row = make(None, default, encode_string, None, ": ", ", ", False, False, True)
    return lambda row: "".join(encode_row(row, 0))


def write_json(stream: IO[str], rows: Iterable[dict[str, Any]]) -> int:
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
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, list | tuple):
        return ";".join(str(_csv_value(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(jsonable(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    value = jsonable(value)
    return "" if value is None else value


def write_csv(
    stream: IO[str],
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Col],
    declared: list[str] | None = None,
    *,
    header: Callable[[list[str]], list[str]] | None = None,
) -> int:
    """CSV with a header row: the declared fields when the listing has them (the same header
    with 0 rows as with N), else the columns plus the plain fields of the first row.
    ``header`` turns the field names into the header written (``--headers zh``)."""
    writer = csv.writer(stream, lineterminator="\n")
    named = header or list
    keys: list[str] | None = list(declared) if declared is not None else None
    if keys is not None:
        writer.writerow(named(keys))
    count = 0
    for row in rows:
        if keys is None:
            keys = [c.key for c in columns] or list(row)
            keys += [k for k in row if k not in keys and not isinstance(row[k], dict | list)]
            writer.writerow(named(keys))
        writer.writerow([_csv_value(row.get(k)) for k in keys])
        count += 1
    if keys is None:
        writer.writerow(named([c.key for c in columns]))
    return count


def write_plain(
    stream: IO[str],
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Col],
    *,
    keys_as_header: bool = False,
) -> int:
    """Tab-separated rows with a header: streams, greps and cuts well. The header is the
    columns' (in the interface language), or the keys as they are; the values are the codes
    scripts and people type."""
    header = [c.key if keys_as_header else c.title for c in columns]
    stream.write("\t".join(header) + "\n")
    count = 0
    for row in rows:
        values = [(c.fmt or cell)(row.get(c.key)) for c in columns]
        stream.write("\t".join(v.replace("\t", " ").replace("\n", " ") for v in values) + "\n")
        count += 1
    return count
