"""What one rendering of a template may use: output, string sizes, loop iterations, time.

The sandbox stops a template from reading what it should not; these limits stop one from
exhausting memory or time with what it may do (``'x' ~ x`` doubled in a loop, ``center`` with
a width of a billion, nested loops over ``range(100000)``). Sizes are checked BEFORE Python
builds the value where the size can be known in advance (a width, a repeat count, a join), and
after every call otherwise. A template that crosses a limit fails with ``LimitExceeded``,
which names the limit; the renderer turns it into a one-line error naming the template.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bizops.i18n import N_

MAX_OUTPUT = 5_000_000  # characters of rendered text (about 5 MB)
MAX_STRING = 1_000_000  # characters of any one string a template builds
MAX_ITEMS = 100_000  # items of any one list a template builds
MAX_ITERATIONS = 100_000  # loop iterations in one rendering, all loops together
MAX_SECONDS = 10.0  # wall time of one rendering
MAX_INT_BITS = 20_000  # about 6,000 decimal digits: more than any amount needs

# What each limit is called in messages (translated where shown).
OUTPUT = N_("rendered output of {limit} characters")
STRING = N_("text of {limit} characters built by one expression")
ITEMS = N_("list of {limit} items")
ITERATIONS = N_("{limit} loop iterations")
SECONDS = N_("{limit} seconds of rendering")
NUMBER = N_("number of {limit} bits")


class LimitExceeded(Exception):
    """A rendering crossed one of the limits above."""

    def __init__(self, what: str, limit: int | float) -> None:
        super().__init__(what.format(limit=f"{limit:,}"))
        self.what = what
        self.limit = limit


@dataclass
class Budget:
    """The limits of one rendering, and what it has used so far."""

    seconds: float = 0.0
    iterations: int = 0
    deadline: float = field(default=0.0)

    def start(self) -> None:
        self.iterations = 0
        self.seconds = MAX_SECONDS  # read at each start, so that a test may lower it
        self.deadline = time.monotonic() + self.seconds

    def tick(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            raise LimitExceeded(SECONDS, self.seconds)

    def loop(self, items: Iterable[Any]) -> Iterator[Any]:
        """``items``, counted against the iteration budget (each step also checks the time)."""
        for item in items:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise LimitExceeded(ITERATIONS, MAX_ITERATIONS)
            if not self.iterations % 256:
                self.tick()
            yield item


def check_size(value: Any) -> Any:
    """``value`` if it is within the size limits; strings, lists and integers are measured."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise LimitExceeded(STRING, MAX_STRING)
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise LimitExceeded(ITEMS, MAX_ITEMS)
    elif _is_int(value) and value.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(NUMBER, MAX_INT_BITS)
    return value


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` before Python computes it, when it would be too big."""
    if operator == "+":
        if _sized(left) + _sized(right) > MAX_STRING:
            raise LimitExceeded(STRING, MAX_STRING)
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if _sized(seq) and isinstance(times, int) and len(seq) * times > MAX_STRING:
                raise LimitExceeded(STRING, MAX_STRING)
        if (
            _is_int(left)
            and _is_int(right)
            and left.bit_length() + right.bit_length() > (MAX_INT_BITS)
        ):
            raise LimitExceeded(NUMBER, MAX_INT_BITS)
    elif operator == "**":
        if (
            _is_int(left)
            and _is_int(right)
            and right > 0
            and left.bit_length() * right > (MAX_INT_BITS)
        ):
            raise LimitExceeded(NUMBER, MAX_INT_BITS)
    elif operator == "%" and isinstance(left, str):
        check_percent_format(left)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# A %-conversion with its width and precision: "%10s", "%-*d", "%.1000000f".
_PERCENT = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_percent_format(text: str) -> None:
    for match in _PERCENT.finditer(text):
        for part in match.groups():
            if part == "*" or (part is not None and int(part) > MAX_STRING):
                raise LimitExceeded(STRING, MAX_STRING)


def check_brace_format(text: str) -> None:
    """``'{:>999999999}'.format(x)``: no width or precision beyond the string limit, and none
    taken from an argument (``{:{width}}``), which cannot be checked in advance."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return  # Python will refuse the format string itself
    for _literal, _name, spec, _conversion in parts:
        if not spec:
            continue
        if "{" in spec:
            raise LimitExceeded(STRING, MAX_STRING)
        if any(int(n) > MAX_STRING for n in re.findall(r"\d+", spec)):
            raise LimitExceeded(STRING, MAX_STRING)


def _width(args: tuple[Any, ...], kwargs: dict[str, Any], name: str, at: int = 0) -> int:
    value = kwargs.get(name, args[at] if len(args) > at else 0)
    return value if _is_int(value) else 0


def check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call of a str method whose result would be too big, before it runs."""
    if name in ("center", "ljust", "rjust", "zfill"):
        size = _width(args, kwargs, "width")
    elif name == "expandtabs":
        size = len(text) + text.count("\t") * max(_width(args, kwargs, "tabsize") or 8, 0)
    elif name == "replace":
        old, new = (list(args) + [None, None])[:2]
        if not isinstance(old, str) or not isinstance(new, str):
            return
        count = text.count(old) if old else len(text) + 1
        size = len(text) + count * max(len(new) - len(old), 0)
    elif name == "join":
        items = list(args[0]) if args and isinstance(args[0], list | tuple | str) else []
        size = sum(_sized(i) for i in items) + len(text) * max(len(items) - 1, 0)
    elif name in ("format", "format_map"):
        check_brace_format(text)
        return
    else:
        return
    if size > MAX_STRING:
        raise LimitExceeded(STRING, MAX_STRING)


def _check_filter_input(
    name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Refuse a filter call whose result would be too big; return the value to pass on (a
    join's items as a list, so that an iterator is not used up by the check)."""
    if name == "join":
        items = list(value) if isinstance(value, Iterable) else value
        if isinstance(items, list):
            check_size(items)
            separator = kwargs.get("d", args[0] if args else "")
            if kwargs.get("attribute", args[1] if len(args) > 1 else None) is None:
                check_str_method(str(separator), "join", ([str(i) for i in items],), {})
        return items
    if not isinstance(value, str):
        return value
    if name in ("center", "replace"):
        check_str_method(value, name, args, kwargs)
    elif name == "indent":
        width = kwargs.get("width", args[0] if args else 4)
        step = len(width) if isinstance(width, str) else width if _is_int(width) else 0
        if len(value) + (value.count("\n") + 1) * step > MAX_STRING:
            raise LimitExceeded(STRING, MAX_STRING)
    elif name == "format":
        check_percent_format(value)
    elif name == "wordwrap":
        wrap = kwargs.get("wrapstring", args[2] if len(args) > 2 else "\n")
        if isinstance(wrap, str) and len(value) * (len(wrap) + 1) > MAX_STRING:
            raise LimitExceeded(STRING, MAX_STRING)
    return value


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter with its result size checked, and the dangerous ones checked before they run."""
    # Jinja passes the environment or context first to filters marked for it.
    marked = hasattr(function, "jinja_pass_arg")

    def guarded(*given: Any, **kwargs: Any) -> Any:
        lead, rest = (given[:1], given[1:]) if marked else ((), given)
        value, args = rest[0], tuple(rest[1:])
        value = _check_filter_input(name, value, args, kwargs)
        return check_size(function(*lead, value, *args, **kwargs))

    guarded.__name__ = getattr(function, "__name__", name)
    if marked:
        guarded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded
