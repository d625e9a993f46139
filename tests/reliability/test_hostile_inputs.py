"""Hostile arguments get one clear error with the documented exit code, never a traceback:
dates far out of range, invalid UTF-8, search texts too long for SQLite, JSON nested too deep.
"""

from __future__ import annotations

from datetime import date

import pytest

from bizops.domain.dates import parse_date, parse_duration_days
from bizops.domain.errors import Invalid
from tests.support.cli import Cli, one_error_line

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "+1000y", "-200y", "-9999w"]
)
def test_dates_outside_the_accepted_calendar_are_refused(text: str) -> None:
    with pytest.raises(Invalid, match="outside the calendar bizops accepts"):
        parse_date(text, TODAY, field="--due")


def test_a_duration_that_leaves_the_calendar_is_refused() -> None:
    with pytest.raises(Invalid, match="outside the calendar"):
        parse_duration_days("9999y", TODAY, field="--every")


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "+100000d"])
@pytest.mark.parametrize(
    "command",
    [
        ("followups", "due"),
        ("report", "daily"),
        ("report", "compliance"),
        ("contract", "list"),
        ("customer", "list"),
    ],
    ids=lambda c: " ".join(c),
)
def test_a_far_today_is_exit_2_not_an_overflow(
    cli_admin: Cli, today: str, command: tuple[str, ...]
) -> None:
    result = cli_admin("--as", "root", "--today", today, *command)
    line = one_error_line(result, 2)
    assert "--today" in line and "OverflowError" not in result.output


def test_a_far_date_in_an_option_is_exit_2(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "customer", "add", "Far Date Ltd", "--grade", "B")
    for due in ("9999-12-31", "0001-01-01", "+100000d", "9999-12-31 +1d"):
        result = cli_admin(
            "--as", "root", "followups", "plan", "Far Date Ltd", "--due", due, "--purpose", "x"
        )
        one_error_line(result, 2)
