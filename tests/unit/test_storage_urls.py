"""A database URL whose driver is not installed is a clear error naming the extra to install."""

from __future__ import annotations

import sys

import pytest

from bizops.domain.errors import Invalid
from bizops.store.engine import Database


def test_postgresql_without_its_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(Invalid, match=r"pip install 'bizops\[postgres\]'"):
        Database("postgresql+psycopg://someone@localhost/bizops").engine  # noqa: B018
