"""The team's week as the daily report sees it on Friday 2026-11-27, made through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from bizops.domain.policy import Policy
from bizops.services import contracts
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support.factories import (
    add_customer,
    approve,
    log_followup,
    new_contract,
    request_of,
    sign_contract,
    submit_contract,
)

D = date.fromisoformat


def make_report_scenario(db: Database, team: dict[str, User], policy: Policy) -> dict[str, Any]:
    """Today is Friday 2026-11-27.

    alice: 华为 (A) contacted 11-17 -> due 11-24 (overdue 3); Old Co (C) contacted 10-01 ->
    due Mon 11-02 (overdue 25); Acme (B) new 11-24 -> first contact due today.
    bob: Globex (C) new 11-20 -> due today; Newco (B) new 11-26 -> due Mon 11-30.
    Contracts of alice: HT big (300,000: manager, finance, legal) submitted 11-20, mia approved
    11-23, finance step due 11-25 (overdue 2); small (50,000: manager) submitted today; a signed
    one ending 12-27 (30 days: reminder) with milestones 11-25, 12-03 and 12-10.
    """
    alice, bob, mia = team["alice"], team["bob"], team["mia"]

    def customer(actor: User, name: str, grade: str, on: str) -> dict[str, Any]:
        return dict(
            add_customer(
                db, actor=actor, name=name, grade=grade, owner=actor, policy=policy, today=D(on)
            )
        )

    def contract(customer: str, amount: str, start: str, end: str, on: str, title: str) -> str:
        return new_contract(
            db,
            actor=alice,
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

    def log(code: str, on: str) -> None:
        log_followup(db, actor=alice, customer=code, policy=policy, today=D(on))

    hw = customer(alice, "华为技术有限公司", "A", "2026-11-02")
    old = customer(alice, "Old Co", "C", "2026-10-01")
    acme = customer(alice, "Acme Trading", "B", "2026-11-24")
    glx = customer(bob, "Globex", "C", "2026-11-20")
    new = customer(bob, "Newco 新公司", "B", "2026-11-26")

    ending = contract(
        hw["code"], "120000", "2026-01-01", "2026-12-27", "2026-11-02", "框架协议 2026"
    )
    submit_contract(db, actor=alice, number=ending, policy=policy, today=D("2026-11-02"))
    for approver in (mia, team["leo"]):  # no template: non-standard -> manager, legal
        request = request_of(db, ending)
        assert request is not None
        approve(db, actor=approver, request=request, policy=policy, today=D("2026-11-02"))
    sign_contract(
        db,
        actor=alice,
        number=ending,
        on="2026-11-03",
        signatory="王明",
        policy=policy,
        today=D("2026-11-03"),
    )
    log(hw["code"], "2026-11-17")
    log(old["code"], "2026-10-01")

    big = contract(hw["code"], "300000", "2027-01-01", "2027-12-31", "2026-11-19", "年度采购合同")
    big_request = submit_contract(db, actor=alice, number=big, policy=policy, today=D("2026-11-20"))
    approve(db, actor=mia, request=big_request, policy=policy, today=D("2026-11-23"))

    small = contract(
        old["code"], "50000", "2027-01-01", "2027-06-30", "2026-11-27", "Service renewal"
    )
    submit_contract(db, actor=alice, number=small, policy=policy, today=D("2026-11-27"))

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
        "big_request": request_of(db, big),
        "small_request": request_of(db, small),
    }
