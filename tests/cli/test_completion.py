"""Shell completion (Typer's --install-completion) completes groups, commands and options,
including the command groups that are built only when used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _bizops() -> list[str]:
    script = Path(sys.executable).with_name("bizops")
    if not script.exists():
        pytest.skip("the bizops console script is not installed in this environment")
    return [str(script)]


def complete(words: str) -> list[str]:
    parts = words.split(" ")
    env = {
        **os.environ,
        "_BIZOPS_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    done = subprocess.run(_bizops(), env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bizops cu", ["customer"]),
        ("bizops followups d", ["due"]),
        ("bizops followups due --ow", ["--owner"]),
        ("bizops contract dr", ["draft"]),
        ("bizops contract milestone a", ["add"]),
        ("bizops --to", ["--today"]),
    ],
)
def test_completion(words: str, expected: list[str]) -> None:
    assert complete(words) == expected


def test_install_completion_is_offered() -> None:
    done = subprocess.run([*_bizops(), "--help"], capture_output=True, text=True, check=False)
    assert "--install-completion" in done.stdout
