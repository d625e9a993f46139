"""Team mode on PostgreSQL: a database with the roles set up, and member logins to connect as.

Roles are cluster-wide, so every login a test creates has a unique name and is dropped
afterwards. The harness's own role (``BIZOPS_TEST_PG_URL``) is a superuser and bypasses
row-level security: what the database enforces is shown by connecting as the member logins.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from bizops.services.identity import resolve_team_actor
from bizops.services.users import add_user, init_admin
from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.pgroles import setup_roles
from tests.support.pg import server_url

PASSWORD = "s3cret-Pw"


@dataclass
class Team:
    """A team-mode database: its URL as the DBA, and a login for each person."""

    dba_url: str
    logins: dict[str, str]  # person (root, sales, manager, ...) -> database login
    databases: list[Database] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    def url(self, person: str) -> str:
        return (
            make_url(self.dba_url)
            .set(username=self.logins[person], password=PASSWORD)
            .render_as_string(hide_password=False)
        )

    def db(self, person: str) -> Database:
        """bizops's own connection as ``person``'s login."""
        database = Database(self.url(person))
        self.databases.append(database)
        return database

    def raw(self, person: str) -> Engine:
        """A plain connection as ``person``'s login, as psql would have."""
        engine = create_engine(self.url(person))
        self.engines.append(engine)
        return engine

    def close(self) -> None:
        for database in self.databases:
            database.dispose()
        for engine in self.engines:
            engine.dispose()


def unique_login(person: str) -> str:
    return f"{person}_{uuid.uuid4().hex[:8]}"


def drop_logins(names: list[str]) -> None:
    admin = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


@contextmanager
def team_database(url: str, people: dict[str, list[str]]) -> Iterator[Team]:
    """Migrate ``url``, set up the roles, make ``root`` the admin (through the DBA's
    connection) and add each other person with their roles (through root's own login)."""
    team = Team(url, {"root": unique_login("root")})
    team.logins.update({person: unique_login(person) for person in people})
    try:
        dba = Database(url)
        ensure_schema(dba)
        with dba.engine.begin() as conn:
            setup_roles(conn)
        with dba.write() as s:
            init_admin(s, login=team.logins["root"], db_login=True, password=PASSWORD)
        dba.dispose()
        root_db = team.db("root")
        with root_db.write() as s:
            root = resolve_team_actor(s, None, required=True).user
            assert root is not None
            for person, roles in people.items():
                add_user(
                    s,
                    actor=root,
                    login=team.logins[person],
                    name=person,
                    roles=roles,
                    db_login=True,
                    password=PASSWORD,
                )
        yield team
    finally:
        team.close()
        drop_logins(list(team.logins.values()))
