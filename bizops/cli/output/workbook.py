"""Listings as a real Excel workbook: a header row, typed cells (dates as dates, amounts as
numbers), a frozen header and sensible column widths."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bizops.cli.output.targets import Target, cannot_write
from bizops.domain.text import neutralise_formula

# Rows read before the column widths are fixed (a write-only sheet takes them up front).
_WIDTH_SAMPLE = 200
_MAX_WIDTH = 60


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return neutralise_formula(";".join(str(_value(v)) for v in value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return neutralise_formula(str(value))


def _width(value: Any) -> int:
    from rich.cells import cell_len

    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    return cell_len(str(value)) if value is not None else 0


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00"
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def workbook_bytes(
    rows: Iterable[dict[str, Any]], keys: Sequence[str], headers: Sequence[str], *, title: str
) -> tuple[bytes, int]:
    """The workbook and how many rows it holds."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    # A sheet's name may not hold []:*?/\ and has at most 31 characters.
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    sheet = book.create_sheet(title=(name or "bizops")[:31])
    iterator = iter(rows)
    sample = [
        [_value(row.get(k)) for k in keys]
        for row, _ in zip(iterator, range(_WIDTH_SAMPLE), strict=False)
    ]
    for i, header in enumerate(headers):
        widest = max([_width(header), *(_width(r[i]) for r in sample)])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(widest + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = _bold()
    header_cells = []
    for header in headers:
        cell = _cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for values in sample:
        sheet.append([_cell(sheet, v) for v in values])
        count += 1
    for row in iterator:
        sheet.append([_cell(sheet, _value(row.get(k))) for k in keys])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def write_workbook(
    target: Target,
    rows: Iterable[dict[str, Any]],
    keys: Sequence[str],
    headers: Sequence[str],
    *,
    title: str,
) -> int:
    data, count = workbook_bytes(rows, keys, headers, title=title)
    if target.path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            target.path.write_bytes(data)
        except OSError as exc:
            raise cannot_write(target.path, exc) from None
    return count
