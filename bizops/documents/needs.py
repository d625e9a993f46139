"""Needs frameworks (需求分析框架): the questions to ask a customer before proposing.

A framework is a TOML file ``needs-<industry>-<zh|en>.toml`` in the library's ``needs``
folder: ``name``, ``title``, ``language``, ``industry``, ``version``, ``description``, then
``[[sections]]`` (``key``, ``title``), each with ``[[sections.questions]]``. A question is
written as a contract template's field (name, type, required, choices, label, help, min,
max, ...) and its answers are checked the same way (bizops/documents/fields.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from bizops.documents.fields import FieldSpec, parse_schema
from bizops.domain.errors import Invalid, NotFound
from bizops.i18n import _

KIND = "needs"
LANGUAGES: tuple[str, ...] = ("zh", "en")
META_KEYS = frozenset(
    {"name", "title", "language", "industry", "version", "description", "sections"}
)
SECTION_KEYS = frozenset({"key", "title", "questions"})
_NAME = re.compile(r"^needs-[a-z0-9][a-z0-9\-]{0,80}-(zh|en)$")


@dataclass(frozen=True)
class NeedsSection:
    key: str
    title: str
    questions: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class NeedsFramework:
    name: str
    title: str
    language: str
    industry: str
    version: int
    description: str
    sections: tuple[NeedsSection, ...]

    @property
    def questions(self) -> list[FieldSpec]:
        return [q for s in self.sections for q in s.questions]

    @property
    def required(self) -> list[str]:
        return [q.name for q in self.questions if q.required]

    def summary(self) -> dict[str, Any]:
        """A row of `template list --kind needs`, in the shape of the templates' rows."""
        return {
            "name": self.name,
            "version": self.version,
            "type": KIND,
            "language": self.language,
            "title": self.title,
            "description": self.description,
            "source": "built-in",
        }


def _section(raw: Any, i: int, where: str, problems: list[str]) -> NeedsSection | None:
    at = f"{where}: sections[{i}]"
    if not isinstance(raw, dict):
        problems.append(_("{where}: expected a table").format(where=at))
        return None
    unknown = set(raw) - SECTION_KEYS
    if unknown:
        problems.append(
            _("{where}: unknown key(s) {keys}; keys are {known}").format(
                where=at, keys=", ".join(sorted(unknown)), known=", ".join(sorted(SECTION_KEYS))
            )
        )
    key, title = str(raw.get("key") or "").strip(), str(raw.get("title") or "").strip()
    if not key or not title:
        problems.append(_("{where}: a section needs a key and a title").format(where=at))
    try:
        questions = parse_schema(raw.get("questions"), where=f"{at}.questions")
    except Invalid as exc:
        problems.extend(exc.details or [exc.message])
        return None
    if not questions:
        problems.append(_("{where}: a section needs at least one question").format(where=at))
    return NeedsSection(key=key, title=title, questions=tuple(questions))


def parse_framework(data: dict[str, Any], *, where: str) -> NeedsFramework:
    """Check a framework as written in TOML; ``Invalid`` lists every problem."""
    problems: list[str] = []
    unknown = set(data) - META_KEYS
    if unknown:
        problems.append(
            _("{where}: unknown key(s) {keys}; keys are {known}").format(
                where=where, keys=", ".join(sorted(unknown)), known=", ".join(sorted(META_KEYS))
            )
        )
    name = str(data.get("name", "")).strip()
    language = str(data.get("language", "")).strip()
    if not _NAME.match(name) or not name.endswith(f"-{language}"):
        problems.append(
            _("{where}: name {name} must read needs-<industry>-<zh|en> in its language").format(
                where=where, name=repr(name)
            )
        )
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(_("{where}: expected [[sections]] with questions").format(where=where))
        raw_sections = []
    sections = [_section(s, i, where, problems) for i, s in enumerate(raw_sections, start=1)]
    names = [q.name for s in sections if s is not None for q in s.questions]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        problems.append(
            _("{where}: question(s) {names} appear twice").format(
                where=where, names=", ".join(doubled)
            )
        )
    version = data.get("version", 1)
    if problems:
        raise Invalid(
            _("{where}: {count} problem(s) in the needs framework").format(
                where=where, count=len(problems)
            ),
            details=problems,
        )
    return NeedsFramework(
        name=name,
        title=str(data.get("title") or name).strip(),
        language=language,
        industry=str(data.get("industry") or "general").strip(),
        version=version if isinstance(version, int) and version >= 1 else 1,
        description=str(data.get("description") or "").strip(),
        sections=tuple(s for s in sections if s is not None),
    )


@cache
def builtin_frameworks() -> dict[str, NeedsFramework]:
    """The shipped needs frameworks, by name."""
    from bizops.library import path

    out: dict[str, NeedsFramework] = {}
    for node in sorted(path(KIND).iterdir(), key=lambda n: n.name):
        if node.name.endswith(".toml"):
            data = tomllib.loads(node.read_text(encoding="utf-8"))
            found = parse_framework(data, where=node.name)
            out[found.name] = found
    return out


def find_framework(name: str) -> NeedsFramework:
    frameworks = builtin_frameworks()
    found = frameworks.get(name.strip().lower())
    if found is None:
        raise NotFound(
            _("--framework: no needs framework {name}; frameworks: {known}").format(
                name=repr(name), known=", ".join(sorted(frameworks))
            )
        )
    return found
