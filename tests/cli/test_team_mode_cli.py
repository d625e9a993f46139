"""Team mode through the command line: each person runs bizops with their own database
login, and the login decides who acts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.cli import Cli, one_error_line
from tests.support.pg import needs_pg
from tests.support.team import PASSWORD, Team, drop_logins, team_database, unique_login

pytestmark = needs_pg


@pytest.fixture
def team(pg_url: str) -> Iterator[Team]:
    with team_database(pg_url, {"sales": ["sales"], "manager": ["manager"]}) as made:
        yield made


def test_a_member_writes_as_their_own_user(cli: Cli, team: Team) -> None:
    result = cli("--db", team.url("sales"), "customer", "add", "华东机械", "--grade", "B")
    assert result.exit_code == 0, result.output
    with team.raw("root").connect() as conn:
        row = conn.execute(
            text("SELECT actor, db_login FROM audit_events WHERE action = 'customer.add'")
        ).one()
    assert tuple(row) == (team.logins["sales"], team.logins["sales"])


def test_as_someone_else_is_refused_for_a_member(cli: Cli, team: Team) -> None:
    other = team.logins["manager"]
    result = cli("--db", team.url("sales"), "--as", other, "customer", "add", "X", "--grade", "B")
    assert "only an admin may act as another user" in one_error_line(result, 4)
    zh = cli("--lang", "zh", "--db", team.url("sales"), "--as", other, "customer", "list")
    assert "只有管理员可以代他人操作" in one_error_line(zh, 4)


def test_an_admin_acting_as_someone_records_both(cli: Cli, team: Team) -> None:
    sales = team.logins["sales"]
    result = cli(
        "--db", team.url("root"), "--as", sales, "customer", "add", "代录客户", "--grade", "B"
    )
    assert result.exit_code == 0, result.output
    log = json.loads(cli("--db", team.url("root"), "audit", "log", "-f", "json").stdout)
    assert log[0]["actor"] == sales
    with team.raw("root").connect() as conn:
        admin = conn.execute(
            text("SELECT acting_admin FROM audit_events ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    assert admin == team.logins["root"]


def test_writes_on_another_day_need_an_admin(cli: Cli, team: Team) -> None:
    args = ("customer", "add", "回溯客户", "--grade", "B")
    refused = cli("--db", team.url("sales"), "--today", "2026-01-05", *args)
    assert "--today" in one_error_line(refused, 4)
    reads = cli("--db", team.url("sales"), "--today", "2026-01-05", "customer", "list")
    assert reads.exit_code == 0, reads.output
    assert cli("--db", team.url("root"), "--today", "2026-01-05", *args).exit_code == 0


def test_an_unlinked_login_is_refused(cli: Cli, team: Team, pg_url: str) -> None:
    name = unique_login("stranger")
    with team.raw("root").connect() as conn:
        conn.execute(text("SELECT 1"))
    from sqlalchemy import create_engine

    from tests.support.pg import server_url

    dba = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    try:
        with dba.connect() as conn:
            conn.execute(
                text(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}' IN ROLE bizops_member")
            )
        from sqlalchemy.engine import make_url

        url = make_url(pg_url).set(username=name, password=PASSWORD).render_as_string(False)
        assert "is not a bizops user" in one_error_line(cli("--db", url, "customer", "list"), 4)
    finally:
        dba.dispose()
        drop_logins([name])


def test_user_add_creates_the_login_and_deactivate_disables_it(
    cli: Cli, team: Team, tmp_path: Path
) -> None:
    name = unique_login("newrep")
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    try:
        added = cli(
            "--db", team.url("root"), "user", "add", name, "--role", "sales",
            "--db-login", "--password-file", str(secret),
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        team.logins["newrep"] = name
        listed = cli("--db", team.url("newrep"), "customer", "list", "-f", "json")
        assert listed.exit_code == 0, listed.output
        assert cli("--db", team.url("root"), "user", "deactivate", name).exit_code == 0
        with team.raw("root").connect() as conn:
            can = conn.execute(
                text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": name}
            ).scalar_one()
        assert can is False
    finally:
        team.close()
        drop_logins([name])


def test_a_member_cannot_add_users(cli: Cli, team: Team) -> None:
    result = cli("--db", team.url("sales"), "user", "add", "evil", "--role", "admin")
    assert one_error_line(result, 4)


def test_setup_roles_on_sqlite_is_refused(cli_admin: Cli) -> None:
    assert "PostgreSQL" in one_error_line(cli_admin("db", "setup-roles"), 2)


def test_audit_verify_deep_and_anchor_as_a_member(cli: Cli, team: Team) -> None:
    anchor = cli("--db", team.url("manager"), "audit", "anchor").stdout.strip()
    assert anchor.startswith("3:")
    result = cli("--db", team.url("sales"), "audit", "verify", "--anchor", anchor)
    assert result.exit_code == 0, result.output
    assert "All 1 anchor(s) hold." in result.stdout
