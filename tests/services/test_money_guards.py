"""Money that follows visibility and amounts that cannot be bent: money listings and reports
scoped as `contract list` is, receivables as of a day, amendments below the money recorded,
payments re-checked when paid, and receipts in unknown or vanishing currencies (both backends)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.services import contracts, money, reports
from bizops.services.visibility import bind_scope, scope_for
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support.factories import add_customer, signed_contract

DAY = date(2026, 11, 27)


@pytest.fixture
def approvers(team: dict[str, User]) -> dict[str, User]:
    return {"manager": team["mia"], "finance": team["fay"], "legal": team["leo"], "gm": team["gus"]}


def _signed(db: Database, team, approvers, policy: Policy, owner: str, **terms: Any) -> str:
    customer = add_customer(
        db,
        name=f"{owner} 的客户 {terms.get('type', 'sales')}",
        owner=team[owner],
        policy=policy,
        today=DAY,
    )
    return signed_contract(
        db,
        actor=team[owner],
        customer=customer,
        approvers=approvers,
        policy=policy,
        today=DAY,
        **terms,
    )


def _decide(db: Database, login: str, request: int, policy: Policy, today: date = DAY) -> None:
    with db.write() as s:
        actor = s.execute(select(User).where(User.login == login)).scalar_one()
        contracts.approve_request(s, actor=actor, ref=request, today=today, policy=policy)


class _Reader:
    """A read session bound to ``login``'s scope, as the CLI opens one."""

    def __init__(self, db: Database, login: str, policy: Policy) -> None:
        self.cm = db.read()
        self.policy = policy
        self.login = login

    def __enter__(self):  # type: ignore[no-untyped-def]
        s = self.cm.__enter__()
        user = s.execute(select(User).where(User.login == self.login)).scalar_one()
        bind_scope(s, scope_for(s, user, self.policy))
        return s

    def __exit__(self, *exc: Any) -> None:
        self.cm.__exit__(*exc)


@pytest.fixture
def books(db: Database, team, approvers, policy: Policy) -> dict[str, str]:
    """alice's and bob's sales contracts, each invoiced and with a receipt, and bob's purchase
    contract with a payment request."""
    out = {}
    for owner in ("alice", "bob"):
        number = _signed(db, team, approvers, policy, owner)
        with db.write() as s:
            money.request_invoice(
                s, actor=team[owner], ref=number, amount="1000", type="normal", today=DAY
            )
            money.add_receipt(s, actor=team["fay"], ref=number, amount="500", today=DAY)
        out[owner] = number
    purchase = _signed(db, team, approvers, policy, "bob", type="purchase", amount="80000")
    with db.write() as s:
        money.request_payment(
            s,
            actor=team["bob"],
            ref=purchase,
            amount="1000",
            due="2026-12-10",
            policy=policy,
            today=DAY,
        )
    out["purchase"] = purchase
    return out


def _seen(db: Database, login: str, policy: Policy) -> dict[str, Any]:
    with _Reader(db, login, policy) as s:
        receivables = money.money_report(s, as_of=DAY)
        return {
            "contracts": {r["number"] for r in contracts.list_contracts(s, today=DAY)},
            "invoices": {r["contract"] for r in money.list_invoices(s)},
            "receipts": {r["contract"] for r in money.list_receipts(s, today=DAY)},
            "payments": {r["contract"] for r in money.list_payments(s)},
            "receivables": {r["contract"] for r in receivables["rows"]},
            "payables": {
                r["contract"] for r in money.money_report(s, incoming=False, as_of=DAY)["rows"]
            },
            "owners": {t["owner"] for t in receivables["totals"]},
            "collection": [
                c["contracts"] for c in reports.contracts_report(s, today=DAY)["collection"]
            ],
        }


