from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.services import customers as cs
from bizops.services.lookup import find_customer
from bizops.store.audit import verify_chain
from bizops.store.models import AuditEvent, Contract, Customer, FollowUp, StageChange
from tests.conftest import add_user


def add(db, team, policy, today, name="华信科技有限公司", actor="alice", **kw):
    kw.setdefault("grade", "B")
    kw.setdefault("owner", "alice")
    with db.write() as s:
        return cs.add_customer(s, actor=team[actor], name=name, policy=policy, today=today, **kw)


def count(db, model, *where):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def events(db, action):
    with db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
        return [SimpleNamespace(entity_id=e.entity_id, actor=e.actor, after=e.after) for e in rows]


def open_followups(db, customer_id):
    with db.read() as s:
        rows = s.execute(
            select(FollowUp).where(FollowUp.customer_id == customer_id, FollowUp.status == "open")
        ).scalars()
        return [SimpleNamespace(kind=f.kind, due=f.due) for f in rows]


def add_contract(db, customer_id, owner, today, *, status="signed", signed=True, number="HT-1"):
    with db.write() as s:
        s.add(
            Contract(
                number=number,
                title="年度采购合同",
                customer_id=customer_id,
                owner_id=owner.id,
                type="sales",
                amount=Decimal("120000.00"),
                currency="CNY",
                risk="low",
                status=status,
                start=today,
                end=today + timedelta(days=365),
                signed_on=today if signed else None,
                created_on=today,
                created_at=datetime.now(UTC),
            )
        )


# ----------------------------------------------------------------------------- add


def test_add_gives_code_stage_history_first_followup_and_audit(db, team, policy, today):
    view = add(
        db,
        team,
        policy,
        today,
        grade="A",
        potential="120万",
        intent="high",
        tags=["VIP", "华东"],
        contacts=["张伟, 采购经理, 138-0013-8000, zhang@huaxin.cn"],
        industry="制造业",
    )
    assert view["code"] == "C0001" and view["stage"] == "prospect" and view["owner"] == "alice"
    assert view["potential"] == Decimal("1200000.00") and view["tags"] == ["vip", "华东"]
    # A's first contact is due after 1 day: Saturday 28th moves to Monday 30th.
    assert view["next_due"] == date(2026, 11, 30)
    assert [f.kind for f in open_followups(db, view["id"])] == ["first_contact"]
    assert count(db, StageChange, StageChange.customer_id == view["id"]) == 1
    [event] = events(db, "customer.add")
    assert event.entity_id == "C0001" and "张伟" in (event.after or "")
    second = add(db, team, policy, today, name="Acme Trading", stage="needs")
    assert second["code"] == "C0002" and second["stage"] == "needs"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"grade": "D"}, "accepted: A, B, C"),
        ({"stage": "won"}, "accepted: prospect"),
        ({"intent": "maybe"}, "accepted: high, medium, low"),
        ({"contacts": ["张伟, 13800138000, not-an-email@"]}, "not a valid email"),
        ({"contacts": ["张伟, 经理, 12ab34, zw@x.cn"]}, "cannot read"),
        ({"contacts": ["张伟, 经理, 12-34, zw@x.cn"]}, "not a valid phone"),
        ({"name": "   "}, "name: must not be empty"),
        ({"name": "（）"}, "no letters or digits"),
        ({"potential": "lots"}, "cannot read 'lots' as an amount"),
    ],
)
def test_bad_input_is_invalid_and_changes_nothing(db, team, policy, today, kw, message):
    kw.setdefault("name", "新客户")
    with pytest.raises(Invalid, match=message):
        add(db, team, policy, today, **kw)
    assert count(db, Customer) == 0
    assert count(db, FollowUp) == 0
    assert events(db, "customer.add") == []


def test_owner_must_be_an_active_user(db, team, policy, today):
    with pytest.raises(NotFound, match="no user 'nobody'"):
        add(db, team, policy, today, owner="nobody")
    with db.write() as s:
        from bizops.services.users import deactivate_user

        deactivate_user(s, actor=team["root"], ref="bob")
    with pytest.raises(Invalid, match="deactivated"):
        add(db, team, policy, today, owner="bob")
    assert count(db, Customer) == 0


def test_who_may_add(db, team, policy, today):
    for login in ("fay", "leo", "gus"):
        with pytest.raises(NotPermitted, match="sales, manager or admin"):
            add(db, team, policy, today, actor=login)
    assert add(db, team, policy, today, actor="mia", owner="bob")["owner"] == "bob"
    assert add(db, team, policy, today, name="X2", actor="root")["code"] == "C0002"


