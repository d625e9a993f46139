"""The table people see on a terminal: fitted to its width (see ``fit``), urgent rows
marked, and one dim footer for what was left out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bizops.cli.output.fit import column_fit, fit, fold_text, table_width
from bizops.cli.output.labels import value_label
from bizops.cli.output.values import cell, console
from bizops.domain.text import visible
from bizops.i18n import _, ngettext

if TYPE_CHECKING:
    from bizops.cli.output.columns import Col, Urgency
    from bizops.cli.output.view import View

TERMINAL_ROWS = 100
# The mark of an urgent row: a symbol that survives NO_COLOR, and its colour.
MARKS = {"overdue": ("!", "bold red"), "today": ("•", "yellow")}
# Codes, dates and numbers up to this wide never fold, even without a declared rule.
CODE_WIDTH = 16


@dataclass
class Body:
    """The rows drawn, as text, and what the footer tells about all the rows."""

    cells: list[list[str]] = field(default_factory=list)
    marks: list[str | None] = field(default_factory=list)
    left_out: int = 0
    urgent: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TableSpec:
    """What a listing asks of its table."""

    view: View
    priority: Sequence[str] = ()
    urgency: Urgency | None = None
    today: date | None = None
    title: str | None = None
    empty: str = "Nothing to show."
    no_pager: bool = False


def write_table(
    rows: Iterable[dict[str, Any]], spec: TableSpec, limit: int | None, total: int | None
) -> int:
    from rich.text import Text

    columns = list(spec.view.columns)
    body = _body(rows, columns, spec, TERMINAL_ROWS if limit is None else limit)
    con = console()
    if not body.cells:
        con.print(Text(_(spec.empty)))
        return 0
    same = [] if spec.view.chosen or spec.view.wide else _uniform(columns, body)
    kept = [i for i in range(len(columns)) if i not in same]
    table, dropped, wide_width = _table(columns, kept, body, spec, con.width)
    footer = _footer(columns, body, dropped, same, total)
    if wide_width:
        con = console(width=wide_width)
    from bizops.cli.output.pager import paged

    with paged(con, disabled=spec.no_pager) as screen:
        screen.print(table)
        for line in footer:
            screen.print(Text(line, style="dim"))
    return len(body.cells)


def _body(rows: Iterable[dict[str, Any]], columns: list[Col], spec: TableSpec, cap: int) -> Body:
    body = Body()
    for row in rows:
        mark = spec.urgency(row, spec.today) if spec.urgency and spec.today else None
        if mark:
            body.urgent[mark] = body.urgent.get(mark, 0) + 1
        if cap and len(body.cells) >= cap:
            body.left_out += 1
            continue
        body.cells.append([shown_cell(c, row.get(c.key)) for c in columns])
        body.marks.append(mark)
    return body


def _uniform(columns: list[Col], body: Body) -> list[int]:
    """Columns that say nothing here: an owner or a currency the same in every row."""
    return [
        i
        for i, c in enumerate(columns)
        if c.hides_uniform and len({row[i] for row in body.cells}) == 1 and len(columns) > 1
    ]


def _folds(column: Col, values: list[str]) -> bool:
    if column.folds is not None:
        return column.folds
    from rich.cells import cell_len

    return any(" " in v or cell_len(v) != len(v) or len(v) > CODE_WIDTH for v in values)


def _table(
    columns: list[Col], kept: list[int], body: Body, spec: TableSpec, width: int
) -> tuple[Any, list[int], int]:
    """The Rich table, the columns dropped to fit ``width``, and, with ``--wide``, the width
    to draw at (wider than the terminal, which then wraps)."""
    from rich.table import Table
    from rich.text import Text

    from bizops.cli.output.columns import ranks

    marked = any(body.marks)
    room = width - (table_width([1]) + 1 if marked else 0)
    rank = ranks([columns[i] for i in kept], spec.priority)
    fits = [
        column_fit(
            columns[i].title,
            [row[i] for row in body.cells],
            folds=_folds(columns[i], [row[i] for row in body.cells]),
            priority=0 if spec.view.chosen else rank[n],
            min_width=columns[i].min_width,
        )
        for n, i in enumerate(kept)
    ]
    if spec.view.wide:
        shown, widths = list(range(len(kept))), [f.natural for f in fits]
    else:
        shown, widths = fit(fits, room)
    drawn = [kept[n] for n in shown]
    table = Table(
        title=_(spec.title) if spec.title else None,
        header_style="bold",
        title_justify="left",
        show_edge=False,
    )
    if marked:
        table.add_column("", width=1, no_wrap=True)
    for i, w in zip(drawn, widths, strict=True):
        table.add_column(
            columns[i].title,
            justify=columns[i].justify,  # type: ignore[arg-type]
            style=columns[i].style,
            width=w,
            no_wrap=True,
            overflow="fold",
        )
    for row, mark in zip(body.cells, body.marks, strict=True):
        # Text, not markup: a name such as "[VIP] Acme" must print as typed.
        texts = [Text(fold_text(row[i], w)) for i, w in zip(drawn, widths, strict=True)]
        symbol, style = MARKS.get(mark or "", ("", None))
        table.add_row(*([Text(symbol)] if marked else []), *texts, style=style)
    dropped = [i for i in kept if i not in drawn]
    full = table_width(widths) + (table_width([1]) + 1 if marked else 0)
    return table, dropped, full if spec.view.wide and full > width else 0


def _footer(
    columns: list[Col], body: Body, dropped: list[int], same: list[int], total: int | None
) -> list[str]:
    lines: list[str] = []
    if body.urgent:
        lines.append(urgency_counts(body.urgent))
    notes: list[str] = []
    if dropped:
        notes.append(
            _("not shown: {columns} (see them with --wide, or choose with --columns)").format(
                columns=_(", ").join(columns[i].title for i in dropped)
            )
        )
    if same:
        notes.append(
            _("the same in every row: {values}").format(
                values=_(", ").join(f"{columns[i].title} {body.cells[0][i]}" for i in same)
            )
        )
    if notes:
        lines.append(_("; ").join(notes))
    shown = len(body.cells)
    left_out = (
        total - shown if total is not None and total > shown + body.left_out else body.left_out
    )
    if left_out:
        more = _("{count} more row(s) not shown; use --limit 0 for all, or --format json")
        lines.append(more.format(count=left_out))
    return lines


def urgency_counts(urgent: Mapping[str, int]) -> str:
    """ "! 3 overdue, • 2 due today": the footer's counts, with the rows' marks."""
    parts = []
    if urgent.get("overdue"):
        n = urgent["overdue"]
        parts.append(ngettext("! {n} overdue", "! {n} overdue", n).format(n=n))
    if urgent.get("today"):
        n = urgent["today"]
        parts.append(ngettext("• {n} due today", "• {n} due today", n).format(n=n))
    return _(", ").join(parts)


def shown_cell(column: Col, value: Any) -> str:
    """A value in a table people read on a terminal: codes by their names in Chinese."""
    return visible((column.fmt or cell)(value_label(column.value_kind, value)))
