"""Team mode on PostgreSQL: the database login is the identity, and the database itself
enforces the rules for a member's login, even from psql.

Each test connects as member logins (a sales rep, a manager) and an admin, never as the
harness's superuser, which would bypass every grant and policy.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bizops.domain.errors import NotPermitted, StorageError
from bizops.domain.policy import ApprovalRule, Policy
from bizops.services import users
from bizops.services.audit import current_anchor, parse_anchor, verify
from bizops.services.identity import check_write_date, resolve_team_actor
from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.models import User
from bizops.store.pgroles import create_roles, current_login, setup_roles
from tests.support import TODAY
from tests.support.factories import add_customer, approve, submitted_contract
from tests.support.pg import needs_pg, throwaway_database
from tests.support.team import PASSWORD, Team, drop_logins, team_database, unique_login

pytestmark = needs_pg


@pytest.fixture
def team(pg_url: str) -> Iterator[Team]:
    with team_database(pg_url, {"sales": ["sales"], "manager": ["manager"]}) as made:
        yield made


def me(db: Database) -> User:
    with db.read() as s:
        user = resolve_team_actor(s, None, required=True).user
        assert user is not None
        s.refresh(user)
        s.expunge(user)
    return user


def refused(team: Team, person: str, sql: str, **params: object) -> str:
    """Run ``sql`` as ``person``'s login like psql would: it must fail with a permission
    error; returns the error."""
    with pytest.raises(DBAPIError) as caught, team.raw(person).begin() as conn:
        conn.execute(text(sql), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value
    return str(caught.value.orig)


def scalar(team: Team, sql: str) -> object:
    with team.raw("root").connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_the_login_is_the_identity(team: Team) -> None:
    assert me(team.db("sales")).login == team.logins["sales"]
    assert me(team.db("manager")).has_role("manager")
    with team.db("sales").read() as s:
        login = current_login(s.connection())
    assert login.member and not login.privileged


def test_as_another_user_is_refused_for_a_member(team: Team) -> None:
    with team.db("sales").read() as s, pytest.raises(NotPermitted, match="only an admin"):
        resolve_team_actor(s, team.logins["manager"], required=True)
    with team.db("sales").read() as s:  # acting as oneself is fine
        assert resolve_team_actor(s, team.logins["sales"], required=True).user is not None


def test_an_admin_acting_as_someone_is_recorded_with_both(team: Team, policy: Policy) -> None:
    from bizops.services import customers

    with team.db("root").write() as s:
        acting = resolve_team_actor(s, team.logins["sales"], required=True)
        assert acting.user is not None and acting.acting_admin == team.logins["root"]
        s.info["acting_admin"] = acting.acting_admin
        customers.add_customer(
            s,
            actor=acting.user,
            name="代客户",
            grade="B",
            owner=acting.user.login,
            policy=policy,
            today=date.today(),
        )
    with team.raw("root").connect() as conn:
        row = conn.execute(
            text(
                "SELECT actor, acting_admin, db_login FROM audit_events "
                "WHERE action = 'customer.add'"
            )
        ).one()
    assert tuple(row) == (team.logins["sales"], team.logins["root"], team.logins["root"])


def test_only_an_admin_may_write_as_of_another_day(team: Team) -> None:
    real = date.today()
    with team.db("sales").read() as s:
        acting = resolve_team_actor(s, None, required=True)
    check_write_date(acting, today=real, real=real)
    with pytest.raises(NotPermitted, match="--today"):
        check_write_date(acting, today=date(2020, 1, 1), real=real)
    with team.db("root").read() as s:
        check_write_date(resolve_team_actor(s, None, required=True), today=TODAY, real=real)


def test_the_audit_table_is_insert_only_for_members(team: Team) -> None:
    before = scalar(team, "SELECT count(*) FROM audit_events")
    refused(team, "sales", "UPDATE audit_events SET actor = 'mallory'")
    refused(team, "sales", "DELETE FROM audit_events")
    refused(team, "manager", "TRUNCATE audit_events")
    assert scalar(team, "SELECT count(*) FROM audit_events") == before
    assert scalar(team, "SELECT count(*) FROM audit_events WHERE actor = 'mallory'") == 0


def test_members_never_read_the_key(team: Team) -> None:
    refused(team, "sales", "SELECT key FROM audit_chain")
    refused(team, "root", "SELECT key FROM audit_chain")
    with team.raw("sales").connect() as conn:  # the boundary is public
        assert conn.execute(text("SELECT keyed_after FROM audit_chain")).scalar_one() == 0


def test_an_event_inserted_by_hand_is_sealed_by_the_database(team: Team) -> None:
    with team.raw("sales").begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (at, actor, action, entity_type, entity_id, "
                "prev_hash, hash, db_login) VALUES (now(), 'root', 'user.add', 'user', 'x', "
                "'forged', 'forged', 'root')"
            )
        )
        row = conn.execute(
            text("SELECT hash, db_login FROM audit_events ORDER BY id DESC LIMIT 1")
        ).one()
    assert row.hash != "forged" and len(row.hash) == 64
    assert row.db_login == team.logins["sales"]  # the login, whatever the row claimed
    with team.db("manager").read() as s:
        found = verify(s)
    assert [p.problem for p in found.problems if "inserted by hand" in p.problem]


def test_a_member_verifies_the_chain_without_the_key(team: Team) -> None:
    with team.db("sales").read() as s:
        result = verify(s)
        anchor = current_anchor(s)
    assert result.ok and result.events == 3
    with team.db("manager").read() as s:
        assert verify(s, anchors=[parse_anchor(anchor["anchor"])]).ok


def test_a_rewritten_chain_fails_without_the_key(team: Team, pg_url: str) -> None:
    """Even the superuser, rewriting rows and hashes as SHA-256 would, cannot forge a seal."""
    import hashlib

    dba = Database(pg_url)
    try:
        with dba.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE audit_events SET after = '{}', "
                    "hash = :h WHERE id = (SELECT max(id) FROM audit_events)"
                ),
                {"h": hashlib.sha256(b"x").hexdigest()},
            )
    finally:
        dba.dispose()
    with team.db("sales").read() as s:
        problems = [p.problem for p in verify(s).problems]
    assert any("was edited" in p for p in problems)


def test_users_are_written_only_by_an_admin(team: Team) -> None:
    with team.raw("sales").begin() as conn:
        changed = conn.execute(
            text("UPDATE users SET roles = 'admin' WHERE login = :l"), {"l": team.logins["sales"]}
        ).rowcount
    assert changed == 0
    assert scalar(team, f"SELECT roles FROM users WHERE login = '{team.logins['sales']}'") == (
        "sales"
    )
    with pytest.raises(DBAPIError), team.raw("sales").begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (login, name, roles, active, created_at) "
                "VALUES ('evil', 'evil', 'admin', true, now())"
            )
        )


def test_approval_decisions_need_the_steps_role_and_not_ones_own(
    team: Team, policy: Policy
) -> None:
    sales_db, manager_db = team.db("sales"), team.db("manager")
    sales, manager = me(sales_db), me(manager_db)
    customer = add_customer(sales_db, name="华东机械", owner=sales, policy=policy, today=TODAY)
    # a matrix of one step: the manager, the one approver role this team has
    policy = dataclasses.replace(policy, approval_rules=(ApprovalRule("all", ("manager",)),))
    number, request = submitted_contract(
        sales_db, actor=sales, customer=customer, policy=policy, today=TODAY
    )
    step_sql = (
        "UPDATE approval_steps SET status = 'approved', decided_by = :who, decided_on = now() "
        "WHERE request_id = :r AND status = 'pending'"
    )
    # the sales rep holds no manager role, and submitted the request
    refused(team, "sales", step_sql, who=team.logins["sales"], r=request)
    # nor may anyone record a decision in another person's name
    refused(team, "sales", step_sql, who=team.logins["manager"], r=request)
    first_step = f"SELECT status FROM approval_steps WHERE request_id = {request} AND seq = 1"
    assert scalar(team, first_step) == "pending"
    # the manager may, through bizops
    approve(manager_db, actor=manager, request=request, policy=policy, today=TODAY)
    assert scalar(team, first_step) == "approved"
    # and a decided step cannot be flipped by someone else
    refused(
        team,
        "sales",
        "UPDATE approval_steps SET status = 'rejected' WHERE request_id = :r AND seq = 1",
        r=request,
    )


def test_deactivating_a_user_disables_the_login(team: Team) -> None:
    with team.db("root").write() as s:
        users.deactivate_user(s, actor=me(team.db("root")), ref=team.logins["sales"])
    can_login = scalar(
        team, f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{team.logins['sales']}'"
    )
    assert can_login is False
    with team.db("root").write() as s:
        users.update_user(s, actor=me(team.db("root")), ref=team.logins["sales"], activate=True)
    assert scalar(
        team, f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{team.logins['sales']}'"
    )


def test_a_member_cannot_create_logins(team: Team) -> None:
    name = unique_login("intruder")
    try:
        refused(team, "sales", "SELECT bizops_create_login(:n, NULL)", n=name)
        refused(team, "sales", f'CREATE ROLE "{name}" LOGIN')
    finally:
        drop_logins([name])


def test_an_old_schema_on_a_member_login_asks_for_the_dba(pg_url: str) -> None:
    from tests.support.databases import upgrade_to

    dba = Database(pg_url)
    upgrade_to(dba, "0005_customer_pinyin")
    with dba.engine.begin() as conn:  # the roles and grants of an earlier setup-roles
        create_roles(conn)
        conn.execute(text("GRANT SELECT ON alembic_version TO bizops_member"))
    name = unique_login("member")
    with dba.engine.begin() as conn:
        conn.execute(
            text(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}' IN ROLE bizops_member")
        )
    dba.dispose()
    from sqlalchemy.engine import make_url

    member = Database(
        make_url(pg_url).set(username=name, password=PASSWORD).render_as_string(False)
    )
    try:
        with pytest.raises(StorageError, match="ask the DBA to run `bizops db upgrade`"):
            ensure_schema(member)
    finally:
        member.dispose()
        drop_logins([name])


def test_setup_roles_is_idempotent_and_race_free() -> None:
    errors: list[BaseException] = []

    def run(url: str) -> None:
        try:
            db = Database(url)
            with db.engine.begin() as conn:
                setup_roles(conn)
            with db.engine.begin() as conn:
                setup_roles(conn)
            db.dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with throwaway_database() as first, throwaway_database() as second:
        for url in (first, second):  # Alembic itself is not thread-safe: migrate first
            migrated = Database(url)
            ensure_schema(migrated)
            migrated.dispose()
        threads = [threading.Thread(target=run, args=(u,)) for u in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
