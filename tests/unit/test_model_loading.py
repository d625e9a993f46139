"""Models load by area, on first use: a command builds only the tables it reads."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bizops.store.models as models


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_importing_the_package_builds_no_model() -> None:
    code = (
        "import sys, bizops.store.models; "
        "print(any(m.startswith('bizops.store.models.') for m in sys.modules))"
    )
    assert _run(code) == "False"


def test_every_model_is_found_and_every_table_is_in_all_tables() -> None:
    from sqlmodel import SQLModel

    tables = models.all_tables()
    for name in models.__all__:
        model = getattr(models, name)
        assert issubclass(model, SQLModel) and model.__name__ == name
        assert model.__tablename__ in tables.tables, name
    mapped = {m.class_.__name__ for m in SQLModel._sa_registry.mappers}
    assert mapped == set(models.__all__), "a model is missing from bizops.store.models._HOMES"


@pytest.mark.slow
def test_each_area_loads_the_tables_its_foreign_keys_name() -> None:
    """Loading one area alone must let SQLAlchemy resolve every foreign key of its tables
    (a flush sorts tables by them)."""
    for area in sorted(models._NEEDS):
        code = (
            "import bizops.store.models as m; from sqlmodel import SQLModel; "
            f"m._load({area!r}); "
            "[fk.column for t in SQLModel.metadata.tables.values() for fk in t.foreign_keys]; "
            "print('ok')"
        )
        assert _run(code) == "ok", area
