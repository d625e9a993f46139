"""A large import into a small database builds the indexes after its rows (SQLite): the schema
it leaves is the one it found, and a failed import leaves it too."""

import pytest
from sqlalchemy import event, text

from bench.import_customers import OWNERS, write_csv
from bizops.domain.errors import Invalid
from bizops.services import customers as cs
from bizops.services.customers import import_writer
from bizops.store.models import Customer
from tests.support.factories import add_user
from tests.support.queries import count_rows


def _indexes(db):
    with db.read() as s:
        if db.is_sqlite:
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        else:
            query = "SELECT indexname, indexdef FROM pg_indexes ORDER BY indexname"
        return s.execute(text(query)).all()


@pytest.fixture
def dropped(db, monkeypatch):
    """The DROP INDEX statements the import runs; the threshold lowered to this test's file."""
    monkeypatch.setattr(import_writer, "INDEX_LATER_ROWS", 100)
    statements: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        if statement.startswith("DROP INDEX"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    yield statements
    event.remove(db.engine, "before_cursor_execute", spy)


def _import(db, team, policy, today, path, **kw):
    with db.write() as s:
        return cs.import_customers(
            s, actor=team["alice"], path=path, policy=policy, today=today, **kw
        )


def test_indexes_are_built_after_the_rows_and_left_as_they_were(
    db, team, policy, today, tmp_path, dropped
):
    for login in OWNERS:
        add_user(db, login, "sales")
    before = _indexes(db)
    path = tmp_path / "600.csv"
    write_csv(path, 600)
    assert _import(db, team, policy, today, path).imported == 600
    assert _indexes(db) == before
    assert bool(dropped) == db.is_sqlite  # PostgreSQL keeps its indexes throughout
    with db.read() as s:
        found = list(cs.list_customers(s, search="shanghai", today=today))
    assert found and all("上海" in row["name"] for row in found)
    # A second import as large as what is on record no longer drops them.
    dropped.clear()
    path = tmp_path / "500.csv"
    write_csv(path, 500, seed=7)
    _import(db, team, policy, today, path, skip_invalid=True)
    assert dropped == []


def test_a_failed_import_leaves_the_indexes(db, team, policy, today, tmp_path, dropped):
    for login in OWNERS:
        add_user(db, login, "sales")
    before = _indexes(db)
    path = tmp_path / "600.csv"
    write_csv(path, 600, bad_lines=3)
    with pytest.raises(Invalid):
        _import(db, team, policy, today, path)
    assert count_rows(db, Customer) == 0
    assert _indexes(db) == before
    assert bool(dropped) == db.is_sqlite
