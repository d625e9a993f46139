"""Needs analysis through the services: validation, dated sets, the stage it moves, the
audit (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bizops.domain.errors import Invalid, NotPermitted
from bizops.services import customers
from bizops.store.models import AuditEvent, NeedsRecord, StageChange
from tests.support.factories import add_customer
from tests.support.queries import count_rows

FIRST = {"budget": "50万", "budget_status": "approved", "decision_maker": "王总（总经理）"}
REST = {"decision_date": "2027-01-15", "pain_points": "旺季交货经常延误"}


@pytest.fixture
def lead(db, team, policy, today):
    return add_customer(
        db, name="杭州恒通电子", owner=team["alice"], policy=policy, today=today, stage="contacted"
    )


def record(db, team, policy, today, values, who="alice", **kw):
    with db.write() as s:
        return customers.record_needs(
            s,
            actor=team[who],
            customer="C0001",
            values=values,
            policy=policy,
            today=today,
            **kw,
        )


def test_an_incomplete_set_is_kept_and_the_customer_stays(db, team, policy, today, lead) -> None:
    done = record(db, team, policy, today, FIRST)
    assert done["moved_to"] is None and done["set"]["framework"] == "needs-general-zh"
    assert done["set"]["complete"] is False
    assert done["set"]["missing"] == ["decision_date", "pain_points"]
    assert done["set"]["answers"]["budget"] == "500000.00"
    with db.read() as s:
        assert customers.show_needs(s, customer="C0001")["stage"] == "contacted"


def test_the_first_complete_set_moves_a_contacted_customer_to_needs(
    db, team, policy, today, lead
) -> None:
    record(db, team, policy, today, FIRST)
    done = record(db, team, policy, today, REST)
    # The second set holds the first one's answers with the new ones over them.
    assert done["set"]["complete"] is True and done["moved_to"] == "needs"
    assert done["set"]["answers"]["decision_maker"] == "王总（总经理）"
    with db.read() as s:
        change = s.execute(select(StageChange).order_by(StageChange.id.desc())).scalars().first()
        assert change.to_stage == "needs" and "needs analysis recorded" in change.reason
        actions = [e.action for e in s.execute(select(AuditEvent)).scalars()]
        assert actions.count("customer.needs") == 2 and "customer.stage" in actions
    # A later complete set moves nothing.
    again = record(db, team, policy, today, {"quantity": "2 台"})
    assert again["moved_to"] is None
    with db.read() as s:
        shown = customers.show_needs(s, customer="C0001", history=True)
    assert shown["stage"] == "needs" and shown["latest"]["answers"]["quantity"] == "2 台"
    assert [h["complete"] for h in shown["history"]] == [True, False]
    assert shown["latest"]["questions"][0] == {
        "section": "预算",
        "question": "budget",
        "label": "预算金额",
        "required": True,
        "answer": "500000.00",
    }


def test_bad_answers_are_refused_together_and_nothing_is_kept(
    db, team, policy, today, lead
) -> None:
    with pytest.raises(Invalid) as caught:
        record(
            db,
            team,
            policy,
            today,
            {"budget": "lots", "budget_status": "maybe", "colour": "red"},
        )
    details = "\n".join(caught.value.details or [])
    assert "budget" in details and "maybe" in details and "colour" in details
    with pytest.raises(Invalid, match="nothing to record"):
        record(db, team, policy, today, {})
    assert count_rows(db, NeedsRecord) == 0


def test_an_empty_answer_clears_it(db, team, policy, today, lead) -> None:
    record(db, team, policy, today, {**FIRST, **REST})
    done = record(db, team, policy, today, {"pain_points": ""})
    assert done["set"]["complete"] is False and done["set"]["missing"] == ["pain_points"]


def test_the_framework_is_chosen_or_kept(db, team, policy, today, lead) -> None:
    done = record(db, team, policy, today, FIRST, framework="needs-general-en")
    assert done["set"]["framework"] == "needs-general-en"
    later = record(db, team, policy, today, REST)
    assert later["set"]["framework"] == "needs-general-en" and later["set"]["complete"]
    assert Decimal(later["set"]["answers"]["budget"]) == Decimal("500000")


def test_only_those_who_may_change_the_customer_record(db, team, policy, today, lead) -> None:
    with pytest.raises(NotPermitted):
        record(db, team, policy, today, FIRST, who="bob")
    with db.read() as s:
        assert customers.show_needs(s, customer="C0001")["latest"] is None
