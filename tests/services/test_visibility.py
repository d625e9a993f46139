"""Who may see what: own, team and all, the pool, and show refused outside (both backends)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from bizops.domain.errors import NotPermitted
from bizops.domain.policy import Policy
from bizops.reports import metrics
from bizops.services import contracts, customers, followups
from bizops.services.visibility import bind_scope, scope_for
from bizops.store.engine import Database
from bizops.store.models import Customer, User
from tests.support.factories import add_customer, new_contract


def _set_team(db: Database, login: str, team: str | None) -> None:
    with db.write() as session:
        session.execute(update(User).where(User.login == login).values(team=team))


@pytest.fixture
def book(db: Database, team: dict[str, User], policy: Policy, today: date) -> dict[str, str]:
    """alice and mia in team east, bob in no team; one customer and contract each of alice's
    and bob's, and one customer in the pool."""
    _set_team(db, "alice", "east")
    _set_team(db, "mia", "east")
    a = add_customer(db, name="华东电子", owner="alice", policy=policy, today=today)
    b = add_customer(db, name="北方物流", owner="bob", policy=policy, today=today)
    p = add_customer(db, name="公海客户", owner="bob", policy=policy, today=today)
    with db.write() as session:
        session.execute(update(Customer).where(Customer.id == p["id"]).values(owner_id=None))
    ca = new_contract(db, actor=team["alice"], customer=a, policy=policy, today=today)
    cb = new_contract(db, actor=team["bob"], customer=b, policy=policy, today=today)
    return {
        "a": a["code"],
        "b": b["code"],
        "pool": p["code"],
        "ca": ca["number"],
        "cb": cb["number"],
    }


def _read_as(db: Database, login: str, policy: Policy):  # type: ignore[no-untyped-def]
    session_cm = db.read()
    session = session_cm.__enter__()
    user = session.query(User).filter(User.login == login).one()
    bind_scope(session, scope_for(session, user, policy))
    return session_cm, session


def _codes(session, today: date) -> set[str]:  # type: ignore[no-untyped-def]
    return {r["code"] for r in customers.list_customers(session, today=today)}


def _numbers(session, today: date) -> set[str]:  # type: ignore[no-untyped-def]
    return {r["number"] for r in contracts.list_contracts(session, today=today)}


def test_a_sales_rep_sees_their_own_and_the_pool(
    db: Database, book: dict[str, str], policy: Policy, today: date
) -> None:
    cm, s = _read_as(db, "alice", policy)
    try:
        assert _codes(s, today) == {book["a"], book["pool"]}
        assert _numbers(s, today) == {book["ca"]}
        assert customers.show_customer(s, ref=book["a"], today=today)["owner"] == "alice"
        assert customers.show_customer(s, ref=book["pool"], today=today)["owner"] is None
        with pytest.raises(NotPermitted, match="may not see customer"):
            customers.show_customer(s, ref=book["b"], today=today)
        with pytest.raises(NotPermitted, match="may not see contract"):
            contracts.show_contract(s, ref=book["cb"], today=today)
        exported = {r["code"] for r in customers.export_rows(s, scope="all")}
        assert exported == {book["a"], book["pool"]}
        due = followups.due_rows(
            s, owner_ids=None, until=date(2099, 1, 1), today=today, policy=policy
        )
        assert {r["code"] for r in due} <= {book["a"], book["pool"]}
        searched = customers.list_customers(s, today=today, search="北方")
        assert list(searched) == []
        funnel = {r["stage"]: r["current"] for r in metrics.funnel(s, start=today, end=today)}
        assert sum(funnel.values()) == 2
    finally:
        cm.__exit__(None, None, None)