@pytest.mark.parametrize("dup", ["ＡＣＭＥ Ltd.", "acme ltd", "ACME, LTD", "Acme-Ltd"])
def test_duplicate_name_is_case_width_and_punctuation_insensitive(db, team, policy, today, dup):
    add(db, team, policy, today, name="ACME Ltd")
    with pytest.raises(Conflict, match="duplicates existing customer C0001 ACME Ltd"):
        add(db, team, policy, today, name=dup)
    assert count(db, Customer) == 1
    assert add(db, team, policy, today, name=dup, allow_duplicate=True)["code"] == "C0002"


def test_duplicate_chinese_name_full_width_brackets(db, team, policy, today):
    add(db, team, policy, today, name="华信科技（上海）有限公司")
    with pytest.raises(Conflict, match="C0001"):
        add(db, team, policy, today, name="华信科技(上海)有限公司")


def test_duplicate_contact_email(db, team, policy, today):
    add(db, team, policy, today, name="甲公司", contacts=["王五, zw@x.cn"])
    with pytest.raises(Conflict, match="(?i)zw@x.cn is already a contact of customer C0001 甲公司"):
        add(db, team, policy, today, name="乙公司", contacts=["赵六, ZW@X.CN"])
    assert count(db, Customer) == 1
    add(db, team, policy, today, name="乙公司", contacts=["赵六, ZW@X.CN"], allow_duplicate=True)


def test_signed_is_refused_as_a_starting_stage(db, team, policy, today):
    with pytest.raises(Conflict, match="signed needs a signed contract"):
        add(db, team, policy, today, stage="signed")


def test_maintenance_is_refused_as_a_starting_stage_as_signed_is(db, team, policy, today):
    # Maintenance comes after signing: starting there must not get round the contract.
    with pytest.raises(Conflict, match="--stage: maintenance needs a signed contract"):
        add(db, team, policy, today, stage="maintenance")
    assert count(db, Customer) == 0 and count(db, FollowUp) == 0
    assert events(db, "customer.add") == []


def test_lost_customer_starts_without_followup(db, team, policy, today):
    view = add(db, team, policy, today, stage="dormant")
    assert open_followups(db, view["id"]) == [] and view["next_due"] is None


# ----------------------------------------------------------------------------- stages


def move(db, team, ref, actor="alice", *, policy, today, **kw):
    with db.write() as s:
        return cs.move_stage(s, actor=team[actor], ref=ref, policy=policy, today=today, **kw)


def test_next_and_reasoned_moves_are_kept_with_time_actor_reason(db, team, policy, today):
    c = add(db, team, policy, today)
    assert move(db, team, "C0001", policy=policy, today=today, step_next=True)["stage"] == (
        "contacted"
    )
    with pytest.raises(Invalid, match="needs --reason"):
        move(db, team, "C0001", policy=policy, today=today, stage="negotiation")
    later = today + timedelta(days=5)
    move(db, team, "C0001", policy=policy, today=later, stage="negotiation", reason="fast track")
    with db.read() as s:
        shown = cs.show_customer(s, ref="C0001", today=today + timedelta(days=12))
    history = shown["stage_history"]
    assert [(h["stage"], h["days"], h["actor"], h["reason"]) for h in history] == [
        ("prospect", 0, "alice", "created"),
        ("contacted", 5, "alice", None),
        ("negotiation", 7, "alice", "fast track"),
    ]
    assert shown["days_in_stage"] == 7
    assert len(events(db, "customer.stage")) == 2
    assert len(open_followups(db, c["id"])) == 1


def test_refused_move_changes_nothing(db, team, policy, today):
    add(db, team, policy, today)
    with pytest.raises(Invalid):
        move(db, team, "C0001", policy=policy, today=today, stage="lost")
    with db.read() as s:
        assert find_customer(s, "C0001").stage == "prospect"
    assert count(db, StageChange) == 1 and events(db, "customer.stage") == []


def test_signed_needs_a_signed_contract(db, team, policy, today):
    c = add(db, team, policy, today, stage="negotiation")
    with pytest.raises(Conflict, match="signed contract"):
        move(db, team, "C0001", policy=policy, today=today, step_next=True)
    add_contract(db, c["id"], team["alice"], today, status="approved", signed=False)
    with pytest.raises(Conflict, match="signed contract"):
        move(db, team, "C0001", policy=policy, today=today, step_next=True)
    add_contract(db, c["id"], team["alice"], today, status="active", number="HT-2")
    assert move(db, team, "C0001", policy=policy, today=today, step_next=True)["stage"] == "signed"


