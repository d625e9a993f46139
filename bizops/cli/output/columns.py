"""What a listing declares: its fields (the JSON keys and the CSV header) and its columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bizops.cli.output.labels import FIELD_KINDS
from bizops.i18n import _, is_chinese


@dataclass(frozen=True)
class Col:
    """A table column: ``header`` is English, marked with ``N_`` and translated where it is
    drawn; ``kind`` names the codes the column holds (``stage``, ``contract_state``...), shown
    by their Chinese names on a terminal in Chinese (default: the kind the field's name says).
    ``meaning`` is a fuller English wording of a short header, translated in its place: the
    "Name" of a customer (客户名称) is not the "Name" of a person (姓名).

    On a terminal: ``folds`` says whether the values may break over lines (None: names and
    text fold, codes, dates and numbers never do); ``min_width`` is the narrowest a folding
    column is drawn; ``hide_uniform`` leaves the column out when every row holds the same
    value (None: so for an owner and a currency, which then say nothing)."""

    key: str
    header: str
    fmt: Callable[[Any], str] | None = None
    justify: str = "left"
    style: str | None = None
    kind: str | None = None
    meaning: str | None = None
    folds: bool | None = None
    min_width: int = 0
    hide_uniform: bool | None = None

    @property
    def hides_uniform(self) -> bool:
        if self.hide_uniform is not None:
            return self.hide_uniform
        return self.key in UNIFORM_KEYS

    @property
    def value_kind(self) -> str | None:
        return self.kind or FIELD_KINDS.get(self.key)

    @property
    def title(self) -> str:
        """The header as drawn, in the interface language."""
        if self.meaning and is_chinese():
            return _(self.meaning)
        return _(self.header)


# Columns that say nothing when every row holds the same value (one's own rows, one currency).
UNIFORM_KEYS = frozenset({"owner", "currency"})

# How urgent a row is: "overdue", "today" or None, on the day given.
Urgency = Callable[[Mapping[str, Any], date], str | None]

# Every declared listing, by name: a test checks each one's JSON keys and CSV header.
LISTINGS: dict[str, Listing] = {}


@dataclass(frozen=True)
class Listing:
    """What a listing prints, declared once: its fields (a TypedDict: the JSON keys and the
    CSV header, in order, whatever the rows hold) and the table columns people see."""

    name: str
    fields: type
    columns: tuple[Col, ...]
    # Labels of fields whose meaning here differs from the common one (a contact's title is
    # a job title), for ``--headers zh``.
    labels: Mapping[str, str] = field(default_factory=dict)
    # The columns kept longest on a narrow terminal, most important first; the others follow
    # in their order. The first is never dropped.
    priority: tuple[str, ...] = ()
    # Marks rows that are overdue or due today (a symbol, a colour and the footer's counts).
    urgency: Urgency | None = None

    def __post_init__(self) -> None:
        unknown = [c.key for c in self.columns if c.key not in self.keys]
        if unknown:
            raise ValueError(f"listing {self.name}: columns {unknown} are not declared fields")
        shown = {c.key for c in self.columns}
        stray = [k for k in self.priority if k not in shown]
        if stray:
            raise ValueError(f"listing {self.name}: priority names {stray}, not its columns")
        LISTINGS[self.name] = self

    @property
    def keys(self) -> list[str]:
        return list(self.fields.__annotations__)


def declared_columns(columns: Listing | Sequence[Col]) -> tuple[Sequence[Col], list[str] | None]:
    """The table columns and, for a declared listing, its field names."""
    if isinstance(columns, Listing):
        return columns.columns, columns.keys
    return columns, None


def own_labels(columns: Listing | Sequence[Col]) -> Mapping[str, str]:
    return columns.labels if isinstance(columns, Listing) else {}


def ranks(columns: Sequence[Col], priority: Sequence[str] = ()) -> list[int]:
    """Each column's rank for fitting (1 is kept longest): the listing's priority names
    first, in their order, then the other columns in theirs."""
    first = {key: i for i, key in enumerate(priority)}
    order = sorted(range(len(columns)), key=lambda i: (first.get(columns[i].key, len(first)), i))
    rank = [0] * len(columns)
    for place, i in enumerate(order, start=1):
        rank[i] = place
    return rank


def by_due(key: str) -> Urgency:
    """Rows whose date ``key`` is past are overdue; on today, due today."""

    def urgency(row: Mapping[str, Any], today: date) -> str | None:
        due = row.get(key)
        if not isinstance(due, date):
            return None
        return "overdue" if due < today else "today" if due == today else None

    return urgency


def open_by_due(key: str, done: str) -> Urgency:
    """As ``by_due``, for rows still open (``done`` empty)."""
    dated = by_due(key)

    def urgency(row: Mapping[str, Any], today: date) -> str | None:
        return None if row.get(done) else dated(row, today)

    return urgency
