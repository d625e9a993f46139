"""How values look: in JSON (the stable interface) and in a cell people read."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from bizops.domain.text import visible
from bizops.i18n import N_, _

# Weekday names as strftime's %a writes them in the C locale, for the catalog.
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return visible(str(value))


def with_weekday(day: date) -> str:
    """``2026-11-27 (Fri)``; in Chinese ``2026-11-27（周五）``."""
    return _("{date} ({weekday})").format(date=day.isoformat(), weekday=_(WEEKDAYS[day.weekday()]))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def use_colour() -> bool:
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


def console(stderr: bool = False, width: int | None = None) -> Any:
    """A Rich console on stdout (or stderr); ``width`` draws wider than the terminal."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color=not use_colour() if not stderr else None,
        highlight=False,
        soft_wrap=False,
        width=width,
    )


def say(message: str) -> None:
    """The result of a command, on stdout (stored text in it shown, never obeyed)."""
    sys.stdout.write(visible(message) + "\n")
    sys.stdout.flush()


def note(message: str) -> None:
    """Commentary for people, on stderr, so that stdout stays parseable."""
    sys.stderr.write(visible(message) + "\n")
    sys.stderr.flush()