def test_money_lists_and_reports_follow_visibility(db, team, books, policy):
    a, b, p = books["alice"], books["bob"], books["purchase"]
    alice = _seen(db, "alice", policy)
    assert alice["invoices"] == alice["receipts"] == alice["receivables"] == {a}
    assert alice["payments"] == alice["payables"] == set()
    assert alice["owners"] == {"alice", None} and alice["collection"] == [1]
    bob = _seen(db, "bob", policy)
    assert bob["invoices"] == bob["receipts"] == bob["receivables"] == {b}
    assert bob["payments"] == bob["payables"] == {p}
    # finance, gm and admin see everything, as the policy says.
    for login in ("fay", "gus", "root"):
        seen = _seen(db, login, policy)
        assert seen["invoices"] == seen["receivables"] == {a, b}, login
        assert seen["payments"] == {p} and seen["collection"] == [2], login


def test_another_reps_money_by_owner_is_empty_as_contract_list_is(db, team, books, policy):
    with _Reader(db, "alice", policy) as s:
        assert list(contracts.list_contracts(s, owner="bob", today=DAY)) == []
        assert money.list_invoices(s, owner="bob") == []
        report = money.money_report(s, owner="bob", as_of=DAY)
        assert report["rows"] == [] and report["totals"] == []
        assert (
            money.money_report(s, owner="alice", as_of=DAY)["rows"][0]["contract"] == books["alice"]
        )


def test_a_manager_sees_the_money_of_their_team_only(db, team, books, policy):
    with db.write() as s:
        s.execute(update(User).where(User.login.in_(["alice", "mia"])).values(team="east"))
        s.execute(update(User).where(User.login == "bob").values(team="north"))
    mia = _seen(db, "mia", policy)
    assert mia["contracts"] == {books["alice"]}
    assert mia["invoices"] == mia["receipts"] == mia["receivables"] == {books["alice"]}
    assert mia["payments"] == set()


def test_receivables_as_of_a_day_list_the_contracts_in_force_on_it(db, team, approvers, policy):
    """Signed on DAY, terminated on 1 December: in force from DAY to 30 November."""
    number = _signed(db, team, approvers, policy, "alice")
    with db.write() as s:
        contracts.terminate_contract(
            s,
            actor=team["alice"],
            ref=number,
            reason="客户撤销",
            on="2026-12-01",
            today=date(2026, 12, 5),
        )

    def listed(day: str) -> list[str]:
        with db.read() as s:
            report = money.money_report(s, as_of=date.fromisoformat(day))
            return [r["contract"] for r in report["rows"]]

    assert listed("2026-11-26") == []
    assert listed("2026-11-27") == listed("2026-11-30") == [number]
    assert listed("2026-12-01") == listed("2026-12-05") == []


def _approve(db: Database, request: int, approvers, policy: Policy) -> None:
    from bizops.store.models import ApprovalRequest

    with db.read() as s:
        chain = s.get(ApprovalRequest, request).chain
    for role in chain:
        _decide(db, approvers[role].login, request, policy)


def _amend(db: Database, actor: User, number: str, amount: str, policy: Policy) -> dict[str, Any]:
    with db.write() as s:
        return dict(
            contracts.amend_contract(
                s,
                actor=actor,
                ref=number,
                changes={"amount": amount},
                reason="压价",
                policy=policy,
                today=DAY,
            )
        )


def _request_payment(db: Database, team, number: str, amount: str, policy: Policy) -> dict:
    with db.write() as s:
        return dict(
            money.request_payment(
                s,
                actor=team["alice"],
                ref=number,
                amount=amount,
                due="2026-12-10",
                policy=policy,
                today=DAY,
            )
        )


def _pay(db: Database, team, payment: int, **kw: Any) -> dict[str, Any]:
    with db.write() as s:
        return dict(money.pay_payment(s, actor=team["fay"], ref=payment, today=DAY, **kw))


