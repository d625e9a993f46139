"""The approval commands: wiring, formats and exit codes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bizops.services import approvals
from bizops.store.engine import Database, resolve_url
from bizops.store.models import AuditEvent, Contract, User
from tests.support import TODAY
from tests.support.factories import add_user, pending_contract_row

COMMANDS = ("matrix", "route", "pending", "approve", "reject", "withdraw", "show", "list")


@pytest.fixture
def cli_db(cli_admin: Any) -> Iterator[Database]:
    db = Database(resolve_url(os.environ["BIZOPS_DB"]))
    for login, roles in (
        ("alice", ["sales"]),
        ("mia", ["manager"]),
        ("fay", ["finance"]),
        ("leo", ["legal"]),
        ("gus", ["gm"]),
    ):
        add_user(db, login, *roles)
    yield db
    db.dispose()


def open_for(
    db: Database, policy: Any, *, amount: str, risk: str = "low", name: str = "华东机械"
) -> tuple[int, str]:
    with db.write() as s:
        alice = s.execute(select(User).where(User.login == "alice")).scalar_one()
    contract = pending_contract_row(
        db, owner=alice, policy=policy, today=TODAY, amount=amount, risk=risk, customer_name=name
    )
    with db.write() as s:
        alice = s.execute(select(User).where(User.login == "alice")).scalar_one()
        request = approvals.open_request(
            s, actor=alice, contract=s.get(Contract, contract.id), policy=policy, today=TODAY
        )
        assert request.id is not None
        return request.id, contract.number


def run(cli: Any, *args: str) -> Any:
    return cli("--today", TODAY.isoformat(), *args)


def contract_moves(db: Database, number: str) -> tuple[str, list[tuple[str, str]]]:
    """The contract's status and the moves recorded on it by the approval flow."""
    with db.read() as s:
        status = s.execute(select(Contract.status).where(Contract.number == number)).scalar_one()
        events = s.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.entity_type == "contract", AuditEvent.entity_id == number)
            .order_by(AuditEvent.id)
        ).all()
    return status, [(a, b) for a, b in events]


def test_every_command_has_an_example(cli):
    for name in COMMANDS:
        result = cli("approval", name, "--help")
        assert result.exit_code == 0
        assert "Example: bizops" in result.stdout, name


