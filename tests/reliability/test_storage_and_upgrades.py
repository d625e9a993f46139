"""Storage: every kind of --db, first use, upgrades with data intact, newer and broken files."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bizops.store.engine import Database, resolve_url
from bizops.store.migrate import alembic_config, ensure_schema, schema_state
from bizops.store.revisions import HEAD, REVISIONS

OLD = "0002_customers"


def one_error_line(result, code: int = 1) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr.strip()


def test_revisions_match_the_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    chain = [s.revision for s in scripts.walk_revisions("base", "heads")]
    assert tuple(reversed(chain)) == REVISIONS
    assert scripts.get_heads() == [HEAD]
    for script in scripts.walk_revisions():
        if script.down_revision is not None:
            assert REVISIONS.index(script.down_revision) == REVISIONS.index(script.revision) - 1


def test_url_forms(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("sqlite:////x/y.db") == "sqlite:////x/y.db"
    assert resolve_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert resolve_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert resolve_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert resolve_url(None).endswith("/bizops.db")
    from bizops.domain.errors import Invalid

    with pytest.raises(Invalid, match="unsupported database URL"):
        resolve_url("mysql://u@h/d")
    assert Database("postgresql+psycopg://u:secret@h/d").display_url == (
        "postgresql+psycopg://u:***@h/d"
    )


@pytest.mark.parametrize("form", ["path", "url"])
def test_a_new_sqlite_database_is_created_on_first_use(cli, tmp_path: Path, form: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "新的 db" / "team.db"
    path.parent.mkdir()
    db_arg = str(path) if form == "path" else f"sqlite:///{path}"
    r = cli("--db", db_arg, "init", "--admin", "root")
    assert r.exit_code == 0, r.stderr
    assert path.exists()
    info = json.loads(cli("--db", db_arg, "db", "info", "-f", "json").stdout)
    assert info["schema"] == HEAD and info["rows"]["users"] == 1


def test_the_default_database_lives_in_the_data_directory(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "not" / "yet" / "there"
    monkeypatch.setenv("BIZOPS_HOME", str(home))
    monkeypatch.delenv("BIZOPS_DB")
    # Only `init` makes a database; any other command says where it looked.
    r = cli("user", "list", "--format", "json")
    assert r.exit_code == 3 and str(home / "bizops.db") in r.stderr
    assert not (home / "bizops.db").exists()
    assert cli("init", "--admin", "root").exit_code == 0
    r = cli("user", "list", "--format", "json")
    assert r.exit_code == 0 and [u["login"] for u in json.loads(r.stdout)] == ["root"]
    assert (home / "bizops.db").exists()


def make_old_sqlite(path: Path) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), OLD)
        fill_old(conn)
    engine.dispose()


def fill_old(conn) -> None:  # type: ignore[no-untyped-def]
    conn.execute(
        text(
            "INSERT INTO users (id, login, name, email, roles, active, created_at) VALUES "
            "(1, 'root', '管理员', NULL, 'admin', true, '2026-01-01 00:00:00'), "
            "(2, 'alice', 'Alice Chen', 'alice@example.com', 'sales', true, '2026-01-01 00:00:00')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO customers (code, name, name_key, grade, stage, owner_id, potential, "
            "stage_since, created_on, created_at) VALUES "
            "('C0001', '上海某某有限公司', '上海某某有限公司', 'A', 'proposal', 2, 50000000, "
            "'2026-01-02', '2026-01-02', '2026-01-02 00:00:00'), "
            "('C0002', 'Acme Ltd', 'acmeltd', 'B', 'prospect', 2, NULL, "
            "'2026-01-03', '2026-01-03', '2026-01-03 00:00:00')"
        )
    )
    # Each active customer has its open follow-up, as bizops keeps it (db check verifies).
    conn.execute(
        text(
            "INSERT INTO followups (customer_id, due, status, kind, created_on) "
            "SELECT id, created_on, 'open', 'first_contact', created_on FROM customers"
        )
    )


def check_upgraded(db_url: str) -> None:
    db = Database(db_url)
    assert schema_state(db).revision == HEAD
    with db.read() as s:
        users = s.execute(text("SELECT login, name FROM users ORDER BY id")).all()
        customers = s.execute(
            text("SELECT code, name, grade, stage, potential FROM customers ORDER BY id")
        ).all()
    db.dispose()
    assert [tuple(u) for u in users][:2] == [("root", "管理员"), ("alice", "Alice Chen")]
    assert [tuple(c) for c in customers] == [
        ("C0001", "上海某某有限公司", "A", "proposal", 50000000),
        ("C0002", "Acme Ltd", "B", "prospect", None),
    ]


def test_an_older_sqlite_database_is_upgraded_with_a_backup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    make_old_sqlite(path)
    assert schema_state(Database(f"sqlite:///{path}")).revision == OLD
    r = cli("--db", str(path), "user", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [u["login"] for u in json.loads(r.stdout)] == ["alice", "root"]
    check_upgraded(f"sqlite:///{path}")
    backup = path.with_name(f"old.db.before-{HEAD}.bak")
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLD
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 2
    conn.close()


def test_db_upgrade_command_on_an_older_database(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    make_old_sqlite(path)
    r = cli("--db", str(path), "db", "upgrade")
    assert r.exit_code == 0 and r.stdout.strip() == f"Upgraded schema from {OLD} to {HEAD}."
    check_upgraded(f"sqlite:///{path}")
    r = cli("--db", str(path), "db", "check")
    assert r.exit_code == 0, r.stderr


def test_a_newer_database_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "future.db"
    assert cli("--db", str(path), "init", "--admin", "root").exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    for args in (["user", "list"], ["db", "upgrade"], ["db", "info"]):
        line = one_error_line(cli("--db", str(path), *args), 1)
        assert "'9999_future'" in line and "newer than this bizops knows" in line
        assert "upgrade bizops" in line
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_future"
    conn.close()


def test_a_missing_directory_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "nope" / "x.db")
    line = one_error_line(cli("--db", target, "init", "--admin", "root"))
    assert "directory" in line and "does not exist" in line
    line = one_error_line(cli("--db", target, "user", "list"), 3)
    assert "no bizops database at" in line and "bizops init" in line


def test_a_directory_is_not_a_database(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert "it is a directory" in one_error_line(cli("--db", str(folder), "user", "list"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod")
def test_a_read_only_database_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ro" / "team.db"
    path.parent.mkdir()
    assert cli("--db", str(path), "init", "--admin", "root").exit_code == 0
    for extra in path.parent.iterdir():
        extra.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        r = cli("--db", str(path), "--as", "root", "user", "add", "bob", "-r", "sales")
        assert r.exit_code == 1 and r.stderr.startswith("Error: ")
        assert "Traceback" not in r.stderr
    finally:
        path.parent.chmod(0o755)


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(64 * 1024),
        b"hello",
        b"SQLite format 3\x00" + os.urandom(8192),
    ],
    ids=["random", "tiny", "bad-pages"],
)
def test_a_corrupt_file_is_a_clear_error(cli, tmp_path: Path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "corrupt.db"
    path.write_bytes(content)
    for args in (["user", "list"], ["db", "check"], ["db", "upgrade"]):
        line = one_error_line(cli("--db", str(path), *args))
        assert str(path) in line or "corrupt" in line or "not a" in line, line
    assert path.read_bytes() == content  # nothing was written over it


def test_tables_without_a_schema_version_are_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    assert "not a bizops database" in one_error_line(cli("--db", str(path), "user", "list"))


# --- PostgreSQL -------------------------------------------------------------------------


def test_postgresql_urls_work_and_migrate_on_first_use(cli, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    assert cli("--db", pg_url, "init", "--admin", "root").exit_code == 0
    r = cli("--db", plain, "--as", "root", "user", "add", "alice", "-r", "sales")
    assert r.exit_code == 0, r.stderr
    info = json.loads(cli("--db", pg_url, "db", "info", "-f", "json").stdout)
    assert info["backend"] == "postgresql" and info["schema"] == HEAD
    assert "bizops:bizops@" not in json.dumps(info)
    assert cli("--db", plain, "db", "check").exit_code == 0
    assert cli("--db", plain, "audit", "verify").exit_code == 0


def test_an_older_postgresql_database_is_upgraded(cli, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), OLD)
        fill_old(conn)
        # ids were given explicitly: move the sequence on as a real database would have
        conn.execute(text("SELECT setval('users_id_seq', 2)"))
    engine.dispose()
    r = cli("--db", pg_url, "--as", "root", "user", "add", "bob", "-r", "sales")
    assert r.exit_code == 0, r.stderr
    check_upgraded(pg_url)


def test_a_newer_postgresql_database_is_refused(cli, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    db = Database(pg_url)
    ensure_schema(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    assert "newer than this bizops knows" in one_error_line(cli("--db", pg_url, "user", "list"))


def test_an_unreachable_postgresql_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql://nobody:wrong@127.0.0.1:1/none"
    line = one_error_line(cli("--db", url, "user", "list"))
    assert "***" in line and "wrong" not in line
