"""Every test gets its own database, data directory and policy.

Service tests take the ``db`` fixture, which runs each of them on SQLite and, when
``BIZOPS_TEST_PG_URL`` is set, a second time on a fresh PostgreSQL database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bizops.cli.context import reset_state
from bizops.domain.policy import Policy
from bizops.services.policy import default_policy
from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.models import User

PG_URL = os.environ.get("BIZOPS_TEST_PG_URL")
TODAY = date(2026, 11, 27)  # a Friday

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="BIZOPS_TEST_PG_URL is not set"),
    ),
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "bizops-home"
    home.mkdir()
    monkeypatch.setenv("BIZOPS_HOME", str(home))
    monkeypatch.setenv("BIZOPS_DB", str(home / "bizops.db"))
    for name in ("BIZOPS_CONFIG", "BIZOPS_USER", "BIZOPS_TODAY", "BIZOPS_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    reset_state()
    yield home
    reset_state()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    ensure_schema(db)
    db.dispose()
    return path


def _pg_admin_url() -> str:
    assert PG_URL
    return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
    if not PG_URL:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"bizops_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    ensure_schema(db)
    db.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_database(
    kind: str, tmp_path: Path, sqlite_template: Path, pg_template: str | None
) -> Iterator[Database]:
    if kind == "sqlite":
        path = tmp_path / "service.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"bizops_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    url = make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _pg_template: str | None,
) -> Iterator[Database]:
    """A migrated, empty database: SQLite, and PostgreSQL when configured."""
    yield from make_database(request.param, tmp_path, _sqlite_template, _pg_template)


@pytest.fixture
def policy() -> Policy:
    return default_policy()


@pytest.fixture
def today() -> date:
    return TODAY


def add_user(
    db: Database, login: str, *roles: str, limit: str | None = None, name: str | None = None
) -> User:
    """Create a user directly through the service (the first one becomes the admin)."""
    from sqlalchemy import select

    from bizops.services import users

    with db.write() as session:
        if users.count_users(session) == 0:
            users.init_admin(session, login="root", name="Root")
        admin = session.execute(select(User).where(User.login == "root")).scalar_one()
        if login != "root":
            users.add_user(
                session,
                actor=admin,
                login=login,
                name=name or login.title(),
                email=f"{login}@example.com",
                roles=list(roles) or ["sales"],
                limit=limit,
            )
        return session.execute(select(User).where(User.login == login)).scalar_one()


@pytest.fixture
def team(db: Database) -> dict[str, User]:
    """root (admin), alice and bob (sales), mia (manager), fay (finance), leo (legal), gus (gm)."""
    return {
        "root": add_user(db, "root"),
        "alice": add_user(db, "alice", "sales", name="Alice Chen"),
        "bob": add_user(db, "bob", "sales", name="Bob Li"),
        "mia": add_user(db, "mia", "manager", name="Mia Wang"),
        "fay": add_user(db, "fay", "finance", name="Fay Zhao"),
        "leo": add_user(db, "leo", "legal", name="Leo Sun"),
        "gus": add_user(db, "gus", "gm", name="Gus Zhou"),
    }


class Cli:
    """Runs the real command line in-process, with its own database from the autouse fixture."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Any:
        from bizops.cli.app import app

        result = self.runner.invoke(app, [str(a) for a in args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def cli_admin(cli: Cli) -> Cli:
    """A CLI with `bizops init --admin root` done."""
    result = cli("init", "--admin", "root")
    assert result.exit_code == 0, result.output
    return cli


def money(text: str) -> Decimal:
    return Decimal(text)
