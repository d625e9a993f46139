"""Rendering the daily report: Jinja2 templates shipped with the package, and JSON.

A plain (not sandboxed) environment: the templates are ours, not users'. HTML is autoescaped
and written for mail clients: inline styles, tables, no external CSS or scripts. The words
are English in the templates and pass through ``_`` (Jinja2's i18n extension, new style), so
a report speaks the interface language; the JSON is the same in every language but for the
``action`` sentences, which are for people.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bizops.domain.errors import Invalid
from bizops.i18n import _, is_chinese, ngettext
from bizops.reports.daily import NOTICE_SECTIONS, SECTION_TITLES, SECTIONS, DailyReport

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS: tuple[str, ...] = ("text", "md", "html", "json")
_EXTENSIONS = {"text": "txt", "md": "md", "html": "html"}
_TABLE_SUFFIXES = ("csv", "tsv", "xlsx", "xls")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def _md(value: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def _tag(name: str) -> Any:
    """An HTML filter that wraps its (escaped) value in ``<name>``, for a word inside a
    translated sentence: ``_("{count} item(s)").format(count=n|strong)``."""

    def wrap(value: Any) -> Markup:
        return Markup(f"<{name}>{escape(value)}</{name}>")

    return wrap


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        extensions=["jinja2.ext.i18n"],
    )
    # _ and ngettext read the language of the moment, so one environment serves every language.
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = _md
    env.filters["strong"] = _tag("strong")
    env.filters["code"] = _tag("code")
    return env


def render_daily(reports: Sequence[DailyReport], fmt: str, *, today: str | None = None) -> str:
    """The reports as text, Markdown, HTML (one document) or JSON (one object per report)."""
    if fmt == "json":
        return json_text(reports)
    day = today or (reports[0]["date"] if reports else "")
    return "".join(stream_daily(reports, fmt, today=day))


def stream_daily(reports: Iterable[DailyReport], fmt: str, *, today: str) -> Iterator[str]:
    """``render_daily``'s text, Markdown or HTML in pieces, each report taken from ``reports``
    only when the document reaches it: a caller who writes the pieces as they come holds one
    report at a time, not the team's."""
    template = environment().get_template(f"daily.{_EXTENSIONS[fmt]}.j2")
    last = ""
    for piece in template.generate(
        reports=reports,
        sections=(*SECTIONS, *NOTICE_SECTIONS),
        titles=SECTION_TITLES,
        today=today,
        lang="zh-CN" if is_chinese() else "en",
    ):
        if piece:
            last = piece
            yield piece
    if not last.endswith("\n"):
        yield "\n"


def json_text(value: Sequence[DailyReport] | DailyReport) -> str:
    """One report: indented. Several: one compact report per line, which keeps Python's fast
    C encoder (an indented dump of a whole team at 100,000 customers takes seconds)."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if not value:
        return "[]\n"
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in value)
    return f"[\n{lines}\n]\n"


def format_for(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one ``-o FILE`` names by its extension, else text."""
    if fmt:
        return fmt
    if output is not None:
        suffix = output.suffix.lower().lstrip(".")
        if suffix in _TABLE_SUFFIXES:
            # Text under a spreadsheet's name would be a broken spreadsheet.
            raise Invalid(
                _(
                    "-o: the daily report is text, md, html or json, not .{suffix}; "
                    "name the file .txt, .md, .html or .json, or give --format"
                ).format(suffix=suffix)
            )
        return {"json": "json", "md": "md", "markdown": "md", "html": "html", "htm": "html"}.get(
            suffix, "text"
        )
    return "text"
