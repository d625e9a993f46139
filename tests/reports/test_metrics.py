"""The metrics of the standard against hand-computed examples."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bizops.domain.errors import Invalid
from bizops.reports.metrics import contracts_rows
from bizops.services import reports as svc
from bizops.store.models import (
    ApprovalRequest,
    Contract,
    Customer,
    FollowUp,
    Milestone,
    StageChange,
)
from tests.support.factories import add_customer, add_product, new_quote, quote_move

D = date.fromisoformat
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
NOV = {"start": D("2026-11-01"), "end": D("2026-11-30")}


def _customer(db, team, policy, name, owner, grade, created):
    return add_customer(
        db, name=name, owner=team[owner], policy=policy, today=D(created), grade=grade
    )


def _followup(s, customer, due, status, closed=None, on_time=None):
    s.add(
        FollowUp(
            customer_id=customer["id"],
            due=D(due),
            status=status,
            kind="cadence",
            created_on=D("2026-10-01"),
            closed_on=D(closed) if closed else None,
            on_time=on_time,
        )
    )


@pytest.fixture
def compliance_data(db, team, policy):
    # Created in December: their first-contact follow-ups fall due after the period.
    ca = _customer(db, team, policy, "甲公司", "alice", "A", "2026-12-20")
    cb = _customer(db, team, policy, "乙公司", "alice", "B", "2026-12-20")
    cc = _customer(db, team, policy, "丙公司", "bob", "C", "2026-12-20")
    cd = _customer(db, team, policy, "丁公司", "bob", "C", "2026-12-20")
    ce = _customer(db, team, policy, "戊公司", "bob", "B", "2026-12-20")
    with db.write() as s:
        _followup(s, ca, "2026-11-03", "done", "2026-11-03", True)
        _followup(s, ca, "2026-11-10", "done", "2026-11-12", False)
        _followup(s, ca, "2026-11-17", "done", "2026-11-15", None)  # on time by the dates
        _followup(s, cb, "2026-11-05", "done", "2026-11-05", True)
        _followup(s, cb, "2026-11-06", "cancelled", "2026-11-06")  # left out
        _followup(s, cb, "2026-10-30", "done", "2026-11-02", False)  # due before the period
        _followup(s, cc, "2026-11-25", "done", "2026-11-24", True)
        for customer, due in ((cd, "2026-11-20"), (ce, "2026-11-28")):
            s.execute(
                FollowUp.__table__.update()
                .where(FollowUp.customer_id == customer["id"], FollowUp.status == "open")
                .values(due=D(due))
            )


def test_compliance_by_owner(db, today, compliance_data):
    with db.read() as s:
        rows = svc.compliance_report(s, today=today, **NOV)
    assert rows == [
        {
            "by": "owner",
            "group": "alice",
            "due": 4,
            "on_time": 3,
            "late": 1,
            "missed": 0,
            "pending": 0,
            "rate": 75.0,
        },
        {
            "by": "owner",
            "group": "bob",
            "due": 2,
            "on_time": 1,
            "late": 0,
            "missed": 1,
            "pending": 1,
            "rate": 50.0,
        },
        {
            "by": "owner",
            "group": "all",
            "due": 6,
            "on_time": 4,
            "late": 1,
            "missed": 1,
            "pending": 1,
            "rate": 66.7,
        },
    ]


def test_compliance_by_grade(db, today, compliance_data):
    with db.read() as s:
        rows = svc.compliance_report(s, today=today, by="grade", **NOV)
    assert [
        (r["group"], r["due"], r["on_time"], r["missed"], r["pending"], r["rate"]) for r in rows
    ] == [
        ("A", 3, 2, 0, 0, 66.7),
        ("B", 1, 1, 0, 1, 100.0),
        ("C", 2, 1, 1, 0, 50.0),
        ("all", 6, 4, 1, 1, 66.7),
    ]


def test_compliance_empty_period_and_bad_input(db, today, team):
    with db.read() as s:
        assert svc.compliance_report(s, today=today, **NOV) == [
            {
                "by": "owner",
                "group": "all",
                "due": 0,
                "on_time": 0,
                "late": 0,
                "missed": 0,
                "pending": 0,
                "rate": None,
            }
        ]
        with pytest.raises(Invalid, match="--from 2026-11-30 is after --to 2026-11-01"):
            svc.compliance_report(s, today=today, start=D("2026-11-30"), end=D("2026-11-01"))
        with pytest.raises(Invalid, match="--by"):
            svc.compliance_report(s, today=today, by="region")


def _move(s, customer, to, on, frm):
    s.add(
        StageChange(
            customer_id=customer["id"], from_stage=frm, to_stage=to, on=D(on), at=NOW, actor="root"
        )
    )
    row = s.get(Customer, customer["id"])
    row.stage = to
    s.add(row)
    s.flush()


def test_funnel(db, team, policy, today):
    c1 = _customer(db, team, policy, "C1", "alice", "B", "2026-10-01")
    c2 = _customer(db, team, policy, "C2", "alice", "B", "2026-11-02")
    c3 = _customer(db, team, policy, "C3", "bob", "C", "2026-11-10")
    c4 = _customer(db, team, policy, "C4", "bob", "A", "2026-10-01")
    with db.write() as s:
        _move(s, c1, "contacted", "2026-11-05", "prospect")
        _move(s, c1, "needs", "2026-11-15", "contacted")
        _move(s, c2, "contacted", "2026-11-12", "prospect")
        _move(s, c3, "lost", "2026-11-20", "prospect")
        _move(s, c4, "contacted", "2026-10-10", "prospect")
        _move(s, c4, "proposal", "2026-11-20", "contacted")
    with db.read() as s:
        rows = {r["stage"]: r for r in svc.funnel_report(s, today=today, **NOV)}
    assert list(rows) == [
        "prospect",
        "contacted",
        "needs",
        "proposal",
        "negotiation",
        "signed",
        "maintenance",
        "lost",
        "dormant",
    ]
    assert rows["prospect"] == {
        "stage": "prospect",
        "current": 0,
        "entered": 2,
        "moved_on": 1,
        "conversion": 50.0,
        "median_days": 10.0,
        "average_days": 18.3,
        "stays": 3,
        "quotes_sent": 0,
        "quotes_accepted": 0,
        "quotes_rejected": 0,
    }
    assert rows["contacted"] == {
        "stage": "contacted",
        "current": 1,
        "entered": 2,
        "moved_on": 1,
        "conversion": 50.0,
        "median_days": 25.5,
        "average_days": 25.5,
        "stays": 2,
        "quotes_sent": 0,
        "quotes_accepted": 0,
        "quotes_rejected": 0,
    }
    assert (
        rows["needs"]["current"],
        rows["needs"]["entered"],
        rows["needs"]["moved_on"],
        rows["needs"]["conversion"],
        rows["needs"]["median_days"],
    ) == (1, 1, 0, 0.0, None)
    assert (rows["proposal"]["entered"], rows["proposal"]["current"]) == (1, 1)
    assert rows["lost"] | {} == {
        "stage": "lost",
        "current": 1,
        "entered": 1,
        "moved_on": None,
        "conversion": None,
        "median_days": None,
        "average_days": None,
        "stays": 0,
        "quotes_sent": 0,
        "quotes_accepted": 0,
        "quotes_rejected": 0,
    }
    assert rows["maintenance"]["moved_on"] is None
    assert rows["negotiation"]["conversion"] is None  # nobody entered: undefined, not 0


def _contract(
    s, customer, owner, number, status, amount, currency, end, created, non_standard=False
):
    c = Contract(
        number=number,
        title=f"合同 {number}",
        customer_id=customer["id"],
        owner_id=owner.id,
        type="sales",
        amount=Decimal(amount),
        currency=currency,
        risk="low",
        status=status,
        start=D("2026-01-01"),
        end=D(end),
        non_standard=non_standard,
        created_on=D(created),
        created_at=NOW,
    )
    s.add(c)
    s.flush()
    return c


def _request(s, contract, status, submitted, closed):
    s.add(
        ApprovalRequest(
            contract_id=contract.id,
            rule_name="standard",
            rule_reason="any",
            chain=["manager"],
            amount=contract.amount,
            status=status,
            submitted_by="alice",
            submitted_on=D(submitted),
            submitted_at=NOW,
            closed_on=D(closed) if closed else None,
        )
    )


def test_contracts_report(db, team, policy, today):
    cust = _customer(db, team, policy, "华为技术有限公司", "alice", "A", "2026-01-01")
    alice = team["alice"]
    with db.write() as s:
        draft = _contract(
            s,
            cust,
            alice,
            "HT-1",
            "draft",
            "10000",
            "CNY",
            "2027-12-31",
            "2026-11-05",
            non_standard=True,
        )
        live = _contract(
            s,
            cust,
            alice,
            "HT-2",
            "active",
            "200000",
            "CNY",
            "2026-12-20",
            "2026-11-06",
            non_standard=True,
        )
        _contract(s, cust, alice, "HT-3", "active", "50000", "USD", "2027-01-20", "2026-11-07")
        _contract(s, cust, alice, "HT-4", "signed", "80000", "CNY", "2027-02-20", "2026-06-01")
        done = _contract(
            s, cust, alice, "HT-5", "completed", "30000", "CNY", "2026-10-01", "2026-03-01"
        )
        _contract(s, cust, alice, "HT-6", "active", "1000", "CNY", "2026-11-26", "2026-03-01")
        _request(s, live, "approved", "2026-11-02", "2026-11-06")
        _request(s, draft, "rejected", "2026-11-10", "2026-11-12")
        _request(s, done, "approved", "2026-11-01", "2026-11-10")
        _request(s, draft, "withdrawn", "2026-11-13", "2026-11-14")
        _request(s, done, "approved", "2026-09-01", "2026-10-05")
        for contract, due, amount, done_on in (
            (live, "2026-11-20", "5000", None),
            (live, "2026-11-10", "7000", "2026-11-10"),
            (live, "2026-12-20", "9000", None),
            (done, "2026-09-01", "1000", None),
        ):
            s.add(
                Milestone(
                    contract_id=contract.id,
                    kind="payment",
                    due=D(due),
                    amount=Decimal(amount),
                    done_on=D(done_on) if done_on else None,
                )
            )
    with db.read() as s:
        report = svc.contracts_report(s, today=today, **NOV)
    assert report["by_status"] == [
        {"status": "draft", "currency": "CNY", "count": 1, "value": "10000.00", "created": 1},
        {"status": "signed", "currency": "CNY", "count": 1, "value": "80000.00", "created": 0},
        {"status": "active", "currency": "CNY", "count": 2, "value": "201000.00", "created": 1},
        {"status": "active", "currency": "USD", "count": 1, "value": "50000.00", "created": 1},
        {"status": "completed", "currency": "CNY", "count": 1, "value": "30000.00", "created": 0},
    ]
    assert report["approval_cycle"] == {
        "closed": 3,
        "approved": 2,
        "rejected": 1,
        "average_days": 5.0,
        "median_days": 4.0,
    }
    assert report["non_standard"] == {"created": 3, "non_standard": 2, "ratio": 66.7}
    assert report["expiring"] == [
        {"within_days": 30, "count": 1, "value": {"CNY": "200000.00"}, "counts": {"CNY": 1}},
        {
            "within_days": 60,
            "count": 2,
            "value": {"CNY": "200000.00", "USD": "50000.00"},
            "counts": {"CNY": 1, "USD": 1},
        },
        {
            "within_days": 90,
            "count": 3,
            "value": {"CNY": "280000.00", "USD": "50000.00"},
            "counts": {"CNY": 2, "USD": 1},
        },
    ]
    assert report["overdue_milestones"] == {
        "count": 1,
        "value": {"CNY": "5000.00"},
        "counts": {"CNY": 1},
    }
    # The flattened rows (table, CSV) count per currency: the column sums to the total.
    expiring = [
        (r["key"], r["currency"], r["count"], r["value"])
        for r in contracts_rows(report)
        if r["section"] == "expiring"
    ]
    assert expiring == [
        ("within_30d", "CNY", 1, "200000.00"),
        ("within_60d", "CNY", 1, "200000.00"),
        ("within_60d", "USD", 1, "50000.00"),
        ("within_90d", "CNY", 2, "280000.00"),
        ("within_90d", "USD", 1, "50000.00"),
    ]
    assert (report["from"], report["to"], report["today"]) == (
        "2026-11-01",
        "2026-11-30",
        "2026-11-27",
    )


def test_default_period_is_the_last_30_days(today):
    assert svc.period(None, None, today=today) == (D("2026-10-29"), today)
    assert svc.period(None, D("2026-11-10"), today=today) == (D("2026-10-12"), D("2026-11-10"))
    with pytest.raises(Invalid):
        svc.period(D("2026-11-28"), None, today=today)


def _sent_quote(db, team, policy, customer, sent: str) -> str:
    q = new_quote(
        db,
        actor=team["alice"],
        customer=customer,
        policy=policy,
        today=D(sent),
        lines=({"product": "P-1", "qty": "1"},),
    )
    for move in ("submit", "send"):
        quote_move(db, move, actor=team["alice"], number=q["number"], policy=policy, today=D(sent))
    return q["number"]


def test_funnel_counts_quotes_under_the_stage_they_were_sent_from(db, team, policy, today):
    add_product(db, actor=team["mia"], code="P-1", policy=policy, today=D("2026-10-01"))
    c = _customer(db, team, policy, "Q1", "alice", "B", "2026-10-01")
    with db.write() as s:
        _move(s, c, "contacted", "2026-10-10", "prospect")
    early = _sent_quote(db, team, policy, c, "2026-10-20")  # sent from contacted, in October
    with db.write() as s:
        _move(s, c, "proposal", "2026-11-04", "contacted")
    won = _sent_quote(db, team, policy, c, "2026-11-05")
    lost = _sent_quote(db, team, policy, c, "2026-11-10")
    _sent_quote(db, team, policy, c, "2026-11-12")  # still open
    quote_move(
        db, "accept", actor=team["alice"], number=early, policy=policy, today=D("2026-11-02")
    )
    quote_move(db, "accept", actor=team["alice"], number=won, policy=policy, today=D("2026-11-20"))
    quote_move(
        db,
        "reject",
        actor=team["alice"],
        number=lost,
        reason="price",
        policy=policy,
        today=D("2026-11-12"),
    )
    with db.read() as s:
        rows = {r["stage"]: r for r in svc.funnel_report(s, today=today, **NOV)}
    counts = {
        stage: (r["quotes_sent"], r["quotes_accepted"], r["quotes_rejected"])
        for stage, r in rows.items()
        if r["quotes_sent"] or r["quotes_accepted"] or r["quotes_rejected"]
    }
    assert counts == {"contacted": (0, 1, 0), "proposal": (3, 1, 1)}
    with db.read() as s:
        october = svc.funnel_report(s, today=today, start=D("2026-10-01"), end=D("2026-10-31"))
    assert [(r["stage"], r["quotes_sent"]) for r in october if r["quotes_sent"]] == [
        ("contacted", 1)
    ]
