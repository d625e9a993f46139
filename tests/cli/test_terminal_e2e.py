"""`bizops followups due` in a real pseudo-terminal of 80 columns, as a rep sees it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.support.processes import run_cli, run_in_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")

DAY = "2026-11-27"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("tty")
    db = str(home / "demo.db")
    done = run_cli(str(home / "own.db"), "--today", DAY, "demo", "--db", db)
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("language", ["en", "zh"])
def test_followups_due_at_80_columns(demo: str, language: str, tmp_path: Path) -> None:
    args = ["--db", demo, "--today", DAY, "--as", "zhangwei", "--lang", language]
    env = {"BIZOPS_PAGER": "", "NO_COLOR": "1", "BIZOPS_HOME": str(tmp_path)}
    screen = run_in_terminal([*args, "followups", "due"], columns=80, env=env)
    lines = screen.splitlines()
    assert lines, screen
    assert all(cell_len(line) <= 80 for line in lines), screen
    header = next(line for line in lines if "┃" in line)
    for word in {"en": ("Customer", "Due", "Overdue"), "zh": ("客户", "到期日", "逾期")}[language]:
        assert word in header, screen
    assert "Overdu\n" not in screen and "Overdu " not in screen  # no header cut in two
    assert any(line.startswith(" ! ") for line in lines), screen
    footer = " ".join(lines[-3:])
    assert ("overdue" if language == "en" else "逾期") in footer, screen
