"""Reading customer files for `customer import`: CSV (UTF-8, UTF-8 with BOM, GB18030 or the
``--encoding`` given; see ``import_text``), .xlsx and JSON as `customer export` writes it, into
rows of text cells under canonical field names.

- Headers are English or Chinese (``HEADER_ALIASES``, which hold the `--headers zh` export
  headers), or mapped by ``--map SOURCE=FIELD``; ``name``, ``grade`` and ``owner`` are
  required; an unknown column is an error that lists the accepted ones (or, with
  ``--ignore-unknown``, a column skipped and reported), except the ``source_line`` and
  ``reason`` columns of a rejects file, which are ignored.
- A row with more cells than the header has columns is a problem of that row; empty rows are
  skipped.
- Rows are read as the import consumes them: a CSV file is decoded and parsed a row at a
  time (its bytes are read once, for the SHA-256 and the encoding check), never held as a
  list of rows. A workbook is read in openpyxl's read-only mode; a JSON file is parsed whole.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from bizops.domain.errors import Invalid
from bizops.domain.text import fold, neutralise_formula, restore_formula
from bizops.i18n import _
from bizops.services.customers.import_text import decode_text, parse_map, text_codec

__all__ = [
    "CONTACT_SEPARATOR",
    "CUSTOMER_COLUMNS",
    "HEADER_ALIASES",
    "ColumnSpec",
    "Columns",
    "REJECT_COLUMNS",
    "REQUIRED",
    "TAG_SEPARATOR",
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

# Canonical field -> the headers accepted for it (compared after folding case and width);
# the traditional characters a Big5 file's headers are written in are accepted too.
# `customer export` writes these columns, in this order (``views.ExportRow``).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "编号", "客户编号"),
    "name": ("name", "名称", "客户名称", "公司名称", "客戶名稱", "公司名稱", "名稱"),
    "grade": ("grade", "等级", "客户等级", "等級", "客戶等級"),
    "stage": ("stage", "阶段", "階段"),
    "owner": ("owner", "负责人", "销售", "負責人", "業務"),
    "industry": ("industry", "行业", "行業"),
    "region": ("region", "地区", "区域", "地區", "區域"),
    "source": ("source", "来源", "來源"),
    "potential": ("potential", "潜力", "采购潜力", "预计金额"),
    "intent": ("intent", "意向", "合作意向"),
    "tags": ("tags", "tag", "标签"),
    "contact": ("contact", "联系人", "聯絡人", "聯繫人"),
    "title": ("title", "职务", "职位", "職務", "職位"),
    "phone": ("phone", "电话", "手机", "電話", "手機"),
    "email": ("email", "邮箱", "电子邮件", "郵箱", "電子郵件"),
    "more_contacts": ("more_contacts", "其他联系人"),
    "note": ("note", "备注", "備註"),
    "needs": ("needs", "需求"),
    # The company's own details (a switchboard, a mailbox), not a contact's.
    "company_phone": ("company_phone", "公司电话", "总机", "座机"),
    "company_email": ("company_email", "公司邮箱"),
    "website": ("website", "网址", "网站", "公司网址"),
    "address": ("address", "地址", "公司地址"),
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码"),
    "archived": ("archived", "已归档", "归档"),
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


class RawRow:
    """One row as read: its values by field, its cells, and its number in the file (17),
    which ``place`` names as ``where`` ("line 17", "row 17" or "record 17") when a message
    needs it; most rows are good and never named."""

    __slots__ = ("cells", "number", "place", "values")

    def __init__(
        self, place: Callable[[int], str], values: dict[str, str], cells: list[str], number: int
    ) -> None:
        self.place = place
        self.values = values
        self.cells = cells
        self.number = number

    @property
    def where(self) -> str:
        return self.place(self.number)


def _placed(text: str, key: str) -> Callable[[int], str]:
    """Where a row of the file is, from its number: ``_placed(_("line {line}"), "line")``."""
    return lambda number: text.format_map({key: number})


@dataclass
class Table:
    """A file's rows, read once as they are iterated (a CSV file is never held as rows):
    ``problems`` (rows wider than the header) and ``count`` (rows read, empty ones aside)
    grow while ``rows`` is consumed; ``expected`` is an estimate for a progress bar."""

    headers: list[str]
    fields: list[str | None]  # canonical field per column, None for an empty ignored column
    rows: Iterable[RawRow]
    problems: list[tuple[RawRow, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns skipped by --ignore-unknown
    count: int = 0
    expected: int = 0
    where: Callable[[int], str] = str  # a row's number -> its place ("line 17")


@dataclass(frozen=True)
class Columns:
    """How the file's columns become fields: ``--map`` (folded source -> field),
    ``--ignore-unknown``, and the kind of file (``spec``: customers unless said)."""

    mapping: dict[str, str] = field(default_factory=dict)
    ignore_unknown: bool = False
    spec: ColumnSpec = CUSTOMER_COLUMNS

    @classmethod
    def of(
        cls,
        specs: Sequence[str] = (),
        *,
        ignore_unknown: bool = False,
        spec: ColumnSpec = CUSTOMER_COLUMNS,
    ) -> Columns:
        lookup = _LOOKUP if spec is CUSTOMER_COLUMNS else spec.lookup
        return cls(parse_map(specs, lookup), ignore_unknown, spec)

    @property
    def lookup(self) -> dict[str, str]:
        return _LOOKUP if self.spec is CUSTOMER_COLUMNS else self.spec.lookup


# The columns ``write_rejects`` adds: a rejects file, once fixed, imports as it is.
REJECT_COLUMNS = ("source_line", "reason")


def _unknown(text: str, name: str, columns: Columns, ignored: list[str]) -> None:
    """An unknown column: noted with ``--ignore-unknown``, else the file is refused."""
    if not columns.ignore_unknown:
        raise Invalid(
            _(
                "{file}: unknown column {column!r}; accepted columns: {accepted}; "
                "name its field with --map '{column}=FIELD' or skip it with --ignore-unknown"
            ).format(file=name, column=text, accepted=columns.spec.accepted())
        )
    ignored.append(text)


def _map_headers(
    headers: list[str], name: str, columns: Columns, ignored: list[str]
) -> list[str | None]:
    lookup = columns.lookup
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    for header in headers:
        text = (header or "").strip()
        if text in REJECT_COLUMNS:
            fields.append(None)
            continue
        if not text:  # a value under it is refused as the rows are read (``_rows``)
            fields.append(None)
            continue
        key = (
            columns.mapping.get(fold(text))
            or lookup.get(_header_key(text))
            or lookup.get(fold(text))
        )
        if key is None:
            _unknown(text, name, columns, ignored)
            fields.append(None)
            continue
        if key in seen:
            raise Invalid(
                _("{file}: columns {first!r} and {second!r} both mean {field}").format(
                    file=name, first=seen[key], second=text, field=key
                )
            )
        seen[key] = text
        fields.append(key)
    missing = [f for f in columns.spec.required if f not in seen]
    if missing:
        raise Invalid(
            _("{file}: required column(s) missing: {missing} (e.g. {examples})").format(
                file=name,
                missing=", ".join(missing),
                examples=", ".join("/".join(columns.spec.aliases[m][:2]) for m in missing),
            )
        )
    return fields


def _table(
    headers: list[str],
    records: Iterator[tuple[int, list[str]]],
    name: str,
    columns: Columns,
    *,
    where: Callable[[int], str],
    guarded: bool = True,
    expected: int = 0,
) -> Table:
    ignored: list[str] = []
    fields = _map_headers(headers, name, columns, ignored)
    table = Table(
        headers=headers, fields=fields, rows=(), ignored=ignored, expected=expected, where=where
    )
    table.rows = _rows(table, records, name, guarded=guarded)
    return table


def _rows(
    table: Table, records: Iterator[tuple[int, list[str]]], name: str, *, guarded: bool
) -> Iterator[RawRow]:
    """The table's rows as the records arrive: cells an export guarded against spreadsheet
    formulas (a leading ') as typed again; a row wider than the header is a problem."""
    headers, fields = table.headers, table.fields
    blank = [i for i, key in enumerate(fields) if key is None and not (headers[i] or "").strip()]
    width = len(headers)
    too_wide = _("has {count} cells but the header has {width} columns")
    pairs = [(i, key) for i, key in enumerate(fields) if key is not None]
    keys = [key for _, key in pairs]
    # A full row's values in one C call (there are at least the required columns, so the
    # getter gives a tuple); a short row (trailing cells left out) cell by cell.
    full = max(i for i, _ in pairs) + 1
    take = itemgetter(*(i for i, _ in pairs))
    place = table.where
    for number, cells in records:
        joined = "".join(cells)
        if not joined.strip():
            continue
        table.count += 1
        if guarded and "'" in joined:
            cells = [restore_formula(c) if c[:1] == "'" else c for c in cells]
        count = len(cells)
        for i in blank:
            if i < count and cells[i].strip():
                raise Invalid(
                    _("{file}: column {column} has no header but holds values").format(
                        file=name, column=i + 1
                    )
                )
        if count > width and "".join(cells[width:]).strip():
            table.problems.append(
                (
                    RawRow(place, {}, cells, number),
                    too_wide.format(count=count, width=width),
                )
            )
            continue
        if count >= full:
            values = dict(zip(keys, take(cells), strict=True))
        else:
            values = {k: cells[i] for i, k in pairs if i < count}
        yield RawRow(place, values, cells, number)


def read_csv_text(text: str, name: str, columns: Columns | None = None) -> Table:
    return read_csv_stream(io.StringIO(text, newline=""), name, columns)


def read_csv_stream(
    stream: TextIO, name: str, columns: Columns | None = None, *, expected: int = 0
) -> Table:
    """CSV rows read from ``stream`` (opened with ``newline=""``) as they are iterated."""
    first_line = stream.readline()
    if not first_line:
        raise Invalid(
            _("{file}: the file is empty; the first line must name the columns").format(file=name)
        )
    # Comma, else tab or semicolon (what Excel writes where the decimal mark is a comma),
    # whichever the header line holds most of; a tie goes to the comma.
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(itertools.chain((first_line,), stream), delimiter=delimiter)
    try:
        headers = next(reader)
        if headers:
            headers[0] = headers[0].removeprefix("\ufeff")
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

    def records() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        with stream:  # closed once the rows are read (or given up)
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
                yield previous + 1, cells
                previous = reader.line_num

    return _table(
        headers,
        records(),
        name,
        columns or Columns(),
        where=_placed(line, "line"),
        expected=expected,
    )


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


def read_xlsx(path: Path, name: str, columns: Columns | None = None) -> Table:
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
        records = [(i, [_cell(v) for v in values]) for i, values in enumerate(rows, start=2)]
    finally:
        book.close()
    return _table(headers, iter(records), name, columns or Columns(), where=_placed(row, "row"))


def read_json_text(text: str, name: str, columns: Columns | None = None) -> Table:
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
        records.append((i, cells))
    return _table(
        headers,
        iter(records),
        name,
        columns or Columns(),
        where=_placed(record, "record"),
        guarded=False,
    )


def read_table(
    path: Path,
    data: bytes | None = None,
    *,
    columns: Columns | None = None,
    encoding: str | None = None,
    utf8_lines: int | None = None,
) -> Table:
    """The file's rows: .xlsx, .json or CSV (the text in ``encoding``, else as
    ``import_text.decode_text`` finds it), columns named by ``columns``. ``utf8_lines``: the
    CSV file's bytes were already checked as UTF-8 text (``import_text.scan_file``) and hold
    that many line feeds, so they are not read whole again."""
    name = path.name
    suffix = path.suffix.lower()
    columns = columns or Columns()
    if suffix in (".xlsx", ".xlsm"):
        if encoding is not None:
            raise Invalid(
                _("--encoding: {file} is a workbook, which carries its own encoding").format(
                    file=name
                )
            )
        return read_xlsx(path, name, columns)
    if suffix == ".xls":
        raise Invalid(
            _("{file}: old .xls workbooks are not read; save it as .xlsx or CSV").format(file=name)
        )
    if utf8_lines is not None and suffix != ".json" and encoding is None:
        codec, expected = "utf-8-sig", max(utf8_lines - 1, 0)
    else:
        raw = data if data is not None else path.read_bytes()
        if suffix == ".json":
            return read_json_text(decode_text(raw, name, encoding), name, columns)
        codec, expected = text_codec(raw, name, encoding), max(raw.count(b"\n") - 1, 0)
        del raw  # the caller's bytes can go: the rows are read from the file again as they
        # are iterated (the text decoded on the way, never held whole).
    stream = open(path, encoding=codec, newline="")  # noqa: SIM115 (closed by the rows)
    try:
        return read_csv_stream(stream, name, columns, expected=expected)
    except BaseException:
        stream.close()
        raise


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
