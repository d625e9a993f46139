"""On the demo, as a colleague trying to bend the money: another rep's money stays hidden,
and amounts that would not add up are refused with their figures, in English and Chinese."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli, built_demo

DAY = "2026-11-27"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with built_demo(tmp_path_factory.mktemp("money-guards"), DAY) as target:
        yield target


def _run(cli: Cli, demo: Path, user: str, *args: str) -> Any:
    return cli("--db", str(demo), "--today", DAY, "--as", user, *args)


def _contracts(cli: Cli, demo: Path, user: str, *args: str) -> set[str]:
    result = _run(cli, demo, user, *args, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = data["rows"] if isinstance(data, dict) else data
    return {r.get("contract") or r["number"] for r in rows}


@pytest.mark.slow
def test_a_rep_sees_only_the_money_of_the_contracts_they_see(cli: Cli, demo: Path) -> None:
    own = _contracts(cli, demo, "zhangwei", "contract", "list")
    for listing in (
        ("invoice", "list"),
        ("contract", "receipt", "list"),
        ("report", "receivables"),
    ):
        seen = _contracts(cli, demo, "zhangwei", *listing)
        assert seen and seen <= own, listing
        assert _contracts(cli, demo, "chenjing", *listing) - own, listing
    assert _contracts(cli, demo, "zhangwei", "report", "receivables", "--owner", "tom") == set()
    refused = _run(cli, demo, "zhangwei", "contract", "receipt", "list", "HT-2026-0003")
    assert refused.exit_code == 4 and "outside their visibility" in refused.stderr


@pytest.mark.slow
def test_an_amendment_below_the_money_received_is_refused(cli: Cli, demo: Path) -> None:
    args = ("contract", "amend", "HT-2026-0007", "--set", "amount=50000", "--reason", "压价")
    result = _run(cli, demo, "zhangwei", *args)
    assert result.exit_code == 5
    assert "below the money recorded on it: received 180,000.00" in result.stderr
    result = _run(cli, demo, "zhangwei", "--lang", "zh", *args)
    assert result.exit_code == 5 and "将低于合同上已记录的款项：已回款 180,000.00" in result.stderr


@pytest.mark.slow
def test_a_payment_dated_before_its_approval_is_refused(cli: Cli, demo: Path) -> None:
    args = ("contract", "payment", "pay", "2", "--date", "2026-11-01", "--ref", "PP2")
    result = _run(cli, demo, "chenjing", *args)
    assert result.exit_code == 2 and "is before the approval on" in result.stderr
    result = _run(cli, demo, "chenjing", "--lang", "zh", *args)
    assert result.exit_code == 2 and "付款须在审批通过后支付" in result.stderr


@pytest.mark.slow
def test_a_receipt_in_an_unknown_currency_or_worth_nothing_is_refused(cli: Cli, demo: Path) -> None:
    add = ("contract", "receipt", "add", "HT-2026-0004", "--amount")
    result = _run(cli, demo, "chenjing", *add, "100", "--currency", "XYZ", "--rate", "7.1")
    assert result.exit_code == 2 and "not an ISO 4217 currency code" in result.stderr
    zero = ("0.01", "--currency", "JPY", "--rate", "0.0478")
    result = _run(cli, demo, "chenjing", *add, *zero)
    assert result.exit_code == 2 and "is 0.00 CNY; a receipt is at least 0.01 CNY" in result.stderr
    result = _run(cli, demo, "chenjing", "--lang", "zh", *add, *zero)
    assert result.exit_code == 2 and "回款金额至少为 0.01 CNY" in result.stderr
