"""Text, Markdown and HTML reports written piece by piece: the same text as the whole
document, each report taken only when the document reaches it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bizops.reports.daily import DailyReport
from bizops.reports.render import render_daily, stream_daily
from bizops.services import reports as svc
from tests.support.report_scenario import make_report_scenario


@pytest.fixture
def reports(db, team, policy, today) -> list[DailyReport]:
    make_report_scenario(db, team, policy)
    with db.read() as s:
        return svc.daily_reports(s, actor=team["mia"], policy=policy, today=today, everyone=True)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_pieces_make_the_whole_document(reports, fmt):
    assert len(reports) > 2
    whole = render_daily(reports, fmt, today="2026-11-27")
    assert "".join(stream_daily(iter(reports), fmt, today="2026-11-27")) == whole
    assert "".join(stream_daily(iter([]), fmt, today="2026-11-27")) == render_daily(
        [], fmt, today="2026-11-27"
    )


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_each_report_is_taken_when_the_document_reaches_it(reports, fmt):
    taken: list[str] = []

    def lazily() -> Iterator[DailyReport]:
        for r in reports:
            taken.append(r["user"])
            yield r

    seen = ""
    for piece in stream_daily(lazily(), fmt, today="2026-11-27"):
        seen += piece
        # No report is taken before the text before it is out (one ahead at most).
        written = sum(1 for r in reports if r["name"] in seen)
        assert len(taken) <= written + 2
    assert taken == [r["user"] for r in reports]
