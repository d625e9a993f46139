"""Every command that writes a file refuses, before it reads or writes anything, a target that
is the database or one of its files (also through ``..`` or a symlink), a directory or a
device; a target the system will not let it write is exit 2 with the system's reason."""

from __future__ import annotations

import builtins
import io
import os
import stat
from pathlib import Path

import pytest

from tests.support.cli import one_error_line

SALES = [
    "--set", "goods_name=数控车床 CK6150", "--set", "quantity=2",
    "--set", "delivery_date=2027-01-15", "--set", "delivery_place=苏州工业园区星湖街1号",
]  # fmt: skip


def _database() -> Path:
    return Path(os.environ["BIZOPS_DB"])


def _intact(cli) -> None:  # type: ignore[no-untyped-def]
    """The database still opens, passes its check and holds its users."""
    with open(_database(), "rb") as handle:
        assert handle.read(16) == b"SQLite format 3\x00"
    assert cli("db", "check").exit_code == 0


@pytest.fixture
def world(cli_admin):  # type: ignore[no-untyped-def]
    cli = cli_admin
    assert cli("--as", "root", "user", "add", "alice", "--role", "sales").exit_code == 0
    r = cli("--as", "alice", "customer", "add", "华东机械制造有限公司", "--grade", "A")
    assert r.exit_code == 0, r.output
    r = cli(
        "--as", "alice", "contract", "new", "--customer", "C0001", "--type", "sales",
        "--title", "数控机床", "--amount", "120万", "--risk", "low", "--start", "2026-12-01",
        "--end", "2027-11-30", "--template", "sales-zh", *SALES,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return cli


def test_a_contract_draft_never_replaces_the_database(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    link = tmp_path / "draft.md"
    link.symlink_to(_database())
    line = one_error_line(
        world("--as", "alice", "contract", "draft", "HT-2026-0001", "-o", link), 2
    )
    assert "is the bizops database" in line
    around = _database().parent / "sub" / ".." / f"{_database().name}-wal"
    (_database().parent / "sub").mkdir()
    r = world("--as", "alice", "contract", "draft", "HT-2026-0001", "-f", "md", "-o", around)
    assert "is the bizops database" in one_error_line(r, 2)
    _intact(world)


def test_import_rejects_and_errors_never_replace_the_database(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text("name,grade,owner\n,A,root\nGood Co,A,root\n", encoding="utf-8")
    link = tmp_path / "rejects.csv"
    link.symlink_to(_database())
    r = cli_admin("customer", "import", source, "--skip-invalid", "--rejects", link)
    assert "--rejects: " in one_error_line(r, 2) and "is the bizops database" in r.stderr
    r = cli_admin("customer", "import", source, "--errors", f"{_database()}-shm")
    assert "--errors: " in one_error_line(r, 2)
    r = cli_admin("customer", "import", source, "--errors", tmp_path)
    assert "is a directory" in one_error_line(r, 2)
    _intact(cli_admin)
    assert cli_admin("customer", "list", "--format", "json").stdout.strip() == "[]"


def test_a_backup_never_replaces_the_database_a_device_or_a_directory(
    cli_admin, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    database = _database()
    for target in (database, database.parent / "x" / ".." / database.name, f"{database}.bak"):
        (database.parent / "x").mkdir(exist_ok=True)
        line = one_error_line(cli_admin("db", "backup", "--force", target), 2)
        assert "is the bizops database" in line
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    line = one_error_line(cli_admin("db", "backup", "--force", pipe), 2)
    assert "is not a regular file" in line
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # the node is still there
    assert "is a directory" in one_error_line(cli_admin("db", "backup", "--force", tmp_path), 2)
    _intact(cli_admin)


def test_config_init_and_demo_never_replace_the_database_or_a_device(
    cli_admin, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin("config", "init", "--force", _database())
    assert "is the bizops database" in one_error_line(r, 2)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert "not a regular file" in one_error_line(cli_admin("demo", "--db", pipe, "--force"), 2)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    r = cli_admin("demo", "--db", f"{_database()}-wal", "--force")
    assert "your own database" in one_error_line(r, 5)
    _intact(cli_admin)


def test_an_unwritable_target_is_exit_2_with_the_system_reason(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Tests run as root, who may write anywhere: the system's refusal is simulated.
    real_open = builtins.open

    def refusing_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "w" in mode and str(file).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setattr(io, "open", refusing_open)
    r = world("--as", "alice", "customer", "list", "-o", tmp_path / "list.csv")
    assert one_error_line(r, 2).endswith("Permission denied")
    r = world("--as", "alice", "report", "daily", "-o", tmp_path / "daily.txt")
    assert one_error_line(r, 2).endswith("Permission denied")
    r = world("--as", "alice", "contract", "draft", "HT-2026-0001", "-o", tmp_path / "d.md")
    assert one_error_line(r, 2).endswith("Permission denied")


def test_every_other_writer_refuses_the_database_files(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wal = f"{_database()}-wal"
    link = tmp_path / "out.md"
    link.symlink_to(_database())
    commands = [
        ("--as", "alice", "customer", "list", "--format", "csv", "-o", wal),
        ("--as", "alice", "customer", "export", "--format", "csv", "-o", wal),
        ("--as", "alice", "report", "daily", "-o", link),
        ("--as", "alice", "followups", "ics", "-o", wal),
        ("--as", "alice", "template", "render", "email-manufacturing-zh", "--customer", "C0001",
         "-o", link),
        ("--as", "alice", "contract", "show", "HT-2026-0001", "--format", "json", "-o", wal),
    ]  # fmt: skip
    for command in commands:
        assert "is the bizops database" in one_error_line(world(*command), 2), command
    _intact(world)
