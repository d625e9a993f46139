"""The table people see on a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from bizops.cli.output.labels import value_label
from bizops.cli.output.values import cell, console
from bizops.domain.text import visible
from bizops.i18n import _

if TYPE_CHECKING:
    from bizops.cli.output.columns import Col

TERMINAL_ROWS = 100


def write_table(
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
        body.append([shown_cell(c, row.get(c.key)) for c in columns])
    shown = len(body)
    table = Table(
        title=_(title) if title else None,
        header_style="bold",
        title_justify="left",
        show_edge=False,
    )
    for i, c in enumerate(columns):
        values = [r[i] for r in body]
        widest = max((cell_len(v) for v in values), default=0)
        # Codes, dates and numbers stay on one line; names and text fold (CJK has no spaces
        # to wrap at, and an ellipsis would hide the part of a name that tells customers apart).
        short = widest <= 12 and not any(" " in v for v in values)
        table.add_column(
            c.title,
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
        con.print(Text(_(empty)))
        return 0
    con.print(table)
    if total is not None and total > shown + left_out:
        left_out = total - shown
    if left_out:
        more = _("{count} more row(s) not shown; use --limit 0 for all, or --format json")
        con.print(Text(more.format(count=left_out), style="dim"))
    return shown


def shown_cell(column: Col, value: Any) -> str:
    """A value in a table people read on a terminal: codes by their names in Chinese."""
    return visible((column.fmt or cell)(value_label(column.value_kind, value)))
