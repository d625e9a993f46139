"""The listings' JSON writer: every value written as `jsonable` writes it, whatever repeats."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from bizops.cli.output.listing import write_json


def _written(rows):
    out = io.StringIO()
    count = write_json(out, rows)
    return count, out.getvalue()


def test_repeated_dates_amounts_and_moments_are_each_written_as_they_are():
    utc = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    beijing = utc.astimezone(timezone(timedelta(hours=8)))  # the same moment, equal
    rows = [
        {"due": date(2026, 11, 27), "amount": Decimal("1.0"), "at": utc},
        {"due": date(2026, 11, 27), "amount": Decimal("1.00"), "at": beijing},
        {"due": date(2026, 11, 26), "amount": None, "at": None},
    ]
    count, text = _written(rows)
    assert count == 3
    assert json.loads(text) == [
        {"due": "2026-11-27", "amount": "1.00", "at": "2026-11-27T01:00:00+00:00"},
        {"due": "2026-11-27", "amount": "1.00", "at": "2026-11-27T09:00:00+08:00"},
        {"due": "2026-11-26", "amount": None, "at": None},
    ]


def test_empty_and_layout():
    assert _written([]) == (0, "[]\n")
    assert _written([{"a": 1}, {"a": "两"}]) == (2, '[\n  {"a": 1},\n  {"a": "两"}\n]\n')
