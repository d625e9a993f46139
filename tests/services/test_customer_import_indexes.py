"""A large import into a small database builds the indexes after its rows (SQLite): the schema
it leaves is the one it found, and a failed import leaves it too."""

import pytest
from sqlalchemy import event, text

from bench.import_customers import OWNERS, write_csv
from bizops.domain.errors import Invalid, StorageError
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
    # A second import of fewer rows than twice the customers on record keeps them:
    # rebuilding every customer's entries would cost more than it saves.
    dropped.clear()
    path = tmp_path / "500.csv"
    write_csv(path, 500, seed=7)
    _import(db, team, policy, today, path, skip_invalid=True)
    assert dropped == []


def test_a_failed_import_leaves_the_indexes(
    db, team, policy, today, tmp_path, dropped, monkeypatch
):
    """Rows are written chunk by chunk until the first bad row: the indexes were dropped,
    and rolling back the import restores them."""
    monkeypatch.setattr(import_writer, "BATCH", 20)
    for login in OWNERS:
        add_user(db, login, "sales")
    before = _indexes(db)
    path = tmp_path / "600.csv"
    bad = write_csv(path, 600, bad_lines=3)
    assert min(bad) > 22  # a chunk is written before the first bad row
    with pytest.raises(Invalid):
        _import(db, team, policy, today, path)
    assert count_rows(db, Customer) == 0
    assert _indexes(db) == before
    assert bool(dropped) == db.is_sqlite


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse BEFORE INSERT ON customers WHEN NEW.id = 300 "
        "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.id = 300 THEN "
        "RAISE EXCEPTION 'refused by the database'; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER refuse BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}


def test_a_write_the_database_refuses_fails_the_import_as_a_whole(
    db, team, policy, today, tmp_path, dropped, monkeypatch
):
    """The database refuses the 300th customer mid-chunk: the import stops with the
    database's reason, nothing is written, and the indexes are as they were."""
    monkeypatch.setattr(import_writer, "BATCH", 128)  # the refusal comes in the third chunk
    for login in OWNERS:
        add_user(db, login, "sales")
    with db.write() as s:
        for statement in REFUSE["sqlite" if db.is_sqlite else "postgresql"]:
            s.execute(text(statement))
    before = _indexes(db)
    path = tmp_path / "600.csv"
    write_csv(path, 600)
    with pytest.raises(StorageError, match="refused by the database"):
        _import(db, team, policy, today, path)
    assert count_rows(db, Customer) == 0
    assert _indexes(db) == before


def test_an_import_that_writes_no_row_leaves_the_schema_alone(
    db, team, policy, today, tmp_path, dropped
):
    """Every row bad, with --skip-invalid: nothing is written, so no index is dropped."""
    for login in OWNERS:
        add_user(db, login, "sales")
    path = tmp_path / "bad.csv"
    path.write_text("name,grade,owner\n" + "".join(f"Co {i},Z,alice\n" for i in range(300)))
    result = _import(db, team, policy, today, path, skip_invalid=True)
    assert (result.imported, result.rejected) == (0, 300)
    assert dropped == []
