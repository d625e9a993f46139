"""`bizops init`: the first admin, once."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.cli import one_error_line


def test_init_twice_is_a_conflict(cli_admin) -> None:  # type: ignore[no-untyped-def]
    assert "already initialised" in one_error_line(cli_admin("init", "--admin", "x"), 5)
    fresh = str(Path(os.environ["BIZOPS_HOME"]) / "fresh.db")
    assert "not a valid login" in one_error_line(
        cli_admin("--db", fresh, "init", "--admin", "a b"), 2
    )
    r = cli_admin("--db", fresh, "init", "--admin", "boss", "--name", "老板")
    assert r.exit_code == 0 and "with admin boss" in r.stdout
