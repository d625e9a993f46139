"""Team mode: PostgreSQL's row-level security enforces the visibility rule for member logins,
from psql as through bizops, and the pool and the duplicate check still work under it.

Every test connects as member logins (two sales reps, a manager) and an admin, never as the
harness's superuser, which bypasses row-level security.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bizops.domain.customer_fields import ContactIn
from bizops.domain.errors import Conflict, NotPermitted
from bizops.domain.policy import Policy
from bizops.services import customers, users
from bizops.services.identity import resolve_team_actor
from bizops.services.visibility import bind_scope, scope_for
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support.factories import add_customer
from tests.support.pg import needs_pg
from tests.support.team import Team, team_database

pytestmark = needs_pg


@pytest.fixture
def team(pg_url: str) -> Iterator[Team]:
    people = {"sales": ["sales"], "sales2": ["sales"], "manager": ["manager"]}
    with team_database(pg_url, people) as made:
        yield made


def me(db: Database) -> User:
    with db.read() as s:
        user = resolve_team_actor(s, None, required=True).user
        assert user is not None
        s.refresh(user)
        s.expunge(user)
    return user


@pytest.fixture
def book(team: Team, policy: Policy) -> dict[str, str]:
    """One customer of each rep (with a contact), and one in the pool."""
    today = date.today()
    mine = add_customer(
        team.db("sales"),
        name="华东电子",
        owner=team.logins["sales"],
        policy=policy,
        today=today,
        contacts=[ContactIn(name="王芳", email="wang@east.example")],
    )
    theirs = add_customer(
        team.db("sales2"),
        name="北方物流",
        owner=team.logins["sales2"],
        policy=policy,
        today=today,
        contacts=[ContactIn(name="李雷", email="li@north.example")],
    )
    pooled = add_customer(
        team.db("sales2"), name="公海客户", owner=team.logins["sales2"], policy=policy, today=today
    )
    sales2 = me(team.db("sales2"))
    with team.db("sales2").write() as s:
        customers.release_customer(
            s, actor=sales2, ref=pooled["code"], reason="not our market", policy=policy, today=today
        )
    return {"mine": mine["code"], "theirs": theirs["code"], "pool": pooled["code"]}


def codes(team: Team, person: str, sql: str = "SELECT code FROM customers") -> set[str]:
    with team.raw(person).connect() as conn:
        return set(conn.execute(text(sql)).scalars())


def test_a_sales_login_cannot_select_another_reps_customer(
    team: Team, book: dict[str, str]
) -> None:
    assert codes(team, "sales") == {book["mine"], book["pool"]}
    assert (
        codes(team, "sales", f"SELECT code FROM customers WHERE code = '{book['theirs']}'") == set()
    )
    contacts = codes(team, "sales", "SELECT email FROM contacts")
    assert contacts == {"wang@east.example"}
    followups = codes(
        team,
        "sales",
        "SELECT c.code FROM followups f JOIN customers c ON c.id = f.customer_id "
        "WHERE f.status = 'open'",
    )
    assert followups == {book["mine"]}
    # An UPDATE of a hidden row changes nothing.
    with team.raw("sales").begin() as conn:
        changed = conn.execute(
            text("UPDATE customers SET note = 'mine now' WHERE code = :c"), {"c": book["theirs"]}
        ).rowcount
    assert changed == 0
    assert codes(team, "root") == {book["mine"], book["theirs"], book["pool"]}


def test_a_manager_sees_their_team(team: Team, book: dict[str, str]) -> None:
    # Nobody has a team yet: the manager sees the users without a team, the whole department.
    assert codes(team, "manager") == set(book.values())
    root = me(team.db("root"))
    with team.db("root").write() as s:
        users.update_user(s, actor=root, ref=team.logins["manager"], team="east")
        users.update_user(s, actor=root, ref=team.logins["sales"], team="east")
        users.update_user(s, actor=root, ref=team.logins["sales2"], team="west")
    assert codes(team, "manager") == {book["mine"], book["pool"]}
    assert codes(team, "sales2") == {book["theirs"], book["pool"]}


def test_the_stored_policy_decides_the_reach(
    team: Team, book: dict[str, str], policy: Policy
) -> None:
    from bizops.services.policy import default_policy_data
    from bizops.services.policy_versions import apply_policy_data

    data = default_policy_data()
    data["visibility"]["sales"] = "all"
    with team.db("root").write() as s:
        apply_policy_data(s, actor=me(team.db("root")), data=data, source="test")
    assert codes(team, "sales") == set(book.values())


def test_through_bizops_a_hidden_customer_is_refused_and_left_out(
    team: Team, book: dict[str, str], policy: Policy
) -> None:
    today = date.today()
    with team.db("sales").read() as s:
        # Even without bizops's own scope, the database leaves the row out.
        listed = {r["code"] for r in customers.list_customers(s, today=today)}
        assert listed == {book["mine"], book["pool"]}
        with pytest.raises(NotPermitted, match="may not see customer") as caught:
            customers.show_customer(s, ref=book["theirs"], today=today)
        assert caught.value.exit_code == 4
    with team.db("sales").read() as s:
        bind_scope(s, scope_for(s, me(team.db("sales")), policy))
        exported = {r["code"] for r in customers.export_rows(s, scope="all")}
        assert exported == {book["mine"], book["pool"]}


def test_the_duplicate_check_reads_the_whole_table(
    team: Team, book: dict[str, str], policy: Policy
) -> None:
    with pytest.raises(Conflict, match=f"a customer of {team.logins['sales2']}") as caught:
        add_customer(
            team.db("sales"),
            name="北方物流",
            owner=team.logins["sales"],
            policy=policy,
            today=date.today(),
        )
    assert book["theirs"] not in str(caught.value)
    assert codes(team, "root", "SELECT name FROM customers WHERE name = '北方物流'") == {"北方物流"}


def test_a_sales_login_claims_from_the_pool(
    team: Team, book: dict[str, str], policy: Policy
) -> None:
    sales = me(team.db("sales"))
    with team.db("sales").write() as s:
        customers.claim_customer(
            s, actor=sales, ref=book["pool"], policy=policy, today=date.today()
        )
    assert codes(team, "sales2") == {book["theirs"]}
    with team.db("sales").write() as s, pytest.raises(NotPermitted):
        # Another rep's customer is not even visible to claim.
        customers.claim_customer(
            s, actor=sales, ref=book["theirs"], policy=policy, today=date.today()
        )


def test_only_an_admin_login_stores_a_policy_version(team: Team, book: dict[str, str]) -> None:
    with pytest.raises(DBAPIError) as caught, team.raw("manager").begin() as conn:
        conn.execute(
            text(
                "INSERT INTO policy_versions (version, data, applied_by, applied_at) "
                "VALUES (99, '', 'mallory', now())"
            )
        )
    assert getattr(caught.value.orig, "sqlstate", None) == "42501"
    with team.raw("sales").begin() as conn, pytest.raises(DBAPIError):
        conn.execute(text("UPDATE policy_versions SET data = ''"))


def test_a_contracts_money_and_records_go_with_the_contract(
    team: Team, book: dict[str, str], policy: Policy
) -> None:
    """From psql, a rep reads none of another rep's invoices, receipts, payments, write-offs,
    allocations or drafts: each table is narrowed with the contract it belongs to."""
    from sqlalchemy import create_engine

    from tests.support.factories import new_contract

    sales2 = me(team.db("sales2"))
    theirs = new_contract(
        team.db("sales2"), actor=sales2, customer=book["theirs"], policy=policy, today=date.today()
    )
    dba = create_engine(team.dba_url)
    team.engines.append(dba)
    rows = {
        "milestones": "INSERT INTO milestones (contract_id, kind, due, amount) "
        "VALUES (:c, 'payment', '2026-12-31', 10000) RETURNING id",
        "invoices": "INSERT INTO invoices (contract_id, type, amount, status, requested_on, "
        "requested_by) VALUES (:c, 'normal', 10000, 'requested', '2026-12-01', 'x') RETURNING id",
        "receipts": "INSERT INTO receipts (contract_id, amount, applied, advance, received_on, "
        "method, recorded_on, recorded_by) VALUES (:c, 10000, 10000, 0, '2026-12-01', "
        "'transfer', '2026-12-01', 'x') RETURNING id",
        "payments": "INSERT INTO payments (contract_id, amount, due, status, requested_on, "
        "requested_by) VALUES (:c, 10000, '2026-12-31', 'requested', '2026-12-01', 'x') "
        "RETURNING id",
        "writeoffs": "INSERT INTO writeoffs (contract_id, amount, reason, status, requested_on, "
        "requested_by) VALUES (:c, 100, 'x', 'pending_approval', '2026-12-01', 'x') RETURNING id",
    }
    with dba.begin() as conn:
        cid = conn.execute(
            text("SELECT id FROM contracts WHERE number = :n"), {"n": theirs["number"]}
        ).scalar_one()
        made = {
            table: conn.execute(text(sql), {"c": cid}).scalar_one() for table, sql in rows.items()
        }
        conn.execute(
            text("INSERT INTO allocations (milestone_id, receipt_id, amount) VALUES (:m, :r, 1)"),
            {"m": made["milestones"], "r": made["receipts"]},
        )
    for table in ("milestones", "invoices", "receipts", "payments", "writeoffs", "allocations"):
        sql = f"SELECT count(*) FROM {table}"
        assert codes(team, "sales", sql) == {0}, table
        assert codes(team, "sales2", sql) == {1}, table
        assert codes(team, "root", sql) == {1}, table
