"""Reading one policy value at a time, collecting every problem instead of stopping at one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bizops.domain.errors import Invalid
from bizops.domain.money import parse_money
from bizops.i18n import N_, _


class Problems:
    """Every problem found in a policy, so that `config check` can list them all at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)


MISSING: Any = object()


def table(parent: dict[str, Any], key: str, where: str, problems: Problems) -> dict[str, Any]:
    """A TOML table (section); anything else is a problem and counts as empty."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(
            _("{where}: expected a table ([{where}]), not {value}").format(
                where=where, value=repr(value)
            )
        )
        return {}
    return value


def required(parent: dict[str, Any], key: str, where: str, problems: Problems) -> Any:
    """A key the merged policy must hold (the shipped policy.toml gives every default)."""
    if key not in parent:
        problems.add(_("{where}: missing").format(where=where))
        return MISSING
    return parent[key]


def rules(parent: dict[str, Any], key: str, where: str, problems: Problems) -> list[Any]:
    """An array of tables ([[{where}]]); anything else is a problem and counts as empty."""
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(
            _("{where}: expected a list of rules ([[{where}]]), not {value}").format(
                where=where, value=repr(value)
            )
        )
        return []
    return value


def whole(
    value: Any,
    where: str,
    problems: Problems,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    expected: str = N_("a whole number"),
) -> int | None:
    """A whole number within bounds; None (with a problem) otherwise. ``expected`` names the
    kind of number in words (marked with ``N_``: it is translated here)."""
    if value is MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(
            _("{where}: {value} is not {expected}").format(
                where=where, value=repr(value), expected=_(expected)
            )
        )
        return None
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("{where}: {value}; expected {expected} >= {minimum}")
        else:
            message = _("{where}: {value}; expected {expected} >= {minimum} and <= {maximum}")
        problems.add(
            message.format(
                where=where,
                value=repr(value),
                expected=_(expected),
                minimum=minimum,
                maximum=maximum,
            )
        )
        return None
    return value


def amount(value: Any, where: str, problems: Problems) -> Decimal | None:
    if value is None or value is MISSING:
        return None
    try:
        return parse_money(value if not isinstance(value, float) else repr(value), field=where)
    except Invalid as exc:
        problems.add(exc.message)
        return None


def string_list(
    value: Any, where: str, allowed: tuple[str, ...], problems: Problems
) -> tuple[str, ...]:
    if value is None or value is MISSING:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(_("{where}: expected a list").format(where=where))
        return ()
    out = []
    for item in value:
        text = str(item).strip()
        if text not in allowed:
            problems.add(
                _("{where}: unknown value {value}; accepted: {accepted}").format(
                    where=where, value=repr(item), accepted=", ".join(allowed)
                )
            )
        else:
            out.append(text)
    return tuple(out)


def unknown_keys(rule: dict[str, Any], known: set[str], where: str, problems: Problems) -> None:
    unknown = set(rule) - known
    if unknown:
        problems.add(
            _("{where}: unknown keys {keys}").format(where=where, keys=", ".join(sorted(unknown)))
        )


def pattern(value: Any, where: str, keys: dict[str, Any], problems: Problems) -> str:
    """A numbering pattern such as ``HT-{year}-{seq:04d}``, checked by filling it in."""
    if not isinstance(value, str) or "{seq" not in value:
        problems.add(
            _("{where}: {value} must be a text containing {seq}, e.g. {example}").format(
                where=where, value=repr(value), seq="{seq}", example="HT-{year}-{seq:04d}"
            )
        )
        return str(value)
    try:
        value.format(**keys)
    except (KeyError, ValueError, IndexError) as exc:
        problems.add(
            _("{where}: {value} cannot be filled ({error}); placeholders: {keys}").format(
                where=where, value=repr(value), error=exc, keys=", ".join(keys)
            )
        )
    return value
