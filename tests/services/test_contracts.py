"""Contracts through their lifecycle, via the services (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.services import contracts as svc
from bizops.store.engine import Database
from bizops.store.models import (
    Amendment,
    ApprovalRequest,
    AuditEvent,
    Contract,
    Customer,
    StageChange,
)
from tests.support.factories import (
    TERMS,
    add_customer,
    approve_all,
    new_contract,
    signed_contract,
)
from tests.support.queries import count_rows


def status_of(db, number) -> str:
    with db.read() as s:
        return s.execute(select(Contract.status).where(Contract.number == number)).scalar_one()


def audit_trail(db, entity_type, entity_id) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        ).all()
    return [(r.action, r.actor) for r in rows]


@pytest.fixture
def approvers(team):
    return {"manager": team["mia"], "legal": team["leo"], "finance": team["fay"], "gm": team["gus"]}


@pytest.fixture
def acme(db, team, policy, today):
    return add_customer(
        db, name="上海华东机电有限公司", owner=team["alice"], policy=policy, today=today
    )


# ---------------------------------------------------------------------------------------------
# Creating


def test_create_numbers_by_policy_and_defaults(db, team, policy, today, acme):
    first = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)
    second = new_contract(
        db, actor=team["alice"], customer=acme, policy=policy, today=today, amount="120,000.50"
    )
    assert first["number"] == "HT-2026-0001"
    assert second["number"] == "HT-2026-0002"
    assert first["status"] == "draft"
    assert first["amount"] == Decimal("120000.00")
    assert second["amount"] == Decimal("120000.50")
    assert first["currency"] == "CNY"
    assert first["owner"] == "alice"
    assert first["customer"] == "上海华东机电有限公司"
    assert first["notice_days"] == policy.notice_days
    assert audit_trail(db, "contract", "HT-2026-0001") == [("contract.create", "alice")]


def test_numbering_restarts_each_year(db, team, policy, acme):
    a = new_contract(
        db, actor=team["alice"], customer=acme, policy=policy, today=date(2026, 12, 31)
    )
    b = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=date(2027, 1, 1))
    assert (a["number"], b["number"]) == ("HT-2026-0001", "HT-2027-0001")


def test_numbers_unique_and_gapless_under_concurrent_creation(db, team, policy, today, acme):
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        mine = Database(db.url)
        try:
            for _ in range(5):
                with mine.write() as s:
                    row = svc.create_contract(
                        s,
                        actor=team["alice"],
                        customer=acme["code"],
                        type="service",
                        title="并发 concurrent",
                        amount="1000",
                        risk="low",
                        start="2026-12-01",
                        end="2027-12-01",
                        policy=policy,
                        today=today,
                    )
                with lock:
                    numbers.append(row["number"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            mine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"HT-2026-{i:04d}" for i in range(1, 21)]


@pytest.mark.parametrize(
    ("terms", "error", "words"),
    [
        ({"end": "2026-11-30"}, Invalid, "before --start"),
        ({"amount": "0"}, Invalid, "greater than zero"),
        ({"amount": "-5"}, Invalid, "greater than zero"),
        ({"amount": "lots"}, Invalid, "--amount"),
        ({"type": "loan"}, Invalid, "sales, purchase, service, nda, framework"),
        ({"risk": "extreme"}, Invalid, "low, medium, high"),
        ({"title": "  "}, Invalid, "--title"),
        ({"start": "31/12/2026"}, Invalid, "--start"),
        ({"currency": "yuan"}, Invalid, "--currency"),
        ({"notice_days": -1}, Invalid, "--notice-days"),
    ],
)
def test_create_refuses_bad_terms_and_changes_nothing(
    db, team, policy, today, acme, terms, error, words
):
    before = count_rows(db, AuditEvent)
    with pytest.raises(error, match=words):
        new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today, **terms)
    with db.read() as s:
        assert s.execute(select(Contract.id)).first() is None
    assert count_rows(db, AuditEvent) == before


def test_archived_customer_refused(db, team, policy, today, acme):
    with db.write() as s:
        row = s.get(Customer, acme["id"])
        row.archived_on = today
    with pytest.raises(Conflict, match="archived"):
        new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)


def test_who_may_create(db, team, policy, today, acme):
    with pytest.raises(NotPermitted, match="customers they own"):
        new_contract(db, actor=team["bob"], customer=acme, policy=policy, today=today)
    with pytest.raises(NotPermitted, match="someone else"):
        new_contract(
            db, actor=team["alice"], customer=acme, policy=policy, today=today, owner="bob"
        )
    with pytest.raises(NotPermitted):
        new_contract(db, actor=team["leo"], customer=acme, policy=policy, today=today)
    by_manager = new_contract(
        db, actor=team["mia"], customer=acme, policy=policy, today=today, owner="bob"
    )
    assert by_manager["owner"] == "bob"
    assert (
        new_contract(db, actor=team["root"], customer=acme, policy=policy, today=today)["owner"]
        == "root"
    )


# ---------------------------------------------------------------------------------------------
# The whole lifecycle


def test_every_state_with_audit_trail(db, team, policy, today, acme, approvers, tmp_path):
    from bizops.services import money
    from bizops.services.contracts import attachments

    alice, mia = team["alice"], team["mia"]
    number = new_contract(db, actor=alice, customer=acme, policy=policy, today=today)["number"]
    with db.write() as s:
        svc.add_note(s, actor=team["leo"], ref=number, text="付款条款需要法务复核")
        svc.update_contract(s, actor=alice, ref=number, amount="150000", policy=policy, today=today)
        svc.add_milestone(
            s, actor=alice, ref=number, kind="payment", due="2026-12-15", amount="5万", today=today
        )
    with db.write() as s:
        sent = svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    assert sent["status"] == "pending_approval" and sent["chain"]
    approve_all(db, number, approvers, policy, today)
    assert status_of(db, number) == "approved"
    with db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on="today", signatory="张总", policy=policy, today=today
        )
    with db.read() as s:
        assert s.get(Customer, acme["id"]).stage == "signed"
    later = date(2026, 12, 20)
    with db.write() as s:
        svc.activate_contract(s, actor=alice, ref=number, policy=policy, today=later)
    with db.read() as s:
        assert s.get(Customer, acme["id"]).stage == "maintenance"
    with pytest.raises(Conflict, match="milestone"), db.write() as s:
        svc.complete_contract(s, actor=alice, ref=number, today=later)
    # A payment milestone is done when finance records the money, not by hand.
    with db.write() as s:
        milestone = svc.list_milestones(s, contract=number, today=later)[0]
        with pytest.raises(Conflict, match="recorded in full"):
            svc.complete_milestone(s, actor=team["fay"], ref=milestone["id"], today=later)
    with db.write() as s:
        money.add_receipt(s, actor=team["fay"], ref=number, amount="150000", today=later)
    with db.write() as s:
        svc.complete_contract(s, actor=alice, ref=number, today=later)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(b"%PDF-1.4 signed copy")
    with db.write() as s:
        attachments.attach_file(s, actor=alice, ref=number, path=signed, kind="signed", today=later)
    with db.write() as s:
        svc.archive_contract(s, actor=mia, ref=number, today=later)
    assert status_of(db, number) == "archived"

    trail = audit_trail(db, "contract", number)
    assert trail == [
        ("contract.create", "alice"),
        ("contract.note", "leo"),
        ("contract.update", "alice"),
        ("contract.submit", "alice"),
        ("contract.approve", "leo"),
        ("contract.sign", "alice"),
        ("contract.activate", "alice"),
        ("contract.complete", "alice"),
        ("contract.archive", "mia"),
    ]
    with db.read() as s:
        shown = svc.show_contract(s, ref=number, today=later)
        from bizops.store.audit import verify_chain

        assert verify_chain(s)[1] == []
    assert shown["allowed_moves"] == []
    assert shown["signed_on"] == today and shown["signatory"] == "张总"
    assert [n["text"] for n in shown["notes"]] == ["付款条款需要法务复核"]
    assert shown["attachments"][0]["kind"] == "signed"
    assert shown["approval_requests"][0]["status"] == "approved"
    assert shown["milestones"][0]["done_on"] == later


def test_reject_and_withdraw_go_back_to_draft_and_reopen_voids(
    db, team, policy, today, acme, approvers
):
    alice = team["alice"]
    number = new_contract(db, actor=alice, customer=acme, policy=policy, today=today)["number"]
    with db.write() as s:
        request = svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    with db.write() as s:
        svc.reject_request(
            s,
            actor=team["mia"],
            ref=request["request"],
            reason="价格太低",
            today=today,
            policy=policy,
        )
    assert status_of(db, number) == "draft"
    with db.write() as s:
        request = svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    with db.write() as s:
        svc.withdraw_request(s, actor=alice, ref=request["request"], today=today, policy=policy)
    assert status_of(db, number) == "draft"
    with db.write() as s:
        svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    approve_all(db, number, approvers, policy, today)
    with pytest.raises(Invalid, match="--reason"), db.write() as s:
        svc.reopen_contract(s, actor=alice, ref=number, reason=" ", today=today)
    with db.write() as s:
        svc.reopen_contract(s, actor=alice, ref=number, reason="客户要求改交期", today=today)
    with db.read() as s:
        statuses = (
            s.execute(select(ApprovalRequest.status).order_by(ApprovalRequest.id)).scalars().all()
        )
        shown = svc.show_contract(s, ref=number, today=today)
    assert statuses == ["rejected", "withdrawn", "void"]
    assert shown["status"] == "draft" and shown["approved_on"] is None
    assert "客户要求改交期" in shown["notes"][-1]["text"]
    actions = [a for a, _ in audit_trail(db, "contract", number)]
    assert actions.count("contract.reject") == 1
    assert actions.count("contract.withdraw") == 1
    assert actions[-1] == "contract.reopen"


def test_apply_outcome_direct(db, team, policy, today, acme):
    """Applying an outcome alone, for a request inserted by hand."""
    from datetime import UTC, datetime

    from bizops.services.approvals import Outcome

    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    with db.write() as s:
        c = svc.find_contract(s, number)
        c.status = "pending_approval"
        request = ApprovalRequest(
            contract_id=c.id,
            rule_name="default",
            rule_reason="any contract",
            chain=["manager"],
            amount=c.amount,
            status="approved",
            submitted_by="alice",
            submitted_on=today,
            submitted_at=datetime.now(UTC),
        )
        s.add(request)
        s.flush()
        request_id, contract_id = request.id, c.id
        with pytest.raises(Invalid, match="outcome"):
            Outcome(request_id, contract_id, None, "maybe")
        svc.apply_outcome(s, outcome=Outcome.of(request), actor=team["mia"], today=today)
    with db.read() as s:
        c = svc.find_contract(s, number)
        assert (c.status, c.approved_on) == ("approved", today)
    with pytest.raises(Conflict, match="it is approved"), db.write() as s:
        svc.apply_outcome(
            s,
            outcome=Outcome(request_id, contract_id, None, "rejected"),
            actor=team["mia"],
            today=today,
        )


# ---------------------------------------------------------------------------------------------
# Illegal moves and frozen terms


def test_illegal_moves_name_state_and_allowed_moves(db, team, policy, today, acme, approvers):
    alice = team["alice"]
    number = new_contract(db, actor=alice, customer=acme, policy=policy, today=today)["number"]
    with pytest.raises(Conflict) as err, db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on=today, signatory="X", policy=policy, today=today
        )
    assert "it is draft" in err.value.message and "allowed now: submit" in err.value.message
    for move in (svc.activate_contract,):
        with pytest.raises(Conflict, match="it is draft"), db.write() as s:
            move(s, actor=alice, ref=number, policy=policy, today=today)
    with pytest.raises(Conflict, match="it is draft"), db.write() as s:
        svc.complete_contract(s, actor=alice, ref=number, today=today)
    with pytest.raises(Conflict, match="it is draft"), db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, reason="x", today=today)
    with pytest.raises(Conflict, match="it is draft"), db.write() as s:
        svc.terminate_contract(s, actor=alice, ref=number, reason="x", today=today)
    with db.write() as s:
        svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    with pytest.raises(Conflict) as err, db.write() as s:
        svc.update_contract(s, actor=alice, ref=number, title="新标题", policy=policy, today=today)
    assert "contract amend" in err.value.message and "pending_approval" in err.value.message
    with pytest.raises(Conflict) as err, db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on=today, signatory="X", policy=policy, today=today
        )
    assert "through `bizops approval`" in err.value.message
    with pytest.raises(Conflict, match="it is pending_approval"), db.write() as s:
        svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    assert status_of(db, number) == "pending_approval"


def test_sign_rules(db, team, policy, today, acme, approvers):
    alice = team["alice"]
    number = new_contract(db, actor=alice, customer=acme, policy=policy, today=today)["number"]
    with db.write() as s:
        svc.submit_contract(s, actor=alice, ref=number, policy=policy, today=today)
    approve_all(db, number, approvers, policy, today)
    with pytest.raises(NotPermitted), db.write() as s:
        svc.sign_contract(
            s, actor=team["bob"], ref=number, on=today, signatory="X", policy=policy, today=today
        )
    with pytest.raises(Invalid, match="future"), db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on="+1d", signatory="X", policy=policy, today=today
        )
    with pytest.raises(Invalid, match="before the approval"), db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on="-1w", signatory="X", policy=policy, today=today
        )
    with pytest.raises(Invalid, match="--signatory"), db.write() as s:
        svc.sign_contract(
            s, actor=alice, ref=number, on=today, signatory="", policy=policy, today=today
        )
    assert status_of(db, number) == "approved"
    with db.read() as s:
        assert (
            s.execute(select(StageChange.id).where(StageChange.to_stage == "signed")).first()
            is None
        )


def test_terminate_then_archive_twice(db, team, policy, today, acme, approvers):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    alice = team["alice"]
    with pytest.raises(Invalid, match="--reason"), db.write() as s:
        svc.terminate_contract(s, actor=alice, ref=number, reason=None, today=today)
    with db.write() as s:
        svc.terminate_contract(s, actor=alice, ref=number, reason="客户破产", today=today)
    with pytest.raises(Conflict, match="no signed copy"), db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, today=today)
    with db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, reason="signed copy lost", today=today)
    with pytest.raises(Conflict, match="already archived"), db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, reason="again", today=today)
    with db.read() as s:
        shown = svc.show_contract(s, ref=number, today=today)
    assert shown["termination_reason"] == "客户破产"
    assert shown["archive_reason"] == "signed copy lost"


# ---------------------------------------------------------------------------------------------
# Amendments


def test_amendment_applies_only_when_approved(db, team, policy, today, acme, approvers):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    alice = team["alice"]
    with pytest.raises(Invalid, match="cannot be amended"), db.write() as s:
        svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"type": "nda"},
            reason="x",
            policy=policy,
            today=today,
        )
    with pytest.raises(Invalid, match="already"), db.write() as s:
        svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"amount": "12万"},
            reason="x",
            policy=policy,
            today=today,
        )
    with pytest.raises(Invalid, match="before"), db.write() as s:
        svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"end": "2026-01-01"},
            reason="x",
            policy=policy,
            today=today,
        )
    with pytest.raises(NotPermitted), db.write() as s:
        svc.amend_contract(
            s,
            actor=team["bob"],
            ref=number,
            changes={"amount": "30万"},
            reason="x",
            policy=policy,
            today=today,
        )
    with db.write() as s:
        first = svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"amount": "30万", "end": "2028-06-30"},
            reason="追加订单",
            policy=policy,
            today=today,
        )
    assert first["number"] == f"{number}-A1"
    assert first["changes"] == {
        "amount": {"from": "120000.00", "to": "300000.00"},
        "end": {"from": "2027-11-30", "to": "2028-06-30"},
    }
    # 300,000 >= 200,000: routed on the amended amount.
    assert first["chain"] == ["manager", "finance", "legal"]
    with pytest.raises(Conflict, match="one amendment at a time"), db.write() as s:
        svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"title": "新"},
            reason="x",
            policy=policy,
            today=today,
        )
    with db.read() as s:
        assert svc.find_contract(s, number).amount == Decimal("120000.00")
    with db.write() as s:
        svc.reject_request(
            s, actor=team["mia"], ref=first["request"], reason="太贵", today=today, policy=policy
        )
    with db.read() as s:
        assert s.get(Amendment, first["id"]).status == "rejected"
        assert svc.find_contract(s, number).amount == Decimal("120000.00")
    with db.write() as s:
        second = svc.amend_contract(
            s,
            actor=alice,
            ref=number,
            changes={"amount": "25万", "risk": "medium"},
            reason="追加订单",
            policy=policy,
            today=today,
        )
    assert second["number"] == f"{number}-A2"
    approve_all(db, number, approvers, policy, today)
    with db.read() as s:
        c = svc.find_contract(s, number)
        a = s.get(Amendment, second["id"])
        assert (c.amount, c.risk, c.status) == (Decimal("250000.00"), "medium", "signed")
        assert (a.status, a.applied_on) == ("approved", today)
        shown = svc.show_contract(s, ref=number, today=today)
    assert [x["status"] for x in shown["amendments"]] == ["rejected", "approved"]
    assert audit_trail(db, "amendment", f"{number}-A2") == [
        ("amendment.create", "alice"),
        ("amendment.approve", "leo"),
    ]


def test_amend_only_signed_or_active(db, team, policy, today, acme):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    with pytest.raises(Conflict, match="contract update"), db.write() as s:
        svc.amend_contract(
            s,
            actor=team["alice"],
            ref=number,
            changes={"amount": "1"},
            reason="x",
            policy=policy,
            today=today,
        )


# ---------------------------------------------------------------------------------------------
# Milestones and disputes


def test_dispute_blocks_complete_and_archive(db, team, policy, today, acme, approvers, tmp_path):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    alice, leo = team["alice"], team["leo"]
    with pytest.raises(NotPermitted), db.write() as s:
        svc.open_dispute(s, actor=team["bob"], ref=number, summary="x", today=today)
    with db.write() as s:
        svc.activate_contract(s, actor=alice, ref=number, policy=policy, today=today)
        dispute = svc.open_dispute(
            s, actor=leo, ref=number, summary="交付延迟 delivery late", today=today
        )
    with db.read() as s:
        shown = svc.show_contract(s, ref=number, today=today)
    assert "complete" not in shown["allowed_moves"]
    assert shown["blocked_moves"][0]["move"] == "complete"
    with pytest.raises(Conflict, match="open dispute"), db.write() as s:
        svc.complete_contract(s, actor=alice, ref=number, today=today)
    with db.write() as s:
        svc.terminate_contract(s, actor=alice, ref=number, reason="dispute", today=today)
    with pytest.raises(Conflict, match="open dispute"), db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, reason="x", today=today)
    with pytest.raises(Invalid, match="--resolution"), db.write() as s:
        svc.resolve_dispute(s, actor=leo, ref=dispute["id"], resolution="", today=today)
    with db.write() as s:
        svc.resolve_dispute(s, actor=leo, ref=dispute["id"], resolution="赔偿5%", today=today)
    with pytest.raises(Conflict, match="already resolved"), db.write() as s:
        svc.resolve_dispute(s, actor=leo, ref=dispute["id"], resolution="again", today=today)
    with db.read() as s:
        assert svc.list_disputes(s, open_only=True) == []
        assert svc.list_disputes(s, contract=number)[0]["resolution"] == "赔偿5%"
    with db.write() as s:
        svc.archive_contract(s, actor=alice, ref=number, reason="纸质版在法务部", today=today)
    assert audit_trail(db, "dispute", str(dispute["id"])) == [
        ("dispute.open", "leo"),
        ("dispute.resolve", "leo"),
    ]


def test_dispute_needs_signed_contract(db, team, policy, today, acme):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    with pytest.raises(Conflict, match="draft"), db.write() as s:
        svc.open_dispute(s, actor=team["alice"], ref=number, summary="x", today=today)


def test_milestones_rules_and_overdue(db, team, policy, today, acme, approvers):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    alice = team["alice"]
    with pytest.raises(Invalid, match="payment, delivery, acceptance, other"), db.write() as s:
        svc.add_milestone(s, actor=alice, ref=number, kind="bonus", due="+1w", today=today)
    with pytest.raises(Invalid, match="more than the contract amount"), db.write() as s:
        svc.add_milestone(
            s, actor=alice, ref=number, kind="payment", due="+1w", amount="20万", today=today
        )
    with pytest.raises(NotPermitted), db.write() as s:
        svc.add_milestone(s, actor=team["bob"], ref=number, kind="delivery", due="+1w", today=today)
    with db.write() as s:
        late = svc.add_milestone(
            s,
            actor=alice,
            ref=number,
            kind="delivery",
            due="2026-11-20",
            note="首批交货",
            today=today,
        )
        soon = svc.add_milestone(
            s, actor=alice, ref=number, kind="payment", due="+3d", amount="6万", today=today
        )
    with db.read() as s:
        overdue = svc.list_milestones(s, overdue=True, today=today)
        report = svc.due_milestones(s, today=today, within_days=-1)
        due = svc.due_milestones(s, today=today, within_days=7)
        mine = svc.due_milestones(s, today=today, within_days=-1, owner_ids=[team["bob"].id])
    assert [m["id"] for m in overdue] == [late["id"]]
    assert overdue[0]["days_overdue"] == 7
    assert [m["id"] for m in report] == [late["id"]]
    assert report[0]["owner"] == "alice" and report[0]["contract"] == number
    assert report[0]["owner_id"] == team["alice"].id
    assert [{k: v for k, v in m.items() if k != "owner_id"} for m in report] == overdue
    assert [m["id"] for m in due] == [late["id"], soon["id"]]
    assert mine == []
    with pytest.raises(Invalid, match="future"), db.write() as s:
        svc.complete_milestone(s, actor=alice, ref=late["id"], on="+1d", today=today)
    with db.write() as s:
        svc.complete_milestone(s, actor=alice, ref=late["id"], on="2026-11-25", today=today)
    with pytest.raises(Conflict, match="already done"), db.write() as s:
        svc.complete_milestone(s, actor=alice, ref=late["id"], today=today)
    with pytest.raises(NotFound), db.write() as s:
        svc.complete_milestone(s, actor=alice, ref=9999, today=today)
    with db.read() as s:
        assert svc.list_milestones(s, overdue=True, today=today) == []


# ---------------------------------------------------------------------------------------------
# Lists and expiry


def test_list_filters_and_expiring(db, team, policy, today, acme, approvers):
    bobs = add_customer(db, name="Globex Ltd", owner=team["bob"], policy=policy, today=today)
    soon = signed_contract(
        db,
        actor=team["alice"],
        customer=acme,
        approvers=approvers,
        policy=policy,
        today=today,
        end="+20d",
        start="-1m",
    )
    later = signed_contract(
        db,
        actor=team["alice"],
        customer=acme,
        approvers=approvers,
        policy=policy,
        today=today,
        end="+90d",
        start="-1m",
    )
    with db.write() as s:
        svc.create_contract(
            s,
            actor=team["bob"],
            customer=bobs["code"],
            policy=policy,
            today=today,
            **(TERMS | {"type": "nda"}),
        )
    with db.read() as s:

        def numbers(**kw):
            return [r["number"] for r in svc.list_contracts(s, today=today, **kw)]

        assert numbers(expiring="30d") == [soon]
        assert numbers(expiring="100d") == [soon, later]
        assert numbers(status=["draft"]) == ["HT-2026-0003"]
        assert numbers(status=["signed,draft"]) == [soon, later, "HT-2026-0003"]
        assert numbers(owner="bob") == ["HT-2026-0003"]
        assert numbers(customer="Globex") == ["HT-2026-0003"]
        assert numbers(type="nda") == ["HT-2026-0003"]
        assert numbers(non_standard=False) == []
        with pytest.raises(Invalid, match="--status"):
            numbers(status=["signd"])
        with pytest.raises(Invalid, match="--expiring"):
            numbers(expiring="soon")
        expiring = svc.ending_contracts(s, today=today, within_days=30)
        listed = list(svc.list_contracts(s, expiring="30d", today=today))
    assert [e["number"] for e in expiring] == [soon]
    assert [{k: e[k] for k in listed[0]} for e in expiring] == listed  # (k: the row's keys)
    assert expiring[0]["days_left"] == 20
    assert expiring[0]["end"] == date(2026, 12, 17)
    assert expiring[0]["notice_on"] == date(2026, 11, 17)


def test_update_draft_terms(db, team, policy, today, acme):
    alice = team["alice"]
    number = new_contract(db, actor=alice, customer=acme, policy=policy, today=today)["number"]
    with pytest.raises(Invalid, match="nothing to change"), db.write() as s:
        svc.update_contract(s, actor=alice, ref=number, policy=policy, today=today)
    with pytest.raises(Invalid, match="before --start"), db.write() as s:
        svc.update_contract(
            s, actor=alice, ref=number, end="2026-01-01", policy=policy, today=today
        )
    with pytest.raises(NotPermitted), db.write() as s:
        svc.update_contract(s, actor=team["bob"], ref=number, title="x", policy=policy, today=today)
    with db.write() as s:
        out = svc.update_contract(
            s,
            actor=alice,
            ref=number,
            title="新的标题",
            risk="high",
            notice_days=60,
            policy=policy,
            today=today,
        )
    assert (out["title"], out["risk"], out["notice_days"]) == ("新的标题", "high", 60)
    trail = audit_trail(db, "contract", number)
    assert trail[-1] == ("contract.update", "alice")


def test_parse_assignments():
    assert svc.parse_assignments(["a=1", "b = x=y"]) == {"a": "1", "b": "x=y"}
    with pytest.raises(Invalid, match="FIELD=VALUE"):
        svc.parse_assignments(["novalue"])
    with pytest.raises(Invalid, match="twice"):
        svc.parse_assignments(["a=1", "a=2"])


# ---------------------------------------------------------------------------------------------
# Templates: standard or not


SALES_FIELDS = {
    "goods_name": "数控机床 CK6150",
    "quantity": "10",
    "delivery_date": "2027-01-10",
    "delivery_place": "上海市浦东新区世纪大道100号",
}


def test_template_makes_a_standard_contract(db, team, policy, today, acme):
    alice = team["alice"]
    made = new_contract(
        db,
        actor=alice,
        customer=acme,
        policy=policy,
        today=today,
        template="sales-zh",
        values=SALES_FIELDS,
    )
    assert made["template"] == "sales-zh@1" and made["non_standard"] is False
    number = made["number"]
    with db.read() as s:
        fields = svc.find_contract(s, number).fields
    assert fields["quantity"] == 10 and fields["delivery_date"] == "2027-01-10"
    with db.write() as s:
        out = svc.update_contract(
            s,
            actor=alice,
            ref=number,
            values={"quantity": "12", "special_discount": "5%"},
            policy=policy,
            today=today,
        )
    assert out["non_standard"] is True and out["template"] == "sales-zh@1"
    with db.write() as s:
        out = svc.update_contract(
            s, actor=alice, ref=number, unset=["special_discount"], policy=policy, today=today
        )
    assert out["non_standard"] is False
    with db.read() as s:
        assert svc.find_contract(s, number).fields["quantity"] == 12
        assert [r["number"] for r in svc.list_contracts(s, non_standard=False, today=today)] == [
            number
        ]
    with pytest.raises(Invalid, match="--unset"), db.write() as s:
        svc.update_contract(
            s, actor=alice, ref=number, unset=["nothing"], policy=policy, today=today
        )
    with pytest.raises(Invalid, match="template"), db.write() as s:
        svc.update_contract(s, actor=alice, ref=number, type="nda", policy=policy, today=today)
    with db.write() as s:
        out = svc.update_contract(
            s, actor=alice, ref=number, no_template=True, policy=policy, today=today
        )
    assert out["template"] is None and out["non_standard"] is True


def test_unknown_or_wrong_template_refused(db, team, policy, today, acme):
    with pytest.raises(NotFound):
        new_contract(
            db,
            actor=team["alice"],
            customer=acme,
            policy=policy,
            today=today,
            template="no-such-template",
        )
    with pytest.raises(Invalid, match="nda"):
        new_contract(
            db, actor=team["alice"], customer=acme, policy=policy, today=today, template="nda-zh"
        )
    with db.read() as s:
        assert s.execute(select(Contract.id)).first() is None


def test_template_date_fields_take_relative_dates(db, team, policy, today, acme):
    # today is 2026-11-27: "eom" is the end of November, "+1m" a month on.
    values = SALES_FIELDS | {"delivery_date": "eom"}
    made = new_contract(
        db,
        actor=team["alice"],
        customer=acme,
        policy=policy,
        today=today,
        template="sales-zh",
        values=values,
    )
    with db.write() as s:
        assert svc.find_contract(s, made["number"]).fields["delivery_date"] == "2026-11-30"
        svc.update_contract(
            s,
            actor=team["alice"],
            ref=made["number"],
            values={"delivery_date": "+1m"},
            policy=policy,
            today=today,
        )
        assert svc.find_contract(s, made["number"]).fields["delivery_date"] == "2026-12-27"
    with pytest.raises(Invalid) as err:
        new_contract(
            db,
            actor=team["alice"],
            customer=acme,
            policy=policy,
            today=today,
            template="sales-zh",
            values=SALES_FIELDS | {"delivery_date": "01/02/2027"},
        )
    assert "delivery_date" in err.value.details[0]


def test_amend_errors_name_the_set_option(db, team, policy, today, acme, approvers):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    for changes, words in (
        ({"end": "2020-01-01"}, "--set end: 2020-01-01 is before the start 2026-12-01"),
        ({"start": "2028-01-01"}, "end: 2027-11-30 is before --set start 2028-01-01"),
        ({"title": " "}, "--set title"),
    ):
        with pytest.raises(Invalid) as err, db.write() as s:
            svc.amend_contract(
                s,
                actor=team["alice"],
                ref=number,
                changes=changes,
                reason="x",
                policy=policy,
                today=today,
            )
        assert err.value.message.startswith(words), err.value.message
