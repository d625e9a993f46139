"""The demo holds money: invoices in every state, receipts (partial, overdue, an advance) and
supplier payments in every state, so that the money commands show something."""

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
    with built_demo(tmp_path_factory.mktemp("money-demo"), DAY) as target:
        yield target


def _json(cli: Cli, demo: Path, *args: str) -> Any:
    result = cli("--db", str(demo), "--today", DAY, "--as", "chenjing", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_the_demo_has_receivables_invoices_and_payments(cli: Cli, demo: Path) -> None:
    report = _json(cli, demo, "report", "receivables")
    rows = {r["title"]: r for r in report["rows"]}
    late = rows["软件二次开发服务"]  # a payment milestone unpaid for 40 days
    assert late["overdue"] == "72000.00" and late["aging_31_60"] == "72000.00"
    partial = rows["复合材料原料供货"]  # 80,000 received of a 135,000 milestone
    assert partial["received"] == "80000.00" and partial["aging_0_30"] == "55000.00"
    advance = rows["设备运维技术服务"]
    assert advance["advance"] == "10000.00" and advance["outstanding"] == "0.00"
    assert rows["工业控制模块年度供货"]["invoiced"] == "258000.00"
    assert rows["干线运输服务"]["invoiced"] == "225000.00"  # the voided invoice drops out

    invoices = _json(cli, demo, "invoice", "list")
    assert sorted(i["status"] for i in invoices) == [
        "issued",
        "issued",
        "issued",
        "requested",
        "void",
    ]
    payments = _json(cli, demo, "contract", "payment", "list")
    assert [p["status"] for p in payments] == ["paid", "approved", "pending_approval"]

    daily = _json(cli, demo, "report", "daily")
    assert daily["counts"]["receipts_overdue"] == 2
    assert daily["counts"]["invoices_to_issue"] == 1
