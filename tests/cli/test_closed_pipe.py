"""`bizops audit log | head -1` under `set -o pipefail`: the reader closing the pipe early is
not an error, in any format."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import run_cli

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("pipe")
    db = str(home / "demo.db")
    done = run_cli(str(home / "own.db"), "--today", "2026-11-27", "demo", "--db", db)
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_reader_that_stops_early_is_not_an_error(demo: str, fmt: str, tmp_path: Path) -> None:
    command = (
        f"set -o pipefail; {sys.executable} -m bizops --db {demo} --as admin audit log "
        f"--limit 0 --format {fmt} | head -1"
    )
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1
    assert "Error" not in done.stderr and "Traceback" not in done.stderr
