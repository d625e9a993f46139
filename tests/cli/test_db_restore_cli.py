"""`bizops db restore` on the command line: exit 4 for a non-admin, in English and Chinese."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import one_error_line


def test_restore_by_a_non_admin_is_exit_4(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli_admin("--as", "root", "user", "add", "alice", "-r", "sales").exit_code == 0
    copy = tmp_path / "copy.db"
    assert cli_admin("db", "backup", copy).exit_code == 0
    line = one_error_line(cli_admin("--as", "alice", "db", "restore", copy, "--force"), 4)
    assert "only an admin may restore a database; alice is not an admin" in line
    line = one_error_line(
        cli_admin("--lang", "zh", "--as", "alice", "db", "restore", copy, "--force"), 4
    )
    assert "只有管理员可以恢复数据库" in line
    r = cli_admin("--as", "root", "db", "restore", copy, "--force")
    assert r.exit_code == 0 and "The database replaced is kept as" in r.stdout
    events = cli_admin("audit", "log", "--format", "json").stdout
    assert '"db.restore"' in events
