"""Money in and out: invoices, receipts across payment milestones, advances, voids, purchase
payments and write-offs through approval, finance-only acts, receivables and aging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.services import contracts, money
from bizops.store.models import AuditEvent, Contract, Milestone, Receipt, User
from tests.support.factories import add_customer, new_contract, signed_contract
from tests.support.queries import count_rows

DAY = date(2026, 11, 27)


@pytest.fixture
def approvers(team):
    return {"manager": team["mia"], "finance": team["fay"], "legal": team["leo"], "gm": team["gus"]}


def _signed(db, team, approvers, policy, **terms: Any) -> str:
    customer = add_customer(db, name="华东仪器", owner=team["alice"], policy=policy, today=DAY)
    return signed_contract(
        db,
        actor=team["alice"],
        customer=customer,
        approvers=approvers,
        policy=policy,
        today=DAY,
        **terms,
    )


@pytest.fixture
def sale(db, team, approvers, policy) -> dict[str, Any]:
    """A signed sales contract of 120,000 with three payment milestones."""
    number = _signed(db, team, approvers, policy)
    ids = []
    with db.write() as s:
        for due, amount in (
            ("2026-10-01", "40000"),
            ("2026-12-15", "50000"),
            ("2027-03-01", "30000"),
        ):
            row = contracts.add_milestone(
                s,
                actor=team["alice"],
                ref=number,
                kind="payment",
                due=due,
                amount=amount,
                today=DAY,
            )
            ids.append(row["id"])
    return {"number": number, "milestones": ids}


def receipt(db, team, number: str, amount: str, **kw: Any) -> dict[str, Any]:
    with db.write() as s:
        return dict(
            money.add_receipt(s, actor=team["fay"], ref=number, amount=amount, today=DAY, **kw)
        )


def done_on(db, milestone_id: int) -> date | None:
    with db.read() as s:
        return s.get(Milestone, milestone_id).done_on


def test_partial_receipts_settle_milestones_oldest_first(db, team, sale):
    m1, m2, m3 = sale["milestones"]
    first = receipt(db, team, sale["number"], "50000", on="2026-11-20", bank_ref="B1")
    assert first["milestones"] == [m1, m2] and first["milestones_done"] == [m1]
    assert first["applied"] == Decimal("50000.00") and first["advance"] == Decimal("0.00")
    assert first["outstanding"] == Decimal("70000.00")
    assert done_on(db, m1) == date(2026, 11, 20) and done_on(db, m2) is None
    second = receipt(db, team, sale["number"], "45000", bank_ref="B2")
    assert second["milestones_done"] == [m2] and second["milestones"] == [m2, m3]
    assert done_on(db, m3) is None and second["outstanding"] == Decimal("25000.00")


def test_a_named_milestone_takes_the_receipt(db, team, sale):
    m1, _m2, m3 = sale["milestones"]
    row = receipt(db, team, sale["number"], "30000", milestone=m3)
    assert row["milestones_done"] == [m3] and done_on(db, m1) is None


def test_beyond_the_open_amount_needs_advance(db, team, sale):
    receipt(db, team, sale["number"], "100000")
    with pytest.raises(Invalid, match="--advance"):
        receipt(db, team, sale["number"], "30000")
    row = receipt(db, team, sale["number"], "30000", advance=True)
    assert row["applied"] == Decimal("20000.00") and row["advance"] == Decimal("10000.00")
    assert row["outstanding"] == Decimal("0.00")
    with db.read() as s:
        found = contracts.find_contract(s, sale["number"])
        assert money.totals(s, found).advance == Decimal("10000.00")


def test_only_finance_records_receipts_and_issues_invoices(db, team, sale):
    with pytest.raises(NotPermitted, match="only finance"), db.write() as s:
        money.add_receipt(s, actor=team["alice"], ref=sale["number"], amount="100", today=DAY)
    with db.write() as s:
        inv = money.request_invoice(
            s, actor=team["alice"], ref=sale["number"], amount="1000", type="special", today=DAY
        )
    with pytest.raises(NotPermitted), db.write() as s:
        money.issue_invoice(
            s, actor=team["alice"], ref=inv["id"], number="0001", tax_rate="13%", today=DAY
        )
    with pytest.raises(NotPermitted), db.write() as s:
        money.request_invoice(
            s, actor=team["bob"], ref=sale["number"], amount="1000", type="normal", today=DAY
        )


@pytest.mark.parametrize(
    ("kw", "error", "words"),
    [
        ({"amount": "0"}, Invalid, "greater than zero"),
        ({"amount": "-5"}, Invalid, "greater than zero"),
        ({"amount": "100", "currency": "USD"}, Invalid, "--rate"),
        ({"amount": "100", "method": "acceptance_bill"}, Invalid, "maturity"),
        ({"amount": "100", "on": "2026-12-30"}, Invalid, "future"),
    ],
)
def test_bad_receipts_change_nothing(db, team, sale, kw, error, words):
    before = count_rows(db, AuditEvent)
    with pytest.raises(error, match=words), db.write() as s:
        money.add_receipt(s, actor=team["fay"], ref=sale["number"], today=DAY, **kw)
    assert count_rows(db, Receipt) == 0 and count_rows(db, AuditEvent) == before


def test_receipts_on_a_draft_and_a_reused_bank_reference_are_refused(db, team, sale, policy):
    draft = new_contract(db, actor=team["alice"], customer="C0001", policy=policy, today=DAY)
    with pytest.raises(Conflict, match="draft"), db.write() as s:
        money.add_receipt(s, actor=team["fay"], ref=draft["number"], amount="10", today=DAY)
    receipt(db, team, sale["number"], "100", bank_ref="REF-1")
    with pytest.raises(Conflict, match="REF-1"):
        receipt(db, team, sale["number"], "100", bank_ref="REF-1")


def test_another_currency_with_its_rate_is_recorded(db, team, sale):
    row = receipt(db, team, sale["number"], "1000", currency="USD", rate="7.1234")
    assert row["amount"] == Decimal("7123.40") and row["paid_amount"] == Decimal("1000.00")
    assert row["paid_currency"] == "USD" and row["rate"] == "7.1234"


def test_acceptance_bill_keeps_its_maturity(db, team, sale):
    row = receipt(db, team, sale["number"], "5000", method="acceptance_bill", maturity="2027-05-31")
    assert row["maturity"] == date(2027, 5, 31) and row["method"] == "acceptance_bill"


def test_payment_milestones_are_not_done_by_hand(db, team, sale):
    with pytest.raises(Conflict, match="recorded in full"), db.write() as s:
        contracts.complete_milestone(s, actor=team["fay"], ref=sale["milestones"][0], today=DAY)
    receipt(db, team, sale["number"], "40000")
    with pytest.raises(Conflict, match="already done"), db.write() as s:
        contracts.complete_milestone(s, actor=team["fay"], ref=sale["milestones"][0], today=DAY)


def test_invoices_issue_with_exact_tax_and_voids_drop_out(db, team, sale):
    with db.write() as s:
        one = money.request_invoice(
            s, actor=team["alice"], ref=sale["number"], amount="100000", type="special", today=DAY
        )
    with pytest.raises(Invalid, match="more than the contract amount"), db.write() as s:
        money.request_invoice(
            s, actor=team["alice"], ref=sale["number"], amount="20000.01", type="normal", today=DAY
        )
    with db.write() as s:
        issued = money.issue_invoice(
            s, actor=team["fay"], ref=one["id"], number="No.00012345", tax_rate="13%", today=DAY
        )
    # 100000 - 100000 / 1.13 = 11504.424... -> 11504.42
    assert issued["tax_amount"] == Decimal("11504.42") and issued["tax_rate"] == "13%"
    with db.write() as s:
        two = money.request_invoice(
            s, actor=team["alice"], ref=sale["number"], amount="10000", type="normal", today=DAY
        )
    with pytest.raises(Conflict, match="already used"), db.write() as s:
        money.issue_invoice(
            s, actor=team["fay"], ref=two["id"], number="No.00012345", tax_rate="6", today=DAY
        )
    with db.write() as s:
        money.void_invoice(s, actor=team["fay"], ref="No.00012345", reason="开错抬头", today=DAY)
    with pytest.raises(Conflict, match="already void"), db.write() as s:
        money.void_invoice(s, actor=team["fay"], ref="No.00012345", reason="again", today=DAY)
    with db.read() as s:
        totals = money.totals(s, contracts.find_contract(s, sale["number"]))
    assert totals.invoiced == Decimal("0.00") and totals.requested == Decimal("10000.00")
    listed = {row["id"]: row["status"] for row in _invoices(db)}
    assert listed == {one["id"]: "void", two["id"]: "requested"}


def _invoices(db) -> list[dict[str, Any]]:
    with db.read() as s:
        return [dict(r) for r in money.list_invoices(s)]


def _decide(db, login: str, request: int, policy) -> None:
    with db.write() as s:
        actor = s.execute(select(User).where(User.login == login)).scalar_one()
        contracts.approve_request(s, actor=actor, ref=request, today=DAY, policy=policy)


def test_completing_with_money_outstanding_needs_a_write_off(db, team, sale, policy):
    number = sale["number"]
    with db.write() as s:
        contracts.activate_contract(s, actor=team["alice"], ref=number, policy=policy, today=DAY)
    receipt(db, team, number, "110000")
    with pytest.raises(Conflict, match="outstanding"), db.write() as s:
        contracts.complete_contract(s, actor=team["alice"], ref=number, today=DAY)
    with pytest.raises(Invalid, match="more than"), db.write() as s:
        money.request_writeoff(
            s,
            actor=team["alice"],
            ref=number,
            amount="10000.01",
            reason="x",
            policy=policy,
            today=DAY,
        )
    with db.write() as s:
        wo = money.request_writeoff(
            s,
            actor=team["alice"],
            ref=number,
            amount="10000",
            reason="客户破产",
            policy=policy,
            today=DAY,
        )
    assert wo["status"] == "pending_approval" and wo["request"]
    _decide(db, "fay", wo["request"], policy)
    with pytest.raises(Conflict), db.write() as s:
        contracts.complete_contract(s, actor=team["alice"], ref=number, today=DAY)
    _decide(db, "gus", wo["request"], policy)
    assert done_on(db, sale["milestones"][2]) == DAY
    with db.write() as s:
        contracts.complete_contract(s, actor=team["alice"], ref=number, today=DAY)


def test_a_payment_milestone_planned_after_the_money_takes_it(db, team, approvers, policy):
    """Money received beyond the planned milestones settles the ones planned later, so that
    no milestone is left open with nothing left to receive."""
    from bizops.services import audit_replay, dbops

    number = _signed(db, team, approvers, policy)  # 120,000, no milestones yet
    with db.write() as s:
        first = contracts.add_milestone(
            s, actor=team["alice"], ref=number, kind="payment", due="2026-10-01",
            amount="40000", today=DAY,
        )  # fmt: skip
    receipt(db, team, number, "100000", bank_ref="B-1")  # 40,000 settles it, 60,000 left over
    with db.write() as s:
        later = contracts.add_milestone(
            s, actor=team["alice"], ref=number, kind="payment", due="2026-12-01",
            amount="50000", today=DAY,
        )  # fmt: skip
        last = contracts.add_milestone(
            s, actor=team["alice"], ref=number, kind="payment", due="2027-01-01",
            amount="30000", today=DAY,
        )  # fmt: skip
    assert later["done_on"] == DAY and done_on(db, first["id"]) == DAY
    assert last["done_on"] is None  # 10,000 of it settled, 20,000 still to receive
    receipt(db, team, number, "20000", bank_ref="B-2")
    assert done_on(db, last["id"]) == DAY
    with db.write() as s:
        contracts.activate_contract(s, actor=team["alice"], ref=number, policy=policy, today=DAY)
        contracts.complete_contract(s, actor=team["alice"], ref=number, today=DAY)
    assert dbops.check(db).ok
    with db.read() as s:
        assert [d.message for d in audit_replay.differences(s)] == []


def test_a_write_off_overtaken_by_a_receipt_is_not_approved(db, team, sale, policy):
    number = sale["number"]
    receipt(db, team, number, "110000")
    with db.write() as s:
        wo = money.request_writeoff(
            s, actor=team["alice"], ref=number, amount="10000", reason="x", policy=policy, today=DAY
        )
    receipt(db, team, number, "10000")  # the customer paid after all
    _decide(db, "fay", wo["request"], policy)
    with pytest.raises(Conflict, match="still outstanding"):
        _decide(db, "gus", wo["request"], policy)
    with db.read() as s:
        report = money.money_report(s, as_of=DAY)
    (row,) = report["rows"]
    assert row["received"] == Decimal("120000.00") and row["outstanding"] == Decimal("0.00")


def test_deep_verify_replays_receipts_invoices_and_write_offs(db, team, sale, policy):
    from bizops.services import audit_replay

    number = sale["number"]
    receipt(db, team, number, "50000", bank_ref="CMB-1")
    with db.write() as s:
        one = money.request_invoice(
            s, actor=team["alice"], ref=number, amount="50000", type="special", today=DAY
        )
        money.issue_invoice(
            s, actor=team["fay"], ref=one["id"], number="No.1", tax_rate="13%", today=DAY
        )
    with db.write() as s:
        wo = money.request_writeoff(
            s, actor=team["alice"], ref=number, amount="70000", reason="x", policy=policy, today=DAY
        )
    _decide(db, "fay", wo["request"], policy)
    _decide(db, "gus", wo["request"], policy)
    # Every milestone is now done, by the receipt or by the write-off's last approver.
    assert all(done_on(db, m) == DAY for m in sale["milestones"])
    with db.read() as s:
        assert [d.message for d in audit_replay.differences(s)] == []
    with db.write() as s:
        found = s.get(Receipt, 1)
        found.amount = found.applied = Decimal("500000.00")
        s.add(found)
    with db.read() as s:
        changed = {(d.table, d.field) for d in audit_replay.differences(s)}
    assert changed == {("receipts", "amount"), ("receipts", "applied")}


def test_purchase_payments_are_paid_only_once_approved(db, team, approvers, policy):
    number = _signed(db, team, approvers, policy, type="purchase", amount="80000")
    with db.write() as s:
        m = contracts.add_milestone(
            s,
            actor=team["alice"],
            ref=number,
            kind="payment",
            due="2026-12-10",
            amount="50000",
            today=DAY,
        )
    with db.write() as s:
        pay = money.request_payment(
            s,
            actor=team["alice"],
            ref=number,
            amount="50000",
            due="2026-12-10",
            milestone=m["id"],
            policy=policy,
            today=DAY,
        )
    assert pay["status"] == "pending_approval"
    with pytest.raises(Invalid, match="more than the contract amount"), db.write() as s:
        money.request_payment(
            s,
            actor=team["alice"],
            ref=number,
            amount="30000.01",
            due="+1w",
            policy=policy,
            today=DAY,
        )
    with pytest.raises(Conflict, match="only an approved"), db.write() as s:
        money.pay_payment(s, actor=team["fay"], ref=pay["id"], today=DAY)
    _decide(db, "mia", pay["request"], policy)
    _decide(db, "fay", pay["request"], policy)
    with pytest.raises(NotPermitted), db.write() as s:
        money.pay_payment(s, actor=team["alice"], ref=pay["id"], today=DAY)
    with db.write() as s:
        paid = money.pay_payment(s, actor=team["fay"], ref=pay["id"], bank_ref="OUT-1", today=DAY)
    assert paid["status"] == "paid" and done_on(db, m["id"]) == DAY
    from bizops.services import dbops

    # The payment's allocation settles the milestone without a receipt: the check reads it,
    # and the log's replay knows the milestone was done by the payment.
    assert dbops.check(db).ok
    from bizops.services import audit_replay

    with db.read() as s:
        assert [d.message for d in audit_replay.differences(s)] == []
    with db.read() as s:
        report = money.money_report(s, incoming=False, as_of=DAY)
    assert report["rows"][0]["received"] == Decimal("50000.00")
    assert report["rows"][0]["outstanding"] == Decimal("30000.00")


def test_receivables_age_on_fixed_dates(db, team, sale):
    receipt(db, team, sale["number"], "10000", on="2026-11-01")
    with db.read() as s:
        report = money.money_report(s, as_of=date(2026, 12, 31))
    (row,) = report["rows"]
    # 30000 of the first milestone is 91 days late; the second (50000) 16 days.
    assert row["aging_over_90"] == Decimal("30000.00") and row["aging_0_30"] == Decimal("50000.00")
    assert row["overdue"] == Decimal("80000.00") and row["outstanding"] == Decimal("110000.00")
    # The report lists the contracts in force on its day: as if signed in September.
    with db.write() as s:
        s.execute(
            update(Contract)
            .where(Contract.number == sale["number"])
            .values(signed_on=date(2026, 9, 1))
        )
    with db.read() as s:
        earlier = money.money_report(s, as_of=date(2026, 10, 31))
    (row,) = earlier["rows"]
    # Before the receipt: the first milestone 30 days late, nothing received yet.
    assert row["received"] == Decimal("0.00") and row["aging_0_30"] == Decimal("40000.00")
    assert row["overdue"] == Decimal("40000.00")
    department = [t for t in report["totals"] if t["owner"] is None]
    assert department[0]["outstanding"] == Decimal("110000.00")


def test_dso_divides_what_is_billed_and_unpaid_by_what_was_invoiced_in_the_window(db, team, sale):
    """DSO = invoiced and not received / invoiced in the last 90 days x 90: an invoice issued
    before the window counts as billed, not in the window."""
    # The report lists the contracts in force on its day: as if signed in May.
    with db.write() as s:
        s.execute(
            update(Contract)
            .where(Contract.number == sale["number"])
            .values(signed_on=date(2026, 5, 1))
        )
    for amount, number, on in (("40000", "0001", "2026-06-01"), ("50000", "0002", "2026-11-01")):
        with db.write() as s:
            inv = money.request_invoice(
                s, actor=team["alice"], ref=sale["number"], amount=amount, type="normal", today=DAY
            )
            money.issue_invoice(
                s, actor=team["fay"], ref=inv["id"], number=number, on=on, tax_rate="13%", today=DAY
            )
    receipt(db, team, sale["number"], "30000", on="2026-11-10")
    with db.read() as s:
        report = money.money_report(s, as_of=DAY)
        before = money.money_report(s, as_of=date(2026, 7, 1))
    (row,) = report["rows"]
    assert row["invoiced"] == Decimal("90000.00") and row["received"] == Decimal("30000.00")
    # (90000 - 30000) / 50000 (only the second invoice is within 90 days) x 90
    assert {t["dso"] for t in report["totals"]} == {Decimal("108.0")}
    # On 2026-07-01 only the first invoice was issued, within the window, nothing received.
    assert before["rows"][0]["invoiced"] == Decimal("40000.00")
    assert {t["dso"] for t in before["totals"]} == {Decimal("90.0")}


def test_db_check_finds_money_that_does_not_add_up(db, team, sale):
    from bizops.services import dbops

    row = receipt(db, team, sale["number"], "50000")
    assert dbops.check(db).ok
    with db.write() as s:
        found = s.get(Receipt, row["id"])
        found.applied = Decimal("60000.00")
        s.add(found)
        done = s.get(Milestone, sale["milestones"][0])
        done.done_on = None
        s.add(done)
    problems = dbops.check(db).problems
    assert any(f"receipt {row['id']}" in p for p in problems)
    assert any(f"milestone #{sale['milestones'][0]}" in p for p in problems)


def _statement(tmp_path, *lines: str):
    path = tmp_path / "statement.csv"
    path.write_text(
        "交易日期,贷方金额,对方户名,摘要,交易流水号\n" + "\n".join(lines) + "\n", "utf-8"
    )
    return path


def _import(db, team, path, **kw):
    from bizops.services.money import import_receipts

    with db.write() as s:
        return [dict(x) for x in import_receipts(s, actor=team["fay"], path=path, today=DAY, **kw)]


def test_bank_import_matches_by_number_then_by_payer_and_is_idempotent(db, team, sale, tmp_path):
    path = _statement(
        tmp_path,
        f"2026-11-20,10000,某某公司,货款 {sale['number']},CMB001",
        "2026-11-21,30000,华东仪器,二期款,CMB002",
        "2026-11-22,777,不认识的公司,货款,CMB003",
        "2026-11-22,-50,华东仪器,手续费,CMB004",
    )
    dry = _import(db, team, path, dry_run=True)
    assert [x["status"] for x in dry] == ["matched", "matched", "unmatched", "not_credit"]
    assert count_rows(db, Receipt) == 0
    done = _import(db, team, path)
    assert [x["status"] for x in done] == ["recorded", "recorded", "unmatched", "not_credit"]
    assert done[1]["contract"] == sale["number"] and count_rows(db, Receipt) == 2
    again = _import(db, team, path)
    assert [x["status"] for x in again][:2] == ["duplicate", "duplicate"]
    assert count_rows(db, Receipt) == 2


def test_a_bank_dry_run_predicts_the_import_line_by_line(db, team, sale, tmp_path):
    path = _statement(
        tmp_path,
        f"2026-11-20,100000,x,{sale['number']},R1",
        f"2026-11-20,100000,x,{sale['number']},R1",  # the same reference again in the file
        f"2026-11-21,30000,x,{sale['number']},R2",  # beyond what R1 leaves open
        f"2026-11-21,100,x,{sale['number']},",  # no reference: could be recorded twice
        f"2026-12-25,100,x,{sale['number']},R3",  # in the future
    )
    dry = _import(db, team, path, dry_run=True)
    done = _import(db, team, path)
    expected = ["matched", "duplicate", "invalid", "invalid", "invalid"]
    assert [x["status"] for x in dry] == expected
    assert [x["status"] for x in done] == ["recorded", *expected[1:]]
    assert "--advance" in (done[2]["message"] or "") and "reference" in (done[3]["message"] or "")
    again = _import(db, team, path)
    assert [x["status"] for x in again][:2] == ["duplicate", "duplicate"]
    assert count_rows(db, Receipt) == 1


@pytest.mark.parametrize(
    "specs, words",
    [
        (["流水=bank_ref", "流水=memo"], "mapped twice"),
        (["收入=nonsense"], "unknown field"),
        (["收入"], "is not SOURCE=FIELD"),
    ],
)
def test_a_bank_map_that_cannot_be_meant_is_refused(specs, words):
    with pytest.raises(Invalid, match=words):
        money.parse_bank_map(specs)


def test_a_utf16_bank_file_is_read_with_its_encoding(db, team, sale, tmp_path):
    """Some banks' exports are UTF-16: the refusal names --encoding, which then reads it."""
    utf8 = _statement(tmp_path, f"2026-11-20,10000,某某公司,货款 {sale['number']},CMB001")
    path = tmp_path / "statement-utf16.csv"
    path.write_bytes(utf8.read_text("utf-8").encode("utf-16"))
    with pytest.raises(Invalid, match="--encoding utf-16"):
        _import(db, team, path)
    assert [x["status"] for x in _import(db, team, path, encoding="utf-16")] == ["recorded"]
    assert count_rows(db, Receipt) == 1


