"""What a listing declares: its fields (the JSON keys and the CSV header) and its columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bizops.cli.output.labels import FIELD_KINDS
from bizops.i18n import _, is_chinese


@dataclass(frozen=True)
class Col:
    """A table column: ``header`` is English, marked with ``N_`` and translated where it is
    drawn; ``kind`` names the codes the column holds (``stage``, ``contract_state``...), shown
    by their Chinese names on a terminal in Chinese (default: the kind the field's name says).
    ``meaning`` is a fuller English wording of a short header, translated in its place: the
    "Name" of a customer (客户名称) is not the "Name" of a person (姓名)."""

    key: str
    header: str
    fmt: Callable[[Any], str] | None = None
    justify: str = "left"
    style: str | None = None
    kind: str | None = None
    meaning: str | None = None

    @property
    def value_kind(self) -> str | None:
        return self.kind or FIELD_KINDS.get(self.key)

    @property
    def title(self) -> str:
        """The header as drawn, in the interface language."""
        if self.meaning and is_chinese():
            return _(self.meaning)
        return _(self.header)


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


def own_labels(columns: Listing | Sequence[Col]) -> Mapping[str, str]:
    return columns.labels if isinstance(columns, Listing) else {}
