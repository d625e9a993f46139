"""Reading customer files for `customer import`: CSV (UTF-8, UTF-8 with BOM, GB18030), .xlsx
and JSON as `customer export` writes it, into rows of text cells under canonical field names.

- Headers are English or Chinese (``HEADER_ALIASES``); ``name``, ``grade`` and ``owner`` are
  required; an unknown column is an error that lists the accepted ones, except the
  ``source_line`` and ``reason`` columns of a rejects file, which are ignored.
- A row with more cells than the header has columns is a problem of that row; empty rows are
  skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from bizops.domain.errors import Invalid
from bizops.domain.text import fold, neutralise_formula, restore_formula
from bizops.i18n import _

__all__ = [
    "CONTACT_SEPARATOR",
    "CUSTOMER_COLUMNS",
    "HEADER_ALIASES",
    "REJECT_COLUMNS",
    "REQUIRED",
    "TAG_SEPARATOR",
    "ColumnSpec",
    "RawRow",
    "Table",
    "accepted_headers",
    "decode_text",
    "read_csv_text",
    "read_json_text",
    "read_table",
    "read_xlsx",
    "write_rejects",
]

# Canonical field -> the headers accepted for it (compared after folding case and width).
# `customer export` writes these columns, in this order (``views.ExportRow``).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "编号", "客户编号"),
    "name": ("name", "名称", "客户名称", "公司名称"),
    "grade": ("grade", "等级", "客户等级"),
    "stage": ("stage", "阶段"),
    "owner": ("owner", "负责人", "销售"),
    "industry": ("industry", "行业"),
    "region": ("region", "地区", "区域"),
    "source": ("source", "来源"),
    "potential": ("potential", "潜力", "采购潜力", "预计金额"),
    "intent": ("intent", "意向", "合作意向"),
    "tags": ("tags", "tag", "标签"),
    "contact": ("contact", "联系人"),
    "title": ("title", "职务", "职位"),
    "phone": ("phone", "电话", "手机"),
    "email": ("email", "邮箱", "电子邮件"),
    "more_contacts": ("more_contacts", "其他联系人"),
    "note": ("note", "备注"),
    "needs": ("needs", "需求"),
}
REQUIRED: tuple[str, ...] = ("name", "grade", "owner")
TAG_SEPARATOR = ";"
CONTACT_SEPARATOR = " | "


@dataclass(frozen=True)
class ColumnSpec:
    """The columns a kind of file may hold: canonical field -> accepted headers, and the
    required fields. Customers by default; `product import` passes its own."""

    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    @property
    def lookup(self) -> dict[str, str]:
        return {fold(alias): key for key, aliases in self.aliases.items() for alias in aliases}

    def accepted(self) -> str:
        return ", ".join(a for aliases in self.aliases.values() for a in aliases)


CUSTOMER_COLUMNS = ColumnSpec(HEADER_ALIASES, REQUIRED)
_LOOKUP = CUSTOMER_COLUMNS.lookup


def _header_key(header: str) -> str:
    return fold(header).replace(" ", "_").replace("-", "_")


def accepted_headers() -> str:
    return ", ".join(a for aliases in HEADER_ALIASES.values() for a in aliases)


@dataclass
class RawRow:
    where: str  # "line 17", "row 17" or "record 17"
    values: dict[str, str]
    cells: list[str]


@dataclass
class Table:
    headers: list[str]
    fields: list[str | None]  # canonical field per column, None for an empty ignored column
    rows: list[RawRow]
    problems: list[tuple[RawRow, str]] = field(default_factory=list)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; anything else is an error naming the problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Invalid(
            _(
                "{file}: the file is UTF-16 text; save it as 'CSV UTF-8' (or GB18030) "
                "and import again"
            ).format(file=name)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            bad = data[utf8_error.start : utf8_error.start + 1].hex()
            raise Invalid(
                _(
                    "{file}: cannot read the text: it is neither UTF-8 nor GB18030 "
                    "(byte 0x{byte} at offset {offset}); save it as 'CSV UTF-8' and import again"
                ).format(file=name, byte=bad, offset=utf8_error.start)
            ) from None
    if "\x00" in text:
        raise Invalid(
            _("{file}: the file holds NUL bytes; it is not a CSV text file").format(file=name)
        )
    return text


# The columns ``write_rejects`` adds: a rejects file, once fixed, imports as it is.
REJECT_COLUMNS = ("source_line", "reason")


def _map_headers(
    headers: list[str],
    name: str,
    has_values: Callable[[int], bool],
    spec: ColumnSpec = CUSTOMER_COLUMNS,
) -> list[str | None]:
    lookup = _LOOKUP if spec is CUSTOMER_COLUMNS else spec.lookup
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        text = (header or "").strip()
        if text in REJECT_COLUMNS:
            fields.append(None)
            continue
        if not text:
            if has_values(i):
                raise Invalid(
                    _("{file}: column {column} has no header but holds values").format(
                        file=name, column=i + 1
                    )
                )
            fields.append(None)
            continue
        key = lookup.get(_header_key(text)) or lookup.get(fold(text))
        if key is None:
            raise Invalid(
                _("{file}: unknown column {column!r}; accepted columns: {accepted}").format(
                    file=name, column=text, accepted=spec.accepted()
                )
            )
        if key in seen:
            raise Invalid(
                _("{file}: columns {first!r} and {second!r} both mean {field}").format(
                    file=name, first=seen[key], second=text, field=key
                )
            )
        seen[key] = text
        fields.append(key)
    missing = [f for f in spec.required if f not in seen]
    if missing:
        raise Invalid(
            _("{file}: required column(s) missing: {missing} (e.g. {examples})").format(
                file=name,
                missing=", ".join(missing),
                examples=", ".join("/".join(spec.aliases[m][:2]) for m in missing),
            )
        )
    return fields


def _unguarded(records: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Cells an export guarded against spreadsheet formulas (a leading ') as typed again."""
    return [
        (where, [restore_formula(c) if c[:1] == "'" else c for c in cells])
        for where, cells in records
    ]