def test_lost_cancels_followup_and_reopen_needs_reason(db, team, policy, today):
    c = add(db, team, policy, today)
    move(db, team, "C0001", policy=policy, today=today, stage="lost", reason="no budget")
    assert open_followups(db, c["id"]) == []
    with pytest.raises(Conflict, match="--next moves along the pipeline only"):
        move(db, team, "C0001", policy=policy, today=today, step_next=True)
    with pytest.raises(Invalid, match="reopening from lost"):
        move(db, team, "C0001", policy=policy, today=today, stage="needs")
    move(db, team, "C0001", policy=policy, today=today, stage="needs", reason="budget back")
    assert len(open_followups(db, c["id"])) == 1


def test_apply_contract_stage_moves_forward_only(db, team, policy, today):
    a = add(db, team, policy, today, name="甲", stage="negotiation")
    b = add(db, team, policy, today, name="乙", stage="negotiation")
    c = add(db, team, policy, today, name="丙", stage="lost")
    with db.write() as s:  # a customer already in maintenance (signed and activated long ago)
        s.get(Customer, b["id"]).stage = "maintenance"
    with db.write() as s:
        for cid in (a["id"], b["id"], c["id"]):
            cs.apply_contract_stage(
                s,
                actor=team["leo"],
                customer_id=cid,
                stage="signed",
                reason="contract HT-2026-0001 signed",
                policy=policy,
                today=today,
            )
    with db.read() as s:
        stages = [s.get(Customer, x["id"]).stage for x in (a, b, c)]
    assert stages == ["signed", "maintenance", "signed"]
    moved = events(db, "customer.stage")
    assert [e.entity_id for e in moved] == [a["code"], c["code"]]
    assert all(e.actor == "leo" for e in moved)
    assert len(open_followups(db, c["id"])) == 1  # back from lost: followed up again
    with db.write() as s:
        cs.apply_contract_stage(
            s,
            actor=team["leo"],
            customer_id=a["id"],
            stage="maintenance",
            reason="contract activated",
            policy=policy,
            today=today,
        )
        assert s.get(Customer, a["id"]).stage == "maintenance"
    with pytest.raises(Invalid), db.write() as s:
        cs.apply_contract_stage(
            s,
            actor=team["leo"],
            customer_id=a["id"],
            stage="proposal",
            reason="x",
            policy=policy,
            today=today,
        )


def test_stage_change_reschedules_to_new_cadence(db, team, policy, today):
    c = add(db, team, policy, today, grade="A", stage="contacted")
    with db.write() as s:
        customer = s.get(Customer, c["id"])
        customer.last_contact_on = today
        s.add(customer)
    move(db, team, "C0001", policy=policy, today=today, stage="negotiation", reason="quick")
    # A at negotiation: every 3 days from the last contact (Fri 27th -> Mon 30th).
    assert open_followups(db, c["id"])[0].due == date(2026, 11, 30)
    move(db, team, "C0001", policy=policy, today=today, stage="proposal", reason="back")
    assert open_followups(db, c["id"])[0].due == date(2026, 12, 4)


# ----------------------------------------------------------------------------- grading


def test_grade_needs_reason_and_reschedules(db, team, policy, today):
    c = add(db, team, policy, today, grade="C")
    assert open_followups(db, c["id"])[0].due == date(2026, 12, 4)  # C: 7 days
    with pytest.raises(Invalid, match="needs --reason"), db.write() as s:
        cs.set_grade(
            s, actor=team["alice"], ref="C0001", grade="A", reason=None, policy=policy, today=today
        )
    with db.write() as s:
        view = cs.set_grade(
            s,
            actor=team["alice"],
            ref="C0001",
            grade="a",
            reason="budget",
            policy=policy,
            today=today,
        )
    assert view["grade"] == "A" and view["from_grade"] == "C"
    assert open_followups(db, c["id"])[0].due == date(2026, 11, 30)  # A: 1 day, off the weekend
    with pytest.raises(Conflict, match="already grade A"), db.write() as s:
        cs.set_grade(
            s, actor=team["alice"], ref="C0001", grade="A", reason="x", policy=policy, today=today
        )
    with pytest.raises(Invalid, match="accepted: A, B, C"), db.write() as s:
        cs.set_grade(
            s, actor=team["alice"], ref="C0001", grade="E", reason="x", policy=policy, today=today
        )
    assert len(events(db, "customer.grade")) == 1


