"""The entry point of the `bizops` command."""

from __future__ import annotations


def main() -> None:
    from bizops.cli.app import app

    app()
