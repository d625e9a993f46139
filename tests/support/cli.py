"""The command line in-process (what the ``cli`` fixture gives), and reading what it printed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from typer.testing import CliRunner


class Cli:
    """Runs the real command line in-process, with its own database from the autouse fixture."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Any:
        from bizops.cli.app import app

        result = self.runner.invoke(app, [str(a) for a in args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


def one_error_line(result: Any, code: int) -> str:
    """The first line of a refusal: ``code`` as the exit code, "Error: " first, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    first = result.stderr.splitlines()[0]
    return first


@contextmanager
def built_demo(home: Path, day: str) -> Iterator[Path]:
    """The demo built by the CLI on ``day`` in ``home``, in English; its database's path."""
    from bizops.cli.app import app
    from bizops.cli.context import reset_state
    from tests.support.databases import shared_audit_key

    target = home / "demo.db"
    env = {"BIZOPS_HOME": str(home), "BIZOPS_DB": str(home / "own.db"), "BIZOPS_LANG": "en"}
    with shared_audit_key(home):  # the demo's audit chain is sealed with this key
        result = CliRunner().invoke(app, ["--today", day, "demo", "--db", str(target)], env=env)
        assert result.exit_code == 0, result.output
        reset_state()
        yield target