def test_an_amendment_may_not_lower_a_purchase_below_paid_and_approved(db, team, approvers, policy):
    from bizops.domain.errors import Conflict

    number = _signed(db, team, approvers, policy, "alice", type="purchase", amount="80000")
    first = _request_payment(db, team, number, "30000", policy)
    _approve(db, first["request"], approvers, policy)
    _pay(db, team, first["id"])
    second = _request_payment(db, team, number, "20000", policy)
    _approve(db, second["request"], approvers, policy)
    # Paid 30,000 and approved 20,000: 49,999.99 is refused at submission.
    with pytest.raises(Conflict, match="paid 30,000.00 plus approved and not yet paid 20,000.00"):
        _amend(db, team["alice"], number, "49999.99", policy)
    # 55,000 is accepted; a third payment approved meanwhile brings the money to 60,000, so
    # the amendment's last approval refuses it and the amount stays.
    amendment = _amend(db, team["alice"], number, "55000", policy)
    third = _request_payment(db, team, number, "10000", policy)
    _approve(db, third["request"], approvers, policy)
    *firsts, last = amendment["chain"]
    for role in firsts:
        _decide(db, approvers[role].login, amendment["request"], policy)
    with pytest.raises(Conflict, match="approved and not yet paid 30,000.00"):
        _decide(db, approvers[last].login, amendment["request"], policy)
    with db.read() as s:
        assert str(contracts.find_contract(s, number).amount) == "80000.00"


def test_an_amendment_may_not_lower_a_sale_below_received_or_invoiced(db, team, approvers, policy):
    from bizops.domain.errors import Conflict

    number = _signed(db, team, approvers, policy, "alice")
    with db.write() as s:
        money.add_receipt(s, actor=team["fay"], ref=number, amount="50000", today=DAY)
        money.request_invoice(
            s, actor=team["alice"], ref=number, amount="60000", type="normal", today=DAY
        )
    with pytest.raises(Conflict, match="received 50,000.00") as refused:
        _amend(db, team["alice"], number, "59999", policy)
    assert "invoiced (issued or requested) 60,000.00" in refused.value.message
    assert _amend(db, team["alice"], number, "60000", policy)["changes"]["amount"]["to"] == (
        "60000.00"
    )


def test_a_payment_is_checked_against_the_amount_when_paid_and_db_check_sees_overpaid(
    db, team, approvers, policy
):
    """An amount lowered outside the amendment's guard (data from before it): paying is
    refused, and a payment already beyond it is reported."""
    from bizops.domain.errors import Conflict
    from bizops.services import dbops
    from bizops.store.models import Contract

    number = _signed(db, team, approvers, policy, "alice", type="purchase", amount="80000")
    first = _request_payment(db, team, number, "30000", policy)
    _approve(db, first["request"], approvers, policy)
    _pay(db, team, first["id"])
    second = _request_payment(db, team, number, "40000", policy)
    _approve(db, second["request"], approvers, policy)

    def amount(value: str) -> None:
        with db.write() as s:
            s.execute(update(Contract).where(Contract.number == number).values(amount=value))

    amount("50000")
    with pytest.raises(Conflict, match="to 70,000.00 CNY, more than the contract amount 50,000"):
        _pay(db, team, second["id"])
    assert dbops.check(db).ok
    amount("20000")
    assert any(
        f"contract {number}: paid 30,000.00, more than 20,000.00" in p
        for p in dbops.check(db).problems
    )


def test_a_payment_is_not_paid_before_its_approval(db, team, approvers, policy):
    number = _signed(db, team, approvers, policy, "alice", type="purchase", amount="80000")
    payment = _request_payment(db, team, number, "30000", policy)
    _approve(db, payment["request"], approvers, policy)
    with pytest.raises(Invalid, match="before the approval on 2026-11-27"):
        _pay(db, team, payment["id"], on="2026-11-26")
    assert _pay(db, team, payment["id"], on="2026-11-27")["status"] == "paid"


def test_a_receipt_in_an_unknown_currency_or_worth_nothing_is_refused(db, team, approvers, policy):
    number = _signed(db, team, approvers, policy, "alice")

    def add(amount: str, currency: str, rate: str) -> Any:
        with db.write() as s:
            return money.add_receipt(
                s,
                actor=team["fay"],
                ref=number,
                amount=amount,
                currency=currency,
                rate=rate,
                today=DAY,
            )

    with pytest.raises(Invalid, match="XYZ.*is not an ISO 4217 currency code"):
        add("100", "XYZ", "7.1")
    with pytest.raises(Invalid, match=r"0\.01 JPY at the rate 0\.0478 is 0\.00 CNY"):
        add("0.01", "JPY", "0.0478")
    with db.read() as s:
        assert money.list_receipts(s, contract=number, today=DAY) == []
    assert add("0.11", "JPY", "0.0478")["amount"] == Decimal("0.01")
