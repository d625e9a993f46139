"""Currency codes are ISO 4217, and an amount's currency sign must agree with --currency."""

from __future__ import annotations

import json

import pytest

from bizops.domain.currencies import check_currency_code, check_written_currency
from bizops.domain.errors import Invalid
from tests.support.cli import Cli, one_error_line


@pytest.mark.parametrize("code", ["XYZ", "RMB", "US", "USDD", "EURO", "¥"])
def test_unknown_currency_codes_are_refused(code: str) -> None:
    with pytest.raises(Invalid, match="ISO 4217"):
        check_currency_code(code)


def test_a_close_code_is_suggested() -> None:
    with pytest.raises(Invalid, match="did you mean USD"):
        check_currency_code("USDD")


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("$100", "CNY"), ("¥100", "USD"), ("€100", "CNY"), ("100元", "USD"), ("USD 100", "EUR")],
)
def test_a_sign_that_disagrees_with_the_currency_is_refused(amount: str, currency: str) -> None:
    with pytest.raises(Invalid, match="is written in"):
        check_written_currency(amount, currency)


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("$100", "USD"), ("¥100", "CNY"), ("¥100", "JPY"), ("€100", "EUR"), ("12万", "USD")],
)
def test_a_sign_that_agrees_is_accepted(amount: str, currency: str) -> None:
    check_written_currency(amount, currency)


def test_contract_new_and_update_refuse_a_wrong_sign_and_an_unknown_code(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "customer", "add", "Money Check Ltd", "--grade", "B")
    base = (
        "--as", "root", "contract", "new", "--customer", "Money Check Ltd", "--type", "sales",
        "--title", "t", "--risk", "low", "--start", "2026-12-01", "--end", "2027-12-01",
    )  # fmt: skip
    for args in (
        ("--amount", "$100", "--currency", "CNY"),
        ("--amount", "¥100", "--currency", "USD"),
        ("--amount", "€100"),
        ("--amount", "100", "--currency", "XYZ"),
    ):
        one_error_line(cli_admin(*base, *args), 2)
    assert (
        json.loads(cli_admin("--as", "root", "contract", "list", "--format", "json").stdout) == []
    )
    made = cli_admin(*base, "--amount", "$100", "--currency", "usd")
    assert made.exit_code == 0, made.output
    number = made.stdout.strip().splitlines()[0]
    changed = cli_admin("--as", "root", "contract", "update", number, "--amount", "¥200")
    assert "is written in" in one_error_line(changed, 2)
    zh = cli_admin("--lang", "zh", *base, "--amount", "100", "--currency", "XYZ")
    assert "ISO 4217" in one_error_line(zh, 2) and "货币" in zh.stderr
