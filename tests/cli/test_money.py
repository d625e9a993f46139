"""The money commands: wiring, finance-only acts (exit 4), JSON, and Chinese messages."""

from __future__ import annotations

import json
import os

import pytest

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from tests.support import TODAY
from tests.support.factories import add_customer

NEW = [
    "contract", "new", "--customer", "C0001", "--type", "sales", "--title", "设备供货",
    "--amount", "12万", "--risk", "low", "--start", "2026-12-01", "--end", "2027-11-30",
]  # fmt: skip


@pytest.fixture
def run(cli_admin):
    def call(user: str, *args: str):
        return cli_admin("--as", user, "--today", TODAY.isoformat(), *args)

    team = [("alice", "sales"), ("mia", "manager"), ("fay", "finance"), ("leo", "legal")]
    for login, role in team + [("gus", "gm")]:
        assert call("root", "user", "add", login, "--role", role).exit_code == 0
    db = Database(os.environ["BIZOPS_DB"])
    add_customer(
        db, name="上海华东机电有限公司", owner="alice", policy=default_policy(), today=TODAY
    )
    db.dispose()
    return call


@pytest.fixture
def signed(run) -> str:
    number = run("alice", *NEW).stdout.strip()
    assert run("alice", "contract", "submit", number).exit_code == 0
    request = json.loads(run("mia", "approval", "list", "--format", "json").stdout)[0]["id"]
    shown = json.loads(run("mia", "approval", "show", str(request), "--format", "json").stdout)
    by_role = {"manager": "mia", "legal": "leo", "finance": "fay", "gm": "gus"}
    for role in shown["chain"]:
        assert run(by_role[role], "approval", "approve", str(request)).exit_code == 0
    result = run("alice", "contract", "sign", number, "--on", "today", "--signatory", "张总")
    assert result.exit_code == 0, result.output
    result = run(
        "alice", "contract", "milestone", "add", number, "--kind", "payment",
        "--due", "2026-11-01", "--amount", "4万",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return number


def test_receipts_and_invoices_through_the_cli(run, signed):
    result = run("alice", "contract", "receipt", "add", signed, "--amount", "1万")
    assert result.exit_code == 4 and "only finance" in result.stderr
    result = run("fay", "contract", "receipt", "add", signed, "--amount", "5万", "--ref", "CMB-1")
    assert result.exit_code == 0, result.output
    assert "Milestone #1 is now done." in result.stderr
    again = run("fay", "contract", "receipt", "add", signed, "--amount", "1", "--ref", "CMB-1")
    assert again.exit_code == 5 and "CMB-1" in again.stderr
    result = run("fay", "contract", "milestone", "done", "1")
    assert result.exit_code == 5
    request = run("alice", "contract", "invoice", "request", signed, "--amount", "5万")
    assert request.exit_code == 0, request.output
    issued = run(
        "fay", "contract", "invoice", "issue", request.stdout.strip(), "--number", "0441",
        "--tax-rate", "13%",
    )  # fmt: skip
    assert issued.exit_code == 0 and "5,752.21" in issued.stdout
    rows = json.loads(run("fay", "invoice", "list", "--format", "json").stdout)
    assert rows[0]["tax_amount"] == "5752.21" and rows[0]["status"] == "issued"
    assert run("fay", "invoice", "void", "0441", "--reason", "抬头错").exit_code == 0
    twice = run("fay", "invoice", "void", "0441", "--reason", "again")
    assert twice.exit_code == 5 and "already void" in twice.stderr


def test_receivables_json_is_the_same_in_chinese(run, signed):
    assert run("fay", "contract", "receipt", "add", signed, "--amount", "1万").exit_code == 0
    english = run("fay", "report", "receivables", "--as-of", "2026-12-31", "--format", "json")
    chinese = run(
        "fay", "--lang", "zh", "report", "receivables", "--as-of", "2026-12-31", "--format", "json"
    )
    assert english.exit_code == 0 and english.stdout == chinese.stdout
    report = json.loads(english.stdout)
    assert report["rows"][0]["outstanding"] == "110000.00"
    assert report["rows"][0]["aging_31_60"] == "30000.00"
    table = run("fay", "--lang", "zh", "report", "receivables", "--as-of", "2026-12-31")
    assert "逾期" in table.stdout


def test_finance_only_in_chinese(run, signed):
    result = run("alice", "--lang", "zh", "contract", "receipt", "add", signed, "--amount", "1万")
    assert result.exit_code == 4 and "只有财务" in result.stderr
