"""The entry point of the `bizops` command."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer and the command tree load: a version check costs nothing.
        from bizops import __version__

        sys.stdout.write(f"bizops {__version__}\n")
        return
    from bizops.cli.app import app

    app()