def test_matrix_formats(cli_admin):
    result = cli_admin("approval", "matrix", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["rule"] for r in rows] == ["high-risk", "major", "large", "non-standard", "standard"]
    assert rows[1]["chain"] == ["manager", "finance", "legal", "gm"]
    assert rows[1]["amount_min"] == "1000000.00" and rows[1]["conditions"] == "amount >= 1,000,000"
    assert rows[0]["risk"] == ["high"] and rows[3]["non_standard"] is True
    assert rows[4]["conditions"] == "any contract"
    csv_out = cli_admin("approval", "matrix", "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("position,rule,conditions,chain")
    assert "manager;finance;legal" in csv_out.stdout
    plain = cli_admin("approval", "matrix")
    assert "manager → finance → legal" in plain.stdout


@pytest.mark.parametrize(
    ("amount", "risk", "extra", "rule"),
    [
        ("199999.99", "low", [], "standard"),
        ("200000", "medium", [], "large"),
        ("999,999.99", "low", [], "large"),
        ("100万", "low", [], "major"),
        ("1", "high", [], "high-risk"),
        ("5000", "low", ["--non-standard"], "non-standard"),
    ],
)
def test_route_json(cli, cli_admin, amount, risk, extra, rule):
    result = cli(
        "approval",
        "route",
        "--type",
        "sales",
        "--amount",
        amount,
        "--risk",
        risk,
        *extra,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"rule", "reason", "chain", "amount_in_base", "base_currency"}
    assert data["base_currency"] == "CNY"
    assert data["rule"] == rule and data["reason"].startswith(f"rule {rule!r}: ")


def test_route_bad_input(cli, cli_admin):  # route reads the database: it must exist
    bad_type = cli("approval", "route", "--type", "loan", "--amount", "1", "--risk", "low")
    assert bad_type.exit_code == 2
    assert bad_type.stderr.strip() == (
        "Error: --type: unknown value 'loan'; accepted: sales, purchase, service, nda, framework"
    )
    bad_amount = cli("approval", "route", "--type", "nda", "--amount", "lots", "--risk", "low")
    assert bad_amount.exit_code == 2 and "--amount" in bad_amount.stderr
    bad_risk = cli("approval", "route", "--type", "nda", "--amount", "1", "--risk", "huge")
    assert bad_risk.exit_code == 2 and "accepted: low, medium, high" in bad_risk.stderr
    for amount in ("0", "-5"):
        r = cli("approval", "route", "--type", "nda", "--amount", amount, "--risk", "low")
        assert r.exit_code == 2 and "greater than zero" in r.stderr and not r.stdout


def test_route_follows_the_policy_in_force(cli_admin, tmp_path):
    cli = cli_admin
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "[[approval.rules]]\n"
        'name = "nda"\ntypes = ["nda"]\nchain = ["legal"]\n\n'
        "[[approval.rules]]\n"
        'name = "rest"\nchain = ["manager", "gm"]\n',
        encoding="utf-8",
    )
    assert cli("--as", "root", "config", "apply", str(policy)).exit_code == 0
    result = cli(
        "approval",
        "route",
        "--type",
        "sales",
        "--amount",
        "10",
        "--risk",
        "low",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rule"] == "rest" and data["chain"] == ["manager", "gm"]
    assert "nda needs type nda" in data["reason"]


def test_inbox_decisions_and_exit_codes(cli, cli_db, policy):
    rid, number = open_for(cli_db, policy, amount="300000")

    inbox = run(cli, "--as", "mia", "approval", "pending", "--format", "json")
    assert inbox.exit_code == 0, inbox.output
    rows = json.loads(inbox.stdout)
    assert [r["id"] for r in rows] == [rid]
    assert {"id", "contract", "step", "role", "amount", "submitted_by", "waiting_since"} <= set(
        rows[0]
    )
    assert rows[0]["amount"] == "300000.00" and rows[0]["waiting_since"] == "2026-11-27"
    assert (
        json.loads(run(cli, "--as", "fay", "approval", "pending", "--format", "json").stdout) == []
    )

    not_yet = run(cli, "--as", "fay", "approval", "approve", str(rid))
    assert not_yet.exit_code == 4
    assert "waits for role manager" in not_yet.stderr and not_yet.stderr.startswith("Error: ")
    assert run(cli, "--as", "fay", "approval", "approve", str(rid), "--step", "2").exit_code == 5
    assert run(cli, "--as", "alice", "approval", "approve", str(rid)).exit_code == 4
    assert run(cli, "--as", "mia", "approval", "approve", "999").exit_code == 3
    assert run(cli, "--as", "mia", "approval", "reject", str(rid)).exit_code == 2
    assert run(cli, "--as", "mia", "approval", "withdraw", str(rid)).exit_code == 4

    ok = run(cli, "--as", "mia", "approval", "approve", str(rid), "--comment", "价格合理")
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip() == (
        f"Request {rid} ({number}): approved step 1; now waiting for finance "
        "(step 2 of 3, due 2026-12-01)."
    )
    rejected = run(cli, "--as", "fay", "approval", "reject", number, "--reason", "付款条件太长")
    assert rejected.exit_code == 0, rejected.output
    assert rejected.stdout.strip() == f"Request {rid} ({number}): rejected."
    # The command decided and applied the outcome: the contract is a draft again.
    assert contract_moves(cli_db, number) == ("draft", [("contract.reject", "fay")])
    again = run(cli, "--as", "leo", "approval", "approve", str(rid))
    assert again.exit_code == 5 and "rejected, not pending" in again.stderr

    shown = json.loads(run(cli, "approval", "show", str(rid), "--format", "json").stdout)
    assert shown["rule"] == "large" and shown["chain"] == ["manager", "finance", "legal"]
    assert [(s["status"], s["decided_by"], s["comment"]) for s in shown["steps"]] == [
        ("approved", "mia", "价格合理"),
        ("rejected", "fay", "付款条件太长"),
        ("cancelled", None, None),
    ]
    text = run(cli, "approval", "show", str(rid))
    assert "价格合理" in text.stdout and "rule 'large'" in text.stdout

    listed = json.loads(
        run(cli, "--as", "alice", "approval", "list", "--mine", "--format", "json").stdout
    )
    assert [(r["id"], r["status"]) for r in listed] == [(rid, "rejected")]
    assert run(cli, "approval", "list", "--status", "nope").exit_code == 2
    assert run(cli, "approval", "show", "HT-2099-0001").exit_code == 3


def test_withdraw_by_submitter(cli, cli_db, policy):
    rid, number = open_for(cli_db, policy, amount="1000")
    result = run(
        cli, "--as", "alice", "approval", "withdraw", str(rid), "--reason", "wrong customer"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Request {rid} ({number}): withdrawn."
    assert contract_moves(cli_db, number) == ("draft", [("contract.withdraw", "alice")])


def test_pending_shows_overdue_to_every_holder(cli, cli_db, policy):
    rid, _ = open_for(cli_db, policy, amount="1000")
    late = date(2026, 12, 4).isoformat()
    rows = json.loads(
        cli("--today", late, "--as", "mia", "approval", "pending", "--format", "json").stdout
    )
    assert rows[0]["id"] == rid and rows[0]["overdue"] is True and rows[0]["days_overdue"] == 3
    assert rows[0]["due"] == "2026-12-01"
    table = cli("--today", late, "--as", "mia", "approval", "pending")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].startswith("ID\tContract\tTitle\tStep")
    assert table.stdout.splitlines()[1].startswith(f"{rid}\t")


def test_steps_section_prints_comments_as_typed():
    from rich.console import Console

    from bizops.cli.approvals import STEP_SECTIONS
    from bizops.cli.output import draw_sections

    con = Console(record=True, width=200)
    step = {"step": 1, "role": "manager", "status": "approved", "comment": "[/] ok"}
    draw_sections(con, {"chain": ["manager"], "steps": [step]}, STEP_SECTIONS)
    assert "[/] ok" in con.export_text()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "no exchange rate from USD to the base currency CNY"),
        ("zh", "没有 USD 折合本位币 CNY 的汇率"),
    ],
)
def test_route_in_a_currency_without_a_rate(cli, cli_admin, lang, expected):
    args = ("approval", "route", "--type", "sales", "--amount", "30000", "--risk", "low")
    result = cli("--lang", lang, *args, "--currency", "USD")
    assert result.exit_code == 2 and expected in result.stderr and not result.stdout
    assert "config apply" in result.stderr