def test_suggest_explains(db, team, policy, today):
    add(db, team, policy, today, grade="C", potential="1200000")
    with db.read() as s:
        result = cs.suggest_grade(s, ref="C0001", policy=policy)
    assert result["suggested"] == "A" and result["changes"]
    assert result["why"] == "potential 1,200,000 >= 1,000,000: A"


def test_regrade_dry_run_then_apply(db, team, policy, today):
    add(db, team, policy, today, name="甲", grade="C", potential="120万")
    add(db, team, policy, today, name="乙", grade="A")
    add(db, team, policy, today, name="丙", grade="B", intent="high")
    with db.read() as s:
        changes = cs.regrade(s, actor=None, policy=policy, today=today, dry_run=True)
    assert [(c["code"], c["from"], c["to"]) for c in changes] == [
        ("C0001", "C", "A"),
        ("C0002", "A", "C"),
    ]
    assert "no rule matches" in changes[1]["why"]
    assert events(db, "customer.grade") == []
    with pytest.raises(NotPermitted), db.write() as s:
        cs.regrade(s, actor=team["alice"], policy=policy, today=today, dry_run=False)
    with db.write() as s:
        cs.regrade(s, actor=team["mia"], policy=policy, today=today, dry_run=False)
    assert [e.entity_id for e in events(db, "customer.grade")] == ["C0001", "C0002"]
    with db.read() as s:
        assert cs.regrade(s, actor=None, policy=policy, today=today) == []
        assert verify_chain(s)[1] == []


# ----------------------------------------------------------------------------- update


def update(db, team, actor="alice", **kw):
    kw.setdefault("ref", "C0001")
    with db.write() as s:
        return cs.update_customer(s, actor=team[actor], **kw)


def test_update_fields_owner_tags_and_cadence(db, team, policy, today):
    c = add(db, team, policy, today, tags=["vip"])
    view = update(
        db,
        team,
        policy=policy,
        today=today,
        industry="物流",
        potential="50万",
        intent="medium",
        add_tags=["重点"],
        remove_tags=["VIP"],
        needs="冷链运输",
    )
    assert view["industry"] == "物流" and view["tags"] == ["重点"]
    assert view["potential"] == Decimal("500000.00")
    [event] = events(db, "customer.update")
    assert "industry" in event.after and "grade" not in event.after
    with db.write() as s:
        customer = s.get(Customer, c["id"])
        customer.last_contact_on = today
        s.add(customer)
    update(db, team, policy=policy, today=today, cadence=10)
    assert open_followups(db, c["id"])[0].due == date(2026, 12, 7)
    update(db, team, policy=policy, today=today, clear_cadence=True)
    assert open_followups(db, c["id"])[0].due == date(2026, 12, 11)  # B default: 14 days
    update(db, team, policy=policy, today=today, owner="bob")
    with pytest.raises(NotPermitted, match="belongs to bob"):
        update(db, team, policy=policy, today=today, note="mine now")
    update(db, team, actor="bob", policy=policy, today=today, note="接手")
    assert update(db, team, actor="bob", policy=policy, today=today, note="")["code"] == "C0001"


def test_update_refusals(db, team, policy, today):
    add(db, team, policy, today)
    add(db, team, policy, today, name="Acme")
    with pytest.raises(Invalid, match="nothing to change"):
        update(db, team, policy=policy, today=today)
    with pytest.raises(Conflict, match="C0002 Acme"):
        update(db, team, policy=policy, today=today, name="ACME")
    with pytest.raises(Invalid, match="1 to 365"):
        update(db, team, policy=policy, today=today, cadence=0)
    with pytest.raises(Invalid, match="not on C0001"):
        update(db, team, policy=policy, today=today, remove_tags=["nope"])
    with pytest.raises(NotFound):
        update(db, team, policy=policy, today=today, owner="ghost")
    assert events(db, "customer.update") == []


# ----------------------------------------------------------------------------- contacts


