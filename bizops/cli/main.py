"""The entry point of the `bizops` command."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer and the command tree load: a version check costs nothing.
        from bizops import __version__

        sys.stdout.write(f"bizops {__version__}\n")
        return
    if sys.argv[-1:] in (["--help"], ["-h"]):
        from bizops.cli.helpcache import is_help_request, show_help

        if is_help_request(sys.argv[1:]):
            # A help page as it was last drawn in the same setting, without loading Typer.
            show_help(sys.argv[1:], _app)
            return
    _app()


def _app() -> None:
    from bizops.cli.app import app

    app()