def test_a_bank_file_needs_its_reference_column(db, team, sale, tmp_path):
    path = tmp_path / "no-ref.csv"
    path.write_text("交易日期,贷方金额,摘要\n2026-11-20,100,x\n", "utf-8")
    with pytest.raises(Invalid, match="bank_ref"):
        _import(db, team, path)
    assert count_rows(db, Receipt) == 0


def test_a_bank_line_matching_two_contracts_records_nothing(
    db, team, sale, approvers, policy, tmp_path
):
    # A second contract of the same customer with the same 120,000 open.
    signed_contract(
        db, actor=team["alice"], customer="C0001", approvers=approvers, policy=policy, today=DAY
    )
    path = _statement(
        tmp_path,
        f"2026-11-20,10000,x,{sale['number']},R1",
        "2026-11-21,120000,华东仪器,合同款,R2",
    )
    dry = _import(db, team, path, dry_run=True)
    assert dry[1]["status"] == "ambiguous" and len(dry[1]["candidates"]) == 2
    with pytest.raises(Conflict, match="more than one contract"):
        _import(db, team, path)
    assert count_rows(db, Receipt) == 0
    with pytest.raises(NotPermitted), db.write() as s:
        from bizops.services.money import import_receipts

        import_receipts(s, actor=team["alice"], path=path, today=DAY)


def test_report_contracts_shows_collection_per_currency(db, team, sale):
    from bizops.services import reports

    receipt(db, team, sale["number"], "30000")
    with db.write() as s:
        inv = money.request_invoice(
            s, actor=team["alice"], ref=sale["number"], amount="60000", type="normal", today=DAY
        )
        money.issue_invoice(
            s, actor=team["fay"], ref=inv["id"], number="N1", tax_rate="13", today=DAY
        )
    with db.read() as s:
        report = reports.contracts_report(s, today=DAY)
    assert report["collection"] == [
        {
            "currency": "CNY",
            "contracts": 1,
            "amount": "120000.00",
            "invoiced": "60000.00",
            "received": "30000.00",
            "rate": "25.0",
        }
    ]