def test_contacts_primary_and_removal(db, team, policy, today):
    add(db, team, policy, today)
    with db.write() as s:
        first = cs.add_contact(s, actor=team["alice"], ref="C0001", contact="张伟, 经理")
        second = cs.add_contact(s, actor=team["alice"], ref="C0001", contact="李娜, lina@x.cn")
        third = cs.add_contact(
            s, actor=team["alice"], ref="C0001", contact="王强, 13900000000", primary=True
        )
    assert first["primary"] and not second["primary"] and third["primary"]
    with db.read() as s:
        listed = cs.list_contacts(s, ref="C0001")
    assert [c["name"] for c in listed] == ["王强", "张伟", "李娜"]
    assert [c["primary"] for c in listed] == [True, False, False]
    with db.write() as s:
        cs.remove_contact(s, actor=team["alice"], ref="C0001", contact="王强")
    with db.read() as s:
        assert [(c["name"], c["primary"]) for c in cs.list_contacts(s, ref="C0001")] == [
            ("张伟", True),
            ("李娜", False),
        ]
    with pytest.raises(Conflict, match="already contact 李娜"), db.write() as s:
        cs.add_contact(s, actor=team["alice"], ref="C0001", contact="Li Na, LINA@x.cn")
    with pytest.raises(NotFound, match="no contact"), db.write() as s:
        cs.remove_contact(s, actor=team["alice"], ref="C0001", contact="nobody")
    assert len(events(db, "customer.contact.add")) == 3
    assert len(events(db, "customer.contact.remove")) == 1


def test_contact_email_of_another_customer(db, team, policy, today):
    add(db, team, policy, today, name="甲", contacts=["A, a@x.cn"])
    add(db, team, policy, today, name="乙")
    with pytest.raises(Conflict, match="C0001 甲"), db.write() as s:
        cs.add_contact(s, actor=team["alice"], ref="乙", contact="B, a@x.cn")


# ----------------------------------------------------------------------------- archive


def test_archive_and_restore(db, team, policy, today):
    c = add(db, team, policy, today)
    add_contract(db, c["id"], team["alice"], today)
    with db.write() as s:
        cs.archive_customer(s, actor=team["alice"], ref="C0001", policy=policy, today=today)
    assert open_followups(db, c["id"]) == []
    assert count(db, Customer) == 1 and count(db, Contract) == 1  # never deleted
    with pytest.raises(Conflict, match="already archived"), db.write() as s:
        cs.archive_customer(s, actor=team["alice"], ref="C0001", policy=policy, today=today)
    with pytest.raises(Conflict, match="restore it first"):
        move(db, team, "C0001", policy=policy, today=today, step_next=True)
    with db.read() as s:
        assert list(cs.list_customers(s, today=today)) == []
        assert [r["code"] for r in cs.list_customers(s, today=today, scope="archived")] == ["C0001"]
        assert [r["code"] for r in cs.list_customers(s, today=today, scope="all")] == ["C0001"]
    with db.write() as s:
        cs.restore_customer(s, actor=team["alice"], ref="C0001", policy=policy, today=today)
    assert len(open_followups(db, c["id"])) == 1
    with pytest.raises(Conflict, match="not archived"), db.write() as s:
        cs.restore_customer(s, actor=team["alice"], ref="C0001", policy=policy, today=today)
    assert len(events(db, "customer.archive")) == 1 and len(events(db, "customer.restore")) == 1


def test_sales_changes_only_own_customers_manager_any(db, team, policy, today):
    add(db, team, policy, today, owner="bob")
    with pytest.raises(NotPermitted, match="belongs to bob"):
        move(db, team, "C0001", policy=policy, today=today, step_next=True)
    with pytest.raises(NotPermitted), db.write() as s:
        cs.archive_customer(s, actor=team["fay"], ref="C0001", policy=policy, today=today)
    assert move(db, team, "C0001", "mia", policy=policy, today=today, step_next=True)["stage"] == (
        "contacted"
    )


# ----------------------------------------------------------------------------- list, show


def codes(db, today, **kw):
    with db.read() as s:
        return [r["code"] for r in cs.list_customers(s, today=today, **kw)]


