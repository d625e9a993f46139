"""The fast JSON writer writes exactly what the standard library writes."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

import pytest

from bizops.cli.output.json_text import json_text
from bizops.cli.output.values import jsonable


class Colour(StrEnum):
    RED = "red"


def standard(obj: object) -> str:
    return json.dumps(jsonable(obj), ensure_ascii=False, indent=2)


SAMPLES = [
    {},
    [],
    {"a": [], "b": {}, "c": [{}], "d": [[]]},
    {"text": '客户 "引号" \\ \n\t\u0000\u2028 é 🙂', "none": None, "yes": True, "no": False},
    {"n": 0, "neg": -12, "big": 10**30, "f": 1.5, "tiny": 1e-300, "e": 2.0},
    {"amount": Decimal("1234.5"), "zero": Decimal("0.00"), "neg": Decimal("-0.005")},
    {"day": date(2026, 11, 27), "at": datetime(2026, 11, 27, 8, 30, tzinfo=UTC)},
    {"rows": [{"x": 1, "y": [1, 2, (3, 4)]}, {"x": 2, "y": ()}], "as_of": date(2026, 1, 2)},
    ["a", 1, None, [True, {"k": "v"}]],
    "plain",
    42,
    None,
    # Left to the standard library: an Enum, a float that is not finite, keys not text.
    {"colour": Colour.RED},
    {"nan": float("nan"), "inf": float("-inf")},
    {1: "one", None: "none", 2.5: "x", False: "f"},
    {"nested": {"deeper": {3: [Decimal("1")]}}},
]


@pytest.mark.parametrize("obj", SAMPLES)
def test_same_text_as_the_standard_library(obj: object) -> None:
    assert json_text(obj) == standard(obj)


def test_same_text_on_random_reports() -> None:
    rnd = random.Random(7)
    values = [
        lambda: Decimal(rnd.randint(-(10**9), 10**9)).scaleb(-2),
        lambda: date(2026, rnd.randint(1, 12), rnd.randint(1, 28)),
        lambda: rnd.choice(["", "华东", 'Acme "Ltd"', "a\\b", "tab\tnew\nline"]),
        lambda: rnd.randint(-5, 5),
        lambda: None,
        lambda: rnd.random() * 1000,
    ]
    for _ in range(50):
        rows = [
            {f"k{i}": rnd.choice(values)() for i in range(rnd.randint(0, 6))}
            for _row in range(rnd.randint(0, 5))
        ]
        obj = {"rows": rows, "totals": [rows[:1], {"n": len(rows)}]}
        assert json_text(obj) == standard(obj)


def test_what_the_standard_library_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        json_text({"x": object()})