def test_route_shows_the_base_amount_only_when_converted(cli_admin, tmp_path):
    cli = cli_admin
    policy = tmp_path / "policy.toml"
    policy.write_text('[currency]\nbase = "CNY"\nrates = {USD = 7.1}\n', encoding="utf-8")
    assert cli("--as", "root", "config", "apply", str(policy)).exit_code == 0
    args = ("approval", "route", "--type", "sales", "--risk", "low")
    for extra in ((), ("--currency", "CNY"), ("--currency", "cny")):
        result = cli(*args, "--amount", "25万", *extra)
        assert result.exit_code == 0, result.output
        assert "rule\tlarge" in result.stdout
        assert "amount_in_base" not in result.stdout and "base_currency" not in result.stdout
        data = json.loads(cli(*args, "--amount", "25万", *extra, "--format", "json").stdout)
        assert (data["amount_in_base"], data["base_currency"]) == ("250000.00", "CNY")
    result = cli(*args, "--amount", "40000", "--currency", "USD")
    assert result.exit_code == 0, result.output
    assert "amount_in_base\t284,000.00" in result.stdout and "base_currency\tCNY" in result.stdout
    result = cli("--lang", "zh", *args, "--amount", "40000", "--currency", "USD")
    assert "amount_in_base\t284,000.00" in result.stdout
