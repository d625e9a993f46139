"""Follow-ups with purpose, place and next step; no backdating; the pipeline moving by itself
(first contact, contract signed and active), each move with its cause."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Invalid
from bizops.services import contracts as svc
from bizops.services import customers as cs
from bizops.services import followups as fs
from bizops.services import reports
from bizops.services.followups.log import Details
from bizops.store.models import AuditEvent, Customer, FollowUp, Interaction, StageChange
from tests.support.factories import add_customer, approve_all, submitted_contract

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def _add(db, team, policy, day, name, grade="B", stage="prospect"):
    return add_customer(
        db, actor=team["alice"], name=name, grade=grade, owner="alice", policy=policy,
        today=day, stage=stage,
    )  # fmt: skip


def _log(db, actor, policy, today, code, **kw):
    kw.setdefault("summary", "called")
    kw.setdefault("via", "visit")
    with db.write() as s:
        return fs.log_followup(
            s, actor=actor, customer=code, policy=policy, today=today, now=NOW, **kw
        )


def _changes(db, customer_id):
    with db.read() as s:
        return s.execute(
            select(StageChange.from_stage, StageChange.to_stage, StageChange.cause)
            .where(StageChange.customer_id == customer_id)
            .order_by(StageChange.id)
        ).all()


def test_first_contact_moves_a_prospect_to_contacted_with_its_cause(db, team, policy, today):
    added = _add(db, team, policy, today - timedelta(days=2), "Prospect Co")
    with db.read() as s:
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    r = _log(db, team["alice"], policy, today, added["code"])
    assert r.moved_to == "contacted"
    assert _changes(db, added["id"])[-1] == ("prospect", "contacted", "first_contact")
    with db.read() as s:
        assert s.get(Customer, added["id"]).stage == "contacted"
        # One audit event, the log's, records the move with its cause.
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == events + 1
        last = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert last.action == "followup.log"
        assert json.loads(last.after)["stage"] == {
            "from": "prospect", "to": "contacted", "cause": "first_contact",
        }  # fmt: skip
        shown = cs.show_customer(s, ref=added["code"], today=today)
    assert shown["stage_history"][-1]["cause"] == "first_contact"
    # A second log moves nothing more.
    assert _log(db, team["alice"], policy, today, added["code"]).moved_to is None
    assert len(_changes(db, added["id"])) == 2


def test_no_automatic_move_back_or_out_of_a_side_exit(db, team, policy, today):
    needs = _add(db, team, policy, today - timedelta(days=2), "Needs Co", stage="needs")
    assert _log(db, team["alice"], policy, today, needs["code"]).moved_to is None
    with db.read() as s:
        assert s.get(Customer, needs["id"]).stage == "needs"


def test_auto_advance_applies_only_forward(db, team, policy, today):
    added = _add(db, team, policy, today, "Auto Co")
    with db.write() as s:
        customer = s.get(Customer, added["id"])
        assert fs.auto_advance(
            s, actor=team["alice"], customer=customer, to="needs", cause="needs_recorded",
            policy=policy, today=today,
        )  # fmt: skip
        assert not fs.auto_advance(
            s, actor=team["alice"], customer=customer, to="contacted", cause="first_contact",
            policy=policy, today=today,
        )  # fmt: skip
        with pytest.raises(Invalid, match="not an automatic move"):
            fs.auto_advance(
                s, actor=team["alice"], customer=customer, to="proposal", cause="whim",
                policy=policy, today=today,
            )  # fmt: skip
    assert _changes(db, added["id"])[-1] == ("prospect", "needs", "needs_recorded")
    with db.read() as s:
        event = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert event.action == "customer.stage"


def test_contract_moves_record_their_cause_and_bring_the_maintenance_cadence(
    db, team, policy, today
):
    # Never contacted: it still has its first-contact follow-up when the contract comes.
    acme = _add(db, team, policy, today, "上海华东机电有限公司", grade="B", stage="negotiation")
    approvers = {"manager": team["mia"], "legal": team["leo"], "finance": team["fay"]}
    approvers["gm"] = team["gus"]
    number, _ = submitted_contract(
        db, actor=team["alice"], customer=acme, policy=policy, today=today
    )
    approve_all(db, number, approvers, policy, today)
    with db.write() as s:
        svc.sign_contract(
            s, actor=team["alice"], ref=number, on="today", signatory="张总", policy=policy,
            today=today,
        )  # fmt: skip
    later = date(2026, 12, 21)  # a Monday
    with db.write() as s:
        svc.activate_contract(s, actor=team["alice"], ref=number, policy=policy, today=later)
    causes = [c for *_x, c in _changes(db, acme["id"])]
    assert causes[-2:] == ["contract_signed", "contract_active"]
    with db.read() as s:
        followup = s.execute(
            select(FollowUp).where(FollowUp.customer_id == acme["id"], FollowUp.status == "open")
        ).scalar_one()
        # B in maintenance: 30 days from the activation, not a first contact.
        assert (followup.kind, followup.due) == ("cadence", later + timedelta(days=30))
        rows = fs.never_contacted_rows(
            s, owner_ids=None, since=today - timedelta(days=7), today=later
        )
        assert acme["code"] not in [r["code"] for r in rows]
        (report,) = reports.daily_reports(
            s, actor=team["alice"], policy=policy, today=later + timedelta(days=40)
        )
    texts = [i["action"] for i in report["followups_overdue"] + report["followups_due_today"]]
    assert texts and not any("first contact" in t for t in texts)


def test_purpose_place_and_next_action_are_kept_and_shown(db, team, policy, today):
    added = _add(db, team, policy, today - timedelta(days=20), "Detail Co")
    details = Details(purpose=" 确认报价 ", place="客户工厂", next_action="寄样品")
    r = _log(db, team["alice"], policy, today, added["code"], details=details)
    assert (r.purpose, r.place, r.next_action) == ("确认报价", "客户工厂", "寄样品")
    with db.read() as s:
        i = s.get(Interaction, r.interaction_id)
        assert (i.purpose, i.place, i.next_action) == ("确认报价", "客户工厂", "寄样品")
        assert i.logged_at is not None
        (row,) = [h for h in fs.history(s, customer=added["code"], today=today)
                  if h["type"] == "interaction"]  # fmt: skip
        shown = cs.show_customer(s, ref=added["code"], today=today)
        (report,) = reports.daily_reports(s, actor=team["alice"], policy=policy, today=r.next_due)
    assert (row["purpose"], row["place"], row["next_action"]) == ("确认报价", "客户工厂", "寄样品")
    assert shown["interactions"][0]["next_action"] == "寄样品"
    (item,) = [i for i in report["followups_due_today"] if i["code"] == added["code"]]
    assert (item["last_purpose"], item["last_place"], item["next_action"]) == (
        "确认报价", "客户工厂", "寄样品",
    )  # fmt: skip
    assert "next step: 寄样品" in item["action"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("purpose", "x" * 501, "--purpose"),
        ("place", "a\x07b", "--place"),
        ("next_action", "y" * 2001, "--next-action"),
    ],
)
def test_details_are_checked_like_other_text(db, team, policy, today, field, value, words):
    added = _add(db, team, policy, today, "Checked Co")
    with pytest.raises(Invalid, match=words):
        _log(db, team["alice"], policy, today, added["code"], details=Details(**{field: value}))
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Interaction)).scalar_one() == 0


def test_backdating_is_refused_for_sales_and_judged_on_logging_time(db, team, policy, today):
    added = _add(db, team, policy, today - timedelta(days=30), "Backdate Co")
    with pytest.raises(Invalid, match="at most 3 day"):
        _log(db, team["alice"], policy, today, added["code"], at="2026-11-20 10:00")
    fresh = _add(db, team, policy, today - timedelta(days=1), "Fresh Co")
    with pytest.raises(Invalid, match="before follow-up"):
        _log(db, team["alice"], policy, today, fresh["code"], at="2026-11-25 10:00")
    # Within three days: allowed, judged on the day it happened.
    ok = _log(db, team["alice"], policy, today, added["code"], at="2026-11-24 10:00")
    assert ok.on == date(2026, 11, 24)
    # A manager may log further back, but on time or late is judged on the day of logging.
    late = _add(db, team, policy, today - timedelta(days=30), "Late Co", grade="C")
    with db.read() as s:
        due = fs.open_followup(s, late["id"]).due
    assert due < today and due >= date(2026, 11, 2)
    r = _log(db, team["mia"], policy, today, late["code"], at=due.isoformat())
    assert r.closed is not None and not r.closed.on_time
    assert r.closed.days_late == (today - due).days


def test_a_late_log_schedules_the_next_follow_up_from_today(db, team, policy, today):
    added = _add(db, team, policy, today - timedelta(days=30), "Next Co", grade="A")
    with db.write() as s:
        cs.update_customer(
            s, actor=team["alice"], ref=added["code"], cadence=1, policy=policy, today=today
        )
    # A cadence of one day from 24 Nov would be 25 Nov, in the past: counted from today
    # (Friday 27 Nov) instead, +1 = Saturday -> Monday 30 Nov.
    r = _log(db, team["alice"], policy, today, added["code"], at="2026-11-24 10:00")
    assert r.next_due == date(2026, 11, 30)


def test_last_contact_details_are_those_of_the_latest_contact_of_that_day(db, team, policy, today):
    day = today - timedelta(days=30)
    later = _add(db, team, policy, day, "Later Co")
    _log(db, team["alice"], policy, today, later["code"], at="2026-11-27 08:00",
         details=Details(purpose="first"))  # fmt: skip
    _log(db, team["alice"], policy, today, later["code"], at="2026-11-27 09:00",
         details=Details(place="second"))  # fmt: skip
    bare = _add(db, team, policy, day, "Bare Co")
    _log(db, team["alice"], policy, today, bare["code"], at="2026-11-26 10:00",
         details=Details(purpose="yesterday"))  # fmt: skip
    _log(db, team["alice"], policy, today, bare["code"], at="2026-11-27 09:00")
    tied = _add(db, team, policy, day, "Tied Co")
    for purpose in ("one", "two"):
        _log(db, team["alice"], policy, today, tied["code"], at="2026-11-27 09:00",
             details=Details(purpose=purpose))  # fmt: skip
    never = _add(db, team, policy, day, "Never Co")
    codes = [later["code"], bare["code"], tied["code"], never["code"], "NO-SUCH"]
    with db.read() as s:
        found = fs.last_contact_details(s, codes + codes)
    assert found == {
        later["code"]: {"purpose": None, "place": "second", "next_action": None},
        tied["code"]: {"purpose": "two", "place": None, "next_action": None},
    }


def test_due_rows_carry_the_same_last_contact_details(db, team, policy, today):
    """The daily report reads the details with the due follow-ups, in the same query: the
    same details as ``last_contact_details`` finds, on the same rows in the same order."""
    day = today - timedelta(days=30)
    later = _add(db, team, policy, day, "Later Co")
    _log(db, team["alice"], policy, today, later["code"], at="2026-11-27 08:00",
         details=Details(purpose="first"))  # fmt: skip
    _log(db, team["alice"], policy, today, later["code"], at="2026-11-27 09:00",
         details=Details(place="second", next_action="quote"))  # fmt: skip
    bare = _add(db, team, policy, day, "Bare Co")
    _log(db, team["alice"], policy, today, bare["code"], at="2026-11-26 10:00",
         details=Details(purpose="yesterday"))  # fmt: skip
    _log(db, team["alice"], policy, today, bare["code"], at="2026-11-27 09:00")
    never = _add(db, team, policy, day, "Never Co")
    until = today + timedelta(days=400)
    owners = [team["alice"].id]
    with db.read() as s:
        plain = list(fs.due_rows(s, owner_ids=owners, until=until, today=today, policy=policy))
        paired = list(
            fs.due_rows_with_details(s, owner_ids=owners, until=until, today=today, policy=policy)
        )
        found = fs.last_contact_details(s, [row["code"] for row in plain])
        assert list(fs.due_rows_with_details(s, owner_ids=[], until=until, today=today,
                                             policy=policy)) == []  # fmt: skip
    assert [row for row, _details in paired] == plain
    details = {row["code"]: d for row, d in paired}
    assert details == {row["code"]: found.get(row["code"]) for row in plain}
    assert details[later["code"]] == {"purpose": None, "place": "second", "next_action": "quote"}
    assert details[bare["code"]] is None and details[never["code"]] is None


def test_due_rows_with_details_come_owner_by_owner_in_the_order_given(db, team, policy, today):
    """The daily report reads every recipient's follow-ups in one query: owner by owner, in
    the recipients' order, each owner's rows as ``due_rows`` gives them."""
    day = today - timedelta(days=30)
    for i, login in enumerate(["alice", "bob", "alice", "bob", "alice"]):
        add_customer(
            db, actor=team["mia"], name=f"Owner Test {i}", grade="B", owner=login,
            policy=policy, today=day - timedelta(days=i), stage="prospect",
        )  # fmt: skip
    until = today + timedelta(days=400)
    order = [team["bob"].id, team["mia"].id, team["alice"].id]
    with db.read() as s:
        paired = [
            row
            for row, _details in fs.due_rows_with_details(
                s, owner_ids=order, until=until, today=today, policy=policy
            )
        ]
        alone = {
            uid: list(fs.due_rows(s, owner_ids=[uid], until=until, today=today, policy=policy))
            for uid in order
        }
    assert paired == alone[team["bob"].id] + alone[team["mia"].id] + alone[team["alice"].id]
    assert [row["owner"] for row in paired] == ["bob"] * 2 + ["alice"] * 3