def test_a_manager_sees_their_team_and_all_roles_see_everything(
    db: Database, book: dict[str, str], policy: Policy, today: date
) -> None:
    cm, s = _read_as(db, "mia", policy)
    try:
        assert _codes(s, today) == {book["a"], book["pool"]}
        with pytest.raises(NotPermitted):
            customers.show_customer(s, ref=book["b"], today=today)
    finally:
        cm.__exit__(None, None, None)
    _set_team(db, "mia", None)  # a manager without a team: those without a team
    cm, s = _read_as(db, "mia", policy)
    try:
        assert _codes(s, today) == {book["b"], book["pool"]}
        assert _numbers(s, today) == {book["cb"]}
    finally:
        cm.__exit__(None, None, None)
    for login in ("fay", "leo", "gus", "root"):
        cm, s = _read_as(db, login, policy)
        try:
            assert _codes(s, today) == {book["a"], book["b"], book["pool"]}
            assert _numbers(s, today) == {book["ca"], book["cb"]}
        finally:
            cm.__exit__(None, None, None)


def test_the_policy_decides_the_reach(
    db: Database, book: dict[str, str], policy: Policy, today: date
) -> None:
    from dataclasses import replace

    wide = replace(policy, visibility={**policy.visibility, "sales": "all"})
    cm, s = _read_as(db, "alice", wide)
    try:
        assert _codes(s, today) == {book["a"], book["b"], book["pool"]}
    finally:
        cm.__exit__(None, None, None)


def test_a_duplicate_of_another_reps_customer_names_the_owner(
    db: Database, book: dict[str, str], team: dict[str, User], policy: Policy, today: date
) -> None:
    from bizops.domain.errors import Conflict

    with pytest.raises(Conflict) as info:
        add_customer(db, name="北方物流", owner="alice", policy=policy, today=today)
    assert "bob" in info.value.message


def test_a_draft_follows_visibility_and_records_nothing_when_refused(
    db: Database, book: dict[str, str], team: dict[str, User], policy: Policy, today: date
) -> None:
    """A draft shows every term: another rep may not render it (as `contract show`)."""
    from bizops.services import templates

    made = new_contract(
        db,
        actor=team["bob"],
        customer=book["b"],
        type="sales",
        amount="1200000",
        template="sales-zh",
        values={
            "goods_name": "数控车床",
            "quantity": "2",
            "delivery_date": "2027-01-15",
            "delivery_place": "苏州",
        },
        policy=policy,
        today=today,
    )
    with db.write() as s, pytest.raises(NotPermitted, match="may not see contract"):
        templates.draft_contract(
            s, actor=team["alice"], contract=made["number"], policy=policy, today=today
        )
    with db.read() as s:
        assert templates.drafts_of(s, contract_id=made["id"]) == []
    with db.write() as s:
        drafted = templates.draft_contract(
            s, actor=team["bob"], contract=made["number"], policy=policy, today=today
        )
    assert "数控车床" in drafted.text


def test_quotes_follow_visibility_in_list_show_and_draft(
    db: Database, book: dict[str, str], team: dict[str, User], policy: Policy, today: date
) -> None:
    """Another rep's quote (its customer, prices, discount) is hidden as its contract is."""
    from bizops.services import quotes
    from tests.support.factories import add_product
    from tests.support.factories import new_quote as make_quote

    add_product(db, actor=team["mia"], code="P-1", price="100.00", policy=policy, today=today)
    theirs = make_quote(
        db,
        actor=team["bob"],
        customer=book["b"],
        policy=policy,
        today=today,
        lines=({"product": "P-1", "qty": "1"},),
    )["number"]
    cm, s = _read_as(db, "alice", policy)
    try:
        assert theirs not in {r["number"] for r in quotes.list_quotes(s, today=today)}
        with pytest.raises(NotPermitted, match="may not see quote"):
            quotes.show_quote(s, ref=theirs, policy=policy, today=today)
    finally:
        cm.__exit__(None, None, None)
    with db.write() as s, pytest.raises(NotPermitted, match="may not see quote"):
        quotes.draft_quote(s, actor=team["alice"], ref=theirs, fmt="md", policy=policy, today=today)
    cm, s = _read_as(db, "bob", policy)
    try:
        assert theirs in {r["number"] for r in quotes.list_quotes(s, today=today)}
        assert quotes.show_quote(s, ref=theirs, policy=policy, today=today)["number"] == theirs
    finally:
        cm.__exit__(None, None, None)
