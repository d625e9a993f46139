"""Every test gets its own database, data directory and policy.

Service tests take the ``db`` fixture, which runs each of them on SQLite and, when
``BIZOPS_TEST_PG_URL`` is set, a second time on a fresh PostgreSQL database. What the fixtures
are built from lives in tests/support.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bizops.cli.context import reset_state
from bizops.domain.policy import Policy
from bizops.i18n import set_language
from bizops.services.policy import default_policy
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support import TODAY
from tests.support.cli import Cli
from tests.support.databases import (
    BACKENDS,
    empty_database,
    migrated_pg_template,
    migrated_sqlite_file,
)
from tests.support.factories import add_team
from tests.support.pg import PG_URL, throwaway_database


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
    monkeypatch.setenv("BIZOPS_PAGER", "")  # a test that wants the pager names one
    reset_state()
    set_language("en")
    yield home
    reset_state()
    set_language("en")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_file(tmp_path_factory.mktemp("template") / "template.db")


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
    if not PG_URL:
        yield None
        return
    with migrated_pg_template() as name:
        yield name


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _pg_template: str | None,
) -> Iterator[Database]:
    """A migrated, empty database: SQLite, and PostgreSQL when configured."""
    with empty_database(request.param, tmp_path, _sqlite_template, _pg_template) as database:
        yield database


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (skipped without BIZOPS_TEST_PG_URL)."""
    if not PG_URL:
        pytest.skip("BIZOPS_TEST_PG_URL is not set")
    with throwaway_database() as url:
        yield url


@pytest.fixture
def policy() -> Policy:
    return default_policy()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def team(db: Database) -> dict[str, User]:
    """root (admin), alice and bob (sales), mia (manager), fay (finance), leo (legal), gus (gm)."""
    return add_team(db)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def cli_admin(cli: Cli) -> Cli:
    """A CLI with `bizops init --admin root` done."""
    result = cli("init", "--admin", "root")
    assert result.exit_code == 0, result.output
    return cli
