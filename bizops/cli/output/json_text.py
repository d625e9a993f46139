"""JSON text as `json.dumps(jsonable(obj), ensure_ascii=False, indent=2)` writes it, faster.

With ``indent`` the standard library falls back to its pure-Python encoder; a report of
thousands of rows then spends more time in it than in its queries. This writer produces the
same characters: strings go through the C string encoder, the indentation is built once per
depth, and Decimals and dates become text on the way (as ``jsonable`` does). Anything it
does not know (an Enum, a float that is not finite, a key that is not a string) hands the
whole object back to the standard library, so the text never differs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

from bizops.cli.output.values import jsonable


class _Unusual(Exception):
    """A value this writer leaves to the standard library."""


def json_text(obj: Any) -> str:
    """``obj`` as indented JSON text (no trailing newline), the same as the standard
    library's ``json.dumps(jsonable(obj), ensure_ascii=False, indent=2)``."""
    parts: list[str] = []
    try:
        _write(obj, parts, 0)
    except _Unusual:
        return json.dumps(jsonable(obj), ensure_ascii=False, indent=2)
    return "".join(parts)


_INDENTS: list[str] = []


def _indent(depth: int) -> str:
    while len(_INDENTS) <= depth:
        _INDENTS.append("\n" + "  " * len(_INDENTS))
    return _INDENTS[depth]


def _decimal(value: Decimal) -> str:
    # Digits, a sign and a point: nothing to escape.
    return f'"{value:.2f}"'


def _day(value: date) -> str:
    return f'"{value.isoformat()}"'


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise _Unusual
    return float.__repr__(value)


# By exact type: the text of a value that holds no other value. Subclasses (an Enum of
# strings, a subclass of Decimal) take the longer way in _scalar.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
    Decimal: _decimal,
    date: _day,
    datetime: _day,
    float: _float,
}


def _scalar(value: Any) -> str:
    write = _SCALARS.get(type(value))
    if write is not None:
        return write(value)
    # As jsonable orders them: Decimals, then dates; the rest to the standard library.
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, datetime | date) and not isinstance(value, Enum):
        return _day(value)
    raise _Unusual


def _write(value: Any, parts: list[str], depth: int) -> None:
    write = _SCALARS.get(type(value))
    if write is not None:
        parts.append(write(value))
    elif isinstance(value, dict):
        _write_dict(value, parts, depth)
    elif isinstance(value, list | tuple) and not isinstance(value, Enum):
        _write_list(value, parts, depth)
    else:
        parts.append(_scalar(value))


def _write_dict(value: dict[Any, Any], parts: list[str], depth: int) -> None:
    if not value:
        parts.append("{}")
        return
    inner = _indent(depth + 1)
    between = "," + inner
    parts.append("{" + inner)
    first = True
    for key, item in value.items():
        if type(key) is not str:
            raise _Unusual
        if not first:
            parts.append(between)
        first = False
        write = _SCALARS.get(type(item))
        if write is not None:
            parts.append(encode_basestring(key) + ": " + write(item))
        else:
            parts.append(encode_basestring(key) + ": ")
            _write(item, parts, depth + 1)
    parts.append(_indent(depth) + "}")


def _write_list(value: list[Any] | tuple[Any, ...], parts: list[str], depth: int) -> None:
    if not value:
        parts.append("[]")
        return
    inner = _indent(depth + 1)
    between = "," + inner
    parts.append("[" + inner)
    first = True
    for item in value:
        if not first:
            parts.append(between)
        first = False
        _write(item, parts, depth + 1)
    parts.append(_indent(depth) + "]")
