"""The real `bizops` command line in child processes, as people at several desks run it."""

from __future__ import annotations

import os
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
