"""Data shipped with the package: the default policy, templates, clauses, demo data."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def path(*parts: str) -> Traversable:
    """A file inside the shipped library."""
    node = resources.files(__name__)
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")
