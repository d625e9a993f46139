"""Reading what the command line printed."""

from __future__ import annotations

from typing import Any


def one_error_line(result: Any, code: int) -> str:
    """The first line of a refusal: ``code`` as the exit code, "Error: " first, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    first = result.stderr.splitlines()[0]
    return first
