"""Snapshot files: the exact text a command prints, kept in tests/cli/snapshots/.

A test compares what it got with its file. When the text changes on purpose (a new help text,
a better translation), regenerate the files and review the diff:

    BIZOPS_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/cli/test_cli_languages.py
"""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("BIZOPS_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no snapshot {path.name}: run with BIZOPS_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} differs from snapshots/{path.name}; if the change is intended, "
        "regenerate with BIZOPS_UPDATE_SNAPSHOTS=1 and review the diff"
    )