def _table(
    headers: list[str],
    records: Iterator[tuple[str, list[str]]],
    name: str,
    *,
    guarded: bool = True,
    spec: ColumnSpec = CUSTOMER_COLUMNS,
) -> Table:
    records_list = list(records)
    if guarded:
        records_list = _unguarded(records_list)
    fields = _map_headers(
        headers,
        name,
        lambda i: any(i < len(cells) and cells[i].strip() for _, cells in records_list),
        spec,
    )
    table = Table(headers=headers, fields=fields, rows=[])
    width = len(headers)
    too_wide = _("has {count} cells but the header has {width} columns")
    pairs = [(i, key) for i, key in enumerate(fields) if key is not None]
    keys = [key for _, key in pairs]
    # A full row's values in one C call (there are at least the required columns, so the
    # getter gives a tuple); a short row (trailing cells left out) cell by cell.
    full = max(i for i, _ in pairs) + 1
    take = itemgetter(*(i for i, _ in pairs))
    append = table.rows.append
    for where, cells in records_list:
        if not "".join(cells).strip():
            continue
        count = len(cells)
        if count > width and "".join(cells[width:]).strip():
            table.problems.append(
                (
                    RawRow(where=where, values={}, cells=cells),
                    too_wide.format(count=count, width=width),
                )
            )
            continue
        if count >= full:
            values = dict(zip(keys, take(cells), strict=True))
        else:
            values = {k: cells[i] for i, k in pairs if i < count}
        append(RawRow(where=where, values=values, cells=cells))
    return table