def test_list_filters_search_and_sort(db, team, policy, today):
    add(
        db,
        team,
        policy,
        today,
        name="华信科技有限公司",
        grade="A",
        tags=["vip"],
        contacts=["张伟, 采购经理, 138-0013-8000, Zhang.Wei@HuaXin.cn"],
    )
    add(
        db,
        team,
        policy,
        today,
        name="ACME Trading Co.",
        grade="C",
        owner="bob",
        contacts=["Ｌｉ Ｌｅｉ, buyer"],
    )
    add(db, team, policy, today, name="东方电子", grade="B", stage="needs")
    assert codes(db, today, grade="a") == ["C0001"]
    assert codes(db, today, stage="needs") == ["C0003"]
    assert codes(db, today, owner="bob") == ["C0002"]
    assert codes(db, today, tag="VIP") == ["C0001"]
    assert codes(db, today, search="华信") == ["C0001"]
    assert codes(db, today, search="ａｃｍｅ trading") == ["C0002"]
    assert codes(db, today, search="acme-trading") == ["C0002"]
    assert codes(db, today, search="zhang.wei@huaxin") == ["C0001"]
    assert codes(db, today, search="13800138000") == ["C0001"]
    assert codes(db, today, search="0013 8000") == ["C0001"]
    assert codes(db, today, search="li lei") == ["C0002"]
    assert codes(db, today, search="张伟") == ["C0001"]
    assert codes(db, today, search="nothing") == []
    assert codes(db, today, sort="name")[0] == "C0002"  # Latin before CJK in every collation
    assert codes(db, today, sort="grade") == ["C0001", "C0003", "C0002"]
    assert codes(db, today, sort="stage") == ["C0001", "C0002", "C0003"]
    assert codes(db, today, sort="next-due") == ["C0001", "C0003", "C0002"]
    assert codes(db, today, limit=2) == ["C0001", "C0002"]
    with pytest.raises(Invalid, match="accepted: name, code"):
        codes(db, today, sort="size")
    with db.read() as s:
        row = next(cs.list_customers(s, today=today, grade="A"))
    assert {
        "id",
        "code",
        "name",
        "grade",
        "stage",
        "owner",
        "industry",
        "region",
        "potential",
        "intent",
        "tags",
        "next_due",
        "last_contact",
    } <= set(row)
    assert row["owner"] == "alice" and row["tags"] == ["vip"]


def test_list_overdue(db, team, policy, today):
    add(db, team, policy, today, name="甲", grade="A")
    add(db, team, policy, today, name="乙", grade="C")
    later = date(2026, 12, 2)
    assert codes(db, later, overdue=True) == ["C0001"]
    assert codes(db, today, overdue=True) == []


def test_show_has_contracts_followups_and_interactions(db, team, policy, today):
    c = add(db, team, policy, today, contacts=["张伟, zw@x.cn"])
    add_contract(db, c["id"], team["alice"], today, number="HT-2026-0001")
    with db.read() as s:
        shown = cs.show_customer(s, ref="华信", today=today)
    assert shown["contracts"][0]["number"] == "HT-2026-0001"
    assert shown["contracts"][0]["amount"] == Decimal("120000.00")
    assert shown["next_followup"]["kind"] == "first_contact"
    assert shown["followups"][0]["status"] == "open" and shown["interactions"] == []
    assert shown["contacts"][0]["primary"] is True


def test_lookup_by_id_code_name_and_ambiguity(db, team, policy, today):
    add(db, team, policy, today, name="华信科技")
    add(db, team, policy, today, name="华信物流")
    with db.read() as s:
        assert find_customer(s, "1").code == "C0001"
        assert find_customer(s, "c0002").name == "华信物流"
        assert find_customer(s, "华信物流").code == "C0002"
        with pytest.raises(Invalid, match="ambiguous; it could be C0001 华信科技, C0002 华信物流"):
            find_customer(s, "华信")
        with pytest.raises(NotFound):
            find_customer(s, "nobody")


def test_inactive_actor_cannot_write(db, team, policy, today):
    user = add_user(db, "zoe", "sales")
    user.active = False
    with pytest.raises(NotPermitted, match="deactivated"), db.write() as s:
        cs.add_customer(
            s, actor=user, name="X", grade="B", owner="alice", policy=policy, today=today
        )


# ----------------------------------------------------------------------------- the package


def test_every_public_name_of_the_package_modules_is_importable_from_the_package():
    import importlib

    for module_name in cs.MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert getattr(cs, name) is getattr(module, name), (module_name, name)
    with pytest.raises(AttributeError):
        cs.no_such_name  # noqa: B018


def test_the_declared_views_load_without_the_database_layer():
    import subprocess
    import sys

    code = (
        "import sys; import bizops.cli.customers; "
        "assert 'sqlalchemy' not in sys.modules, sorted(m for m in sys.modules if 'sql' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_row_builder_writes_follow_ups_as_the_follow_up_service_reads_them():
    from bizops.domain import customer_rows
    from bizops.services import followups

    assert (customer_rows.OPEN, customer_rows.FIRST_CONTACT, customer_rows.CADENCE) == (
        followups.OPEN,
        followups.FIRST_CONTACT,
        followups.CADENCE,
    )
