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


def run_in_terminal(
    args: list[str], *, columns: int, lines: int = 50, env: dict[str, str] | None = None
) -> str:
    """Run ``python -m bizops ARGS`` in a pseudo-terminal of ``columns`` x ``lines`` (as a
    person at a terminal of that size would), and return the screen's text, colours removed."""
    import fcntl
    import pty
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
        os.environ.update(env or {})
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
        os.execv(sys.executable, [sys.executable, "-m", "bizops", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    screen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    text = screen.decode("utf-8", "replace").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
