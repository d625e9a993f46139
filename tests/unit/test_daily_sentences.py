"""The follow-up items' sentences, put together once per grade, stage, kind, purpose and due
date and shared by every customer of that kind: the same words as one sentence per row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from bizops.i18n import set_language
from bizops.reports.daily import Recipient, followup_sections
from bizops.services.policy import default_policy

TODAY = date(2026, 11, 27)
ALICE = Recipient(1, "alice", "Alice", None, ("sales",))


@pytest.fixture(params=["en", "zh"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def _row(customer: str, **kw: Any) -> dict[str, Any]:
    row = {
        "id": 1, "code": "KH-1", "customer": customer, "grade": "B", "stage": "contacted",
        "owner": "alice", "due": TODAY - timedelta(days=3), "days_overdue": 3,
        "last_contact": date(2026, 11, 1), "channel": "phone", "purpose": None,
        "kind": "cadence",
    }  # fmt: skip
    return row | kw


def _actions(rows: list[dict[str, Any]]) -> list[str]:
    overdue, due_today = followup_sections(
        rows, recipients=[ALICE], policy=default_policy(), today=TODAY
    )
    return [i["action"] for i in overdue[1] + due_today[1]]


def test_each_row_reads_as_if_its_sentence_were_its_own(language):
    names = ["Acme", "{x} Co", "A\x00B", "", "客户 {customer}"]
    kinds = [
        {},
        {"kind": "planned", "purpose": "报价"},
        {"kind": "planned", "purpose": "bad\x00purpose"},
        {"kind": "planned"},
        {"kind": "first_contact", "stage": "prospect"},
        {"kind": "first_contact", "stage": "signed"},
        {"due": TODAY},
    ]
    rows = [_row(name, **kind) for kind in kinds for name in names]
    together = _actions(rows)
    alone = [_actions([row])[0] for row in rows]
    assert together == alone
    assert all(row["customer"] in text for row, text in zip(rows, together, strict=True))
    if language == "en":
        late = "overdue 3 days, was due 2026-11-24; suggested: phone/email"
        assert together[0] == f"Call Acme (B, contacted) — {late}"
        assert together[len(names) + 1] == f"Call (报价) {{x}} Co (B, contacted) — {late}"
