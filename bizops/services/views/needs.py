"""The declared shapes of needs analysis results (`customer needs record|show`)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict


class NeedsAnswerRow(TypedDict):
    """One question of a framework and the customer's answer (None: not answered)."""

    section: str
    question: str
    label: str
    required: bool
    answer: Any


class NeedsSet(TypedDict):
    """One dated answer set: the framework, who recorded it, whether every required
    question is answered (``missing`` names those that are not), and the answers."""

    id: int
    framework: str
    version: int
    recorded_on: date
    recorded_by: str
    complete: bool
    missing: list[str]
    answers: dict[str, Any]
    questions: list[NeedsAnswerRow]


class NeedsView(TypedDict):
    """`customer needs show`: the latest set, and with --history the older ones, newest
    first (else an empty list)."""

    customer: str
    customer_name: str
    stage: str
    latest: NeedsSet | None
    history: list[NeedsSet]


class NeedsRecorded(TypedDict):
    """What `customer needs record` returns: the set recorded, and the stage it moved the
    customer to (None when it did not move it)."""

    customer: str
    set: NeedsSet
    moved_to: str | None
