"""A seeded database for the report tests, built through the real services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bizops.services import contracts, customers, followups
from bizops.store.models import ApprovalRequest

D = date.fromisoformat


def _customer(db, actor, policy, *, name, grade, owner, on):
    with db.write() as s:
        return customers.add_customer(
            s, actor=actor, name=name, grade=grade, owner=owner, policy=policy, today=D(on)
        )


def _log(db, actor, policy, code, on):
    with db.write() as s:
        followups.log_followup(
            s,
            actor=actor,
            customer=code,
            via="phone",
            summary="通话 / call",
            policy=policy,
            today=D(on),
        )


def _contract(db, actor, policy, *, customer, amount, start, end, on, title):
    with db.write() as s:
        return contracts.create_contract(
            s,
            actor=actor,
            customer=customer,
            type="sales",
            title=title,
            amount=amount,
            risk="low",
            start=start,
            end=end,
            template=None,
            policy=policy,
            today=D(on),
        )["number"]


def _request_id(db, number):
    from bizops.store.models import Contract

    with db.read() as s:
        cid = s.execute(select(Contract.id).where(Contract.number == number)).scalar_one()
        return (
            s.execute(
                select(ApprovalRequest.id)
                .where(ApprovalRequest.contract_id == cid)
                .order_by(ApprovalRequest.id.desc())
            )
            .scalars()
            .first()
        )


def seed_team_data(db, team, policy):
    """Today is Friday 2026-11-27.

    alice: 华为 (A) contacted 11-17 -> due 11-24 (overdue 3); Old Co (C) contacted 10-01 ->
    due Mon 11-02 (overdue 25); Acme (B) new 11-24 -> first contact due today.
    bob: Globex (C) new 11-20 -> due today; Newco (B) new 11-26 -> due Mon 11-30.
    Contracts of alice: HT big (300,000: manager, finance, legal) submitted 11-20, mia approved
    11-23, finance step due 11-25 (overdue 2); small (50,000: manager) submitted today; a signed
    one ending 12-27 (30 days: reminder) with milestones 11-25, 12-03 and 12-10.
    """
    alice, mia = team["alice"], team["mia"]
    hw = _customer(
        db, alice, policy, name="华为技术有限公司", grade="A", owner="alice", on="2026-11-02"
    )
    old = _customer(db, alice, policy, name="Old Co", grade="C", owner="alice", on="2026-10-01")
    acme = _customer(
        db, alice, policy, name="Acme Trading", grade="B", owner="alice", on="2026-11-24"
    )
    glx = _customer(db, team["bob"], policy, name="Globex", grade="C", owner="bob", on="2026-11-20")
    new = _customer(
        db, team["bob"], policy, name="Newco 新公司", grade="B", owner="bob", on="2026-11-26"
    )

    ending = _contract(
        db,
        alice,
        policy,
        customer=hw["code"],
        amount="120000",
        start="2026-01-01",
        end="2026-12-27",
        on="2026-11-02",
        title="框架协议 2026",
    )
    with db.write() as s:
        contracts.submit_contract(s, actor=alice, ref=ending, policy=policy, today=D("2026-11-02"))
    for approver in (mia, team["leo"]):  # no template: non-standard -> manager, legal
        with db.write() as s:
            contracts.approve_request(
                s, actor=approver, ref=_request_id(db, ending), policy=policy, today=D("2026-11-02")
            )
    with db.write() as s:
        contracts.sign_contract(
            s,
            actor=alice,
            ref=ending,
            on="2026-11-03",
            signatory="王明",
            policy=policy,
            today=D("2026-11-03"),
        )
    _log(db, alice, policy, hw["code"], "2026-11-17")
    _log(db, alice, policy, old["code"], "2026-10-01")

    big = _contract(
        db,
        alice,
        policy,
        customer=hw["code"],
        amount="300000",
        start="2027-01-01",
        end="2027-12-31",
        on="2026-11-19",
        title="年度采购合同",
    )
    with db.write() as s:
        contracts.submit_contract(s, actor=alice, ref=big, policy=policy, today=D("2026-11-20"))
    with db.write() as s:
        contracts.approve_request(
            s, actor=mia, ref=_request_id(db, big), policy=policy, today=D("2026-11-23")
        )

    small = _contract(
        db,
        alice,
        policy,
        customer=old["code"],
        amount="50000",
        start="2027-01-01",
        end="2027-06-30",
        on="2026-11-27",
        title="Service renewal",
    )
    with db.write() as s:
        contracts.submit_contract(s, actor=alice, ref=small, policy=policy, today=D("2026-11-27"))

    milestones = {}
    for kind, due, amount in (
        ("payment", "2026-11-25", "60000"),
        ("delivery", "2026-12-03", None),
        ("acceptance", "2026-12-10", None),
    ):
        with db.write() as s:
            milestones[kind] = contracts.add_milestone(
                s,
                actor=alice,
                ref=ending,
                kind=kind,
                due=due,
                amount=amount,
                today=D("2026-11-03"),
            )["id"]
    return {
        "hw": hw,
        "old": old,
        "acme": acme,
        "glx": glx,
        "new": new,
        "big": big,
        "small": small,
        "ending": ending,
        "milestones": milestones,
        "big_request": _request_id(db, big),
        "small_request": _request_id(db, small),
    }
