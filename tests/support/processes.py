"""The real `bizops` command line in child processes, as people at several desks run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def _command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "bizops", "--db", db, *args]


def run_cli(
    db: str, *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one command to its end."""
    return subprocess.run(
        _command(db, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def start_cli(db: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start one command and leave it running."""
    return subprocess.Popen(
        _command(db, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


# What start-up must not import: the database and document stacks.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "jinja2", "psycopg", "docx", "openpyxl")


def imported_modules(*args: str) -> set[str]:
    """The top-level packages `bizops *args` imports, read from ``python -X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bizops", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+\d+ \|(\s*)(\S+)", line)
        if match:
            names.add(match.group(2).split(".")[0])
    assert "typer" in names, "importtime output was not parsed"
    return names
