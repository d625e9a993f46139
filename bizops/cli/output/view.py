"""Which columns a listing shows: ``--columns``, ``--wide``, the personal config's
``[columns]`` or the listing's own; the same names as the JSON keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bizops.cli.output.columns import Col, Listing, declared_columns
from bizops.cli.output.labels import FIELD_LABELS
from bizops.domain.errors import Invalid
from bizops.i18n import _


@dataclass(frozen=True)
class View:
    """The columns to draw; ``keys``: the fields JSON and CSV carry when ``--columns`` chose
    them (None: every field); ``chosen``: the person named the columns (nothing is dropped or
    hidden); ``wide``: every column at full width, the terminal wraps."""

    columns: tuple[Col, ...]
    keys: list[str] | None = None
    chosen: bool = False
    wide: bool = False


def choose_view(
    listing: Listing | Sequence[Col], *, names: str | None, wide: bool, preferred: Any = None
) -> View:
    """The view of ``listing``: ``names`` (``--columns a,b``) first, then ``wide`` (every
    column), then ``preferred`` (the personal config's list for this listing), else its own.
    An unknown name is an error that lists the valid ones."""
    columns, keys = declared_columns(listing)
    if names is not None:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        if not wanted:
            raise Invalid(_("--columns: give at least one column name"))
        return View(_columns(columns, keys, wanted, "--columns"), wanted, chosen=True)
    if wide:
        return View(tuple(columns), wide=True)
    if preferred is not None:
        if not isinstance(preferred, list) or not all(isinstance(p, str) for p in preferred):
            raise Invalid(
                _("[columns] {name}: give a list of column names").format(name=_name(listing))
            )
        return View(_columns(columns, keys, preferred, f"[columns] {_name(listing)}"))
    return View(tuple(columns))


def _name(listing: Listing | Sequence[Col]) -> str:
    return listing.name if isinstance(listing, Listing) else ""


def _columns(
    columns: Sequence[Col], keys: list[str] | None, wanted: list[str], where: str
) -> tuple[Col, ...]:
    by_key = {c.key: c for c in columns}
    valid = list(keys) if keys is not None else list(by_key)
    valid += [k for k in by_key if k not in valid]
    unknown = [n for n in wanted if n not in valid]
    if unknown:
        raise Invalid(
            _("{where}: unknown column {names}; valid: {valid}").format(
                where=where, names=", ".join(unknown), valid=", ".join(valid)
            )
        )
    return tuple(by_key.get(n) or Col(n, n, meaning=FIELD_LABELS.get(n)) for n in wanted)
