"""Hostile arguments get one clear error with the documented exit code, never a traceback:
dates far out of range, invalid UTF-8, search texts too long for SQLite, JSON nested too deep.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

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


def _customers(cli: Cli) -> dict[str, dict[str, object]]:
    import json

    listed = cli("--as", "root", "customer", "list", "--all", "--format", "json")
    return {c["name"]: c for c in json.loads(listed.stdout)}


@pytest.mark.parametrize("ref", ["70", "C70", "c0070", "HT-70", "%", "_"])
def test_a_reference_like_an_id_or_code_never_matches_part_of_a_name(
    cli_admin: Cli, ref: str
) -> None:
    """`customer archive 70` archived "Shop 70 Trading": an id or code that matches no record
    is exit 3 for writes and reads, and nothing changes."""
    cli_admin("--as", "root", "customer", "add", "Shop 70 Trading", "--grade", "B")
    cli_admin("--as", "root", "customer", "add", "C70 Holdings", "--grade", "C")
    before = _customers(cli_admin)
    for command in (("customer", "archive"), ("customer", "show"), ("followups", "list")):
        result = cli_admin("--as", "root", *command, ref)
        one_error_line(result, 3)
    assert _customers(cli_admin) == before


def test_a_whole_name_that_looks_like_a_code_still_matches(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "customer", "add", "K2", "--grade", "B")
    result = cli_admin("--as", "root", "customer", "show", "K2")
    assert result.exit_code == 0, result.output


def test_the_refusal_says_how_to_search_in_chinese(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "customer", "add", "Shop 70 Trading", "--grade", "B")
    result = cli_admin("--lang", "zh", "--as", "root", "customer", "archive", "70")
    line = one_error_line(result, 3)
    assert "customer list --search 70" in line and "编号" in line, line


def test_invalid_utf8_in_an_argument_is_exit_2(cli_admin: Cli) -> None:
    bad = b"\xff\xfe".decode("utf-8", "surrogateescape")
    for args in (
        ("customer", "add", bad, "--grade", "A"),
        ("customer", "list", "--search", bad),
        ("followups", "log", "X", "--via", "phone", "--summary", bad),
    ):
        result = cli_admin("--as", "root", *args)
        line = one_error_line(result, 2)
        assert "not valid UTF-8" in line and "\\xff" in line, line
    assert _customers(cli_admin) == {}


def test_a_search_text_too_long_for_sqlite_is_exit_2(cli_admin: Cli) -> None:
    result = cli_admin("--as", "root", "customer", "list", "--search", "a" * 100_000)
    line = one_error_line(result, 2)
    assert "--search" in line and "200" in line


def test_json_nested_too_deeply_is_exit_2(cli_admin: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = cli_admin("--as", "root", "customer", "import", str(deep))
    line = one_error_line(result, 2)
    assert "nested too deeply" in line
