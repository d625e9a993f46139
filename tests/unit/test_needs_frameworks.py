"""Needs frameworks: the shipped ones load, and a badly written one is refused whole."""

from __future__ import annotations

import pytest

from bizops.documents.needs import builtin_frameworks, find_framework, parse_framework
from bizops.domain.errors import Invalid, NotFound


def test_the_general_frameworks_ship_in_both_languages() -> None:
    shipped = builtin_frameworks()
    assert {"needs-general-zh", "needs-general-en"} <= set(shipped)
    zh, en = shipped["needs-general-zh"], shipped["needs-general-en"]
    # The same questions in both languages, so answers carry over.
    assert [q.name for q in zh.questions] == [q.name for q in en.questions]
    assert zh.required == [
        "budget",
        "budget_status",
        "decision_maker",
        "decision_date",
        "pain_points",
    ]
    budget = zh.questions[0]
    assert budget.type == "money" and budget.required and budget.label and budget.help
    status = next(q for q in zh.questions if q.name == "budget_status")
    assert status.choices == ("approved", "planned", "none")
    assert [s.key for s in zh.sections] == [
        "budget",
        "decision",
        "timeline",
        "situation",
        "requirements",
    ]


def test_a_framework_is_found_by_name() -> None:
    assert find_framework("NEEDS-GENERAL-ZH").language == "zh"
    with pytest.raises(NotFound, match="needs-general-zh"):
        find_framework("needs-retail-zh")


def test_every_problem_of_a_framework_at_once() -> None:
    data = {
        "name": "general-zh",
        "language": "zh",
        "colour": "red",
        "sections": [
            {"key": "a", "title": "A", "questions": [{"name": "x", "type": "blob"}]},
            {"key": "b", "title": "B", "questions": []},
        ],
    }
    with pytest.raises(Invalid) as caught:
        parse_framework(data, where="t.toml")
    details = "\n".join(caught.value.details or [])
    assert "colour" in details and "needs-<industry>" in details
    assert "blob" in details and "at least one question" in details


def test_a_question_may_not_appear_twice() -> None:
    question = {"name": "x", "type": "text", "label": "X", "help": "x"}
    data = {
        "name": "needs-x-en",
        "language": "en",
        "sections": [
            {"key": "a", "title": "A", "questions": [question]},
            {"key": "b", "title": "B", "questions": [question]},
        ],
    }
    with pytest.raises(Invalid) as caught:
        parse_framework(data, where="t.toml")
    assert "appear twice" in "\n".join(caught.value.details or [])