def read_csv_text(text: str, name: str, spec: ColumnSpec = CUSTOMER_COLUMNS) -> Table:
    first_line = text.split("\n", 1)[0]
    # Comma, else tab or semicolon (what Excel writes where the decimal mark is a comma),
    # whichever the header line holds most of; a tie goes to the comma.
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise Invalid(
            _("{file}: the file is empty; the first line must name the columns").format(file=name)
        ) from None
    except csv.Error as exc:
        raise Invalid(
            _("{file}: line {line}: {error}").format(file=name, line=1, error=exc)
        ) from None
    # Where a row comes from, in the words of the problems that name it.
    line = _("line {line}")

    def records() -> Iterator[tuple[str, list[str]]]:
        previous = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise Invalid(
                    _("{file}: line {line}: {error}").format(
                        file=name, line=previous + 1, error=exc
                    )
                ) from None
            yield line.format(line=previous + 1), cells
            previous = reader.line_num

    # Only a file holding a ' can hold a guarded cell: most files skip the pass.
    return _table(headers, records(), name, guarded="'" in text, spec=spec)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, name: str, spec: ColumnSpec = CUSTOMER_COLUMNS) -> Table:
    from openpyxl import load_workbook

    from bizops.services.customers.import_guards import check_workbook

    check_workbook(path, name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Invalid(
            _("{file}: cannot read the workbook: {error}").format(file=name, error=exc)
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            headers = [_cell(v) for v in next(rows)]
        except StopIteration:
            raise Invalid(_("{file}: the first sheet is empty").format(file=name)) from None
        while headers and not headers[-1].strip():
            headers.pop()
        row = _("row {row}")
        records = [
            (row.format(row=i), [_cell(v) for v in values])
            for i, values in enumerate(rows, start=2)
        ]
    finally:
        book.close()
    return _table(headers, iter(records), name, spec=spec)


def read_json_text(text: str, name: str, spec: ColumnSpec = CUSTOMER_COLUMNS) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(
            _("{file}: not valid JSON: {error} at line {line}").format(
                file=name, error=exc.msg, line=exc.lineno
            )
        ) from None
    except RecursionError:
        raise Invalid(_("{file}: the JSON is nested too deeply").format(file=name)) from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise Invalid(
            _(
                "{file}: expected a JSON array of customer objects (as `customer export` writes)"
            ).format(file=name)
        )
    headers: list[str] = []
    for item in data:
        for key in item:
            if key not in headers:
                headers.append(key)
    records = []
    record = _("record {record}")
    for i, item in enumerate(data, start=1):
        cells = []
        for key in headers:
            value = item.get(key)
            if isinstance(value, list):
                sep = (
                    CONTACT_SEPARATOR
                    if _LOOKUP.get(_header_key(key)) == "more_contacts"
                    else TAG_SEPARATOR
                )
                value = sep.join(_cell(v) for v in value)
            cells.append(_cell(value))
        records.append((record.format(record=i), cells))
    return _table(headers, iter(records), name, guarded=False, spec=spec)


def read_table(
    path: Path, data: bytes | None = None, *, spec: ColumnSpec = CUSTOMER_COLUMNS
) -> Table:
    """A customer file (or, with ``spec``, another kind) as rows under canonical fields."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, name, spec)
    if suffix == ".xls":
        raise Invalid(
            _("{file}: old .xls workbooks are not read; save it as .xlsx or CSV").format(file=name)
        )
    raw = data if data is not None else path.read_bytes()
    text = decode_text(raw, name)
    if suffix == ".json":
        return read_json_text(text, name, spec)
    return read_csv_text(text, name, spec)


def write_rejects(path: Path, headers: Sequence[str], bad: list[tuple[RawRow, str]]) -> None:
    """The bad rows as they were, plus the line they came from and the reason (cells that a
    spreadsheet would run as formulas are guarded; importing the file removes the guard)."""
    from bizops.store.files import check_target

    path = check_target(path, option="--rejects")
    width = len(headers)
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow([*headers, "source_line", "reason"])
            for raw, reason in bad:
                cells = (raw.cells + [""] * width)[:width]
                writer.writerow(
                    [*(neutralise_formula(c) for c in cells), raw.where, neutralise_formula(reason)]
                )
    except OSError as exc:
        raise Invalid(
            _("--rejects: cannot write {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
