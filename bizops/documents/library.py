"""Templates: metadata and field schema in TOML, a Jinja2 body beside it, clauses to include.

A template source is ``NAME.toml`` (name, title, type, language, version, description and
``[[fields]]``) plus the body ``NAME.md.j2`` next to it (or ``body_file = "..."``, or the
body inline as a multi-line ``body`` string). The built-in library ships in
``bizops/library/templates``; reusable clauses in ``bizops/library/clauses/{zh,en}``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import meta
from jinja2.exceptions import TemplateSyntaxError

from bizops.documents.env import make_environment, unsafe_access
from bizops.documents.fields import FieldSpec, parse_schema
from bizops.domain.errors import Invalid, NotFound
from bizops.domain.vocab import CONTRACT_TYPES
from bizops.i18n import _

MATERIAL_TYPES: tuple[str, ...] = ("email", "script")
# A supplementary agreement (补充协议) drafted from a contract's amendment.
AMENDMENT_TYPE = "amendment"
TEMPLATE_TYPES: tuple[str, ...] = CONTRACT_TYPES + MATERIAL_TYPES + (AMENDMENT_TYPE,)
LANGUAGES: tuple[str, ...] = ("zh", "en")
META_KEYS: tuple[str, ...] = (
    "name",
    "title",
    "type",
    "language",
    "version",
    "description",
    "body",
    "body_file",
    "fields",
)
# The variables every template may read besides its own fields (see docs/templates.md).
CONTEXT_NAMES: frozenset[str] = frozenset(
    {
        "contract",
        "customer",
        "contact",
        "company",
        "owner",
        "party_a",
        "party_b",
        "today",
        "fields",
        "extra",
        "goods",
        "language",
        "template",
        "amendment",
    }
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,99}$")
BUILTIN = "built-in"


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    type: str
    language: str
    title: str
    description: str
    body: str
    fields: tuple[FieldSpec, ...]
    source: str = BUILTIN
    created_by: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @property
    def is_contract(self) -> bool:
        return self.type in CONTRACT_TYPES

    @property
    def is_amendment(self) -> bool:
        return self.type == AMENDMENT_TYPE

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def summary(self) -> dict[str, Any]:
        """The JSON shape of ``bizops template list``."""
        return {
            "name": self.name,
            "version": self.version,
            "type": self.type,
            "language": self.language,
            "title": self.title,
            "description": self.description,
            "source": self.source,
        }

    def schema(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.fields]


def parse_ref(ref: str) -> tuple[str, int | None]:
    """``sales-zh`` or ``sales-zh@2`` -> (name, version or None)."""
    text = (ref or "").strip()
    name, _at, version_text = text.partition("@")
    name = name.strip().lower()
    if not name:
        raise Invalid(_("template: empty template name; see `bizops template list`"))
    if not version_text:
        return name, None
    if not version_text.strip().isdigit() or int(version_text) < 1:
        raise Invalid(
            _("template: {ref}: the version after @ must be a whole number >= 1").format(
                ref=repr(ref)
            )
        )
    return name, int(version_text)


def parse_metadata(data: dict[str, Any], body: str, *, where: str) -> Template:
    """Check a template's metadata and schema; ``Invalid`` lists every problem."""
    problems: list[str] = []
    unknown = set(data) - set(META_KEYS)
    if unknown:
        problems.append(
            _("{where}: unknown key(s) {keys}; keys are {known}").format(
                where=where, keys=", ".join(sorted(unknown)), known=", ".join(META_KEYS)
            )
        )
    name = str(data.get("name", "")).strip()
    if not _NAME.match(name):
        problems.append(
            _(
                "{where}: name {name} must be lower-case letters, digits and '-' (e.g. sales-zh)"
            ).format(where=where, name=repr(name))
        )
    ttype = str(data.get("type", "")).strip()
    if ttype not in TEMPLATE_TYPES:
        problems.append(
            _("{where}: type {type}; accepted: {accepted}").format(
                where=where, type=repr(ttype), accepted=", ".join(TEMPLATE_TYPES)
            )
        )
    language = str(data.get("language", "")).strip()
    if language not in LANGUAGES:
        problems.append(
            _("{where}: language {language}; accepted: {accepted}").format(
                where=where, language=repr(language), accepted=", ".join(LANGUAGES)
            )
        )
    title = str(data.get("title", "")).strip()
    if not title:
        problems.append(_("{where}: title is missing").format(where=where))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(
            _("{where}: version {version} must be a whole number >= 1").format(
                where=where, version=repr(version)
            )
        )
        version = 1
    if not body.strip():
        problems.append(_("{where}: the body is empty").format(where=where))
    specs: list[FieldSpec] = []
    try:
        specs = parse_schema(
            data.get("fields"),
            where=_("{where} fields").format(where=where),
            reserved=CONTEXT_NAMES,
        )
    except Invalid as exc:
        problems.extend(exc.details or [exc.message])
    if problems:
        raise Invalid(
            _("{where}: {count} problem(s) in the template").format(
                where=where, count=len(problems)
            ),
            details=problems,
        )
    return Template(
        name=name,
        version=version,
        type=ttype,
        language=language,
        title=title,
        description=str(data.get("description", "")).strip(),
        body=body,
        fields=tuple(specs),
    )


def body_path_for(toml_path: Path, data: dict[str, Any]) -> Path:
    if data.get("body_file"):
        return toml_path.parent / str(data["body_file"])
    return toml_path.with_name(toml_path.name.removesuffix(".toml") + ".md.j2")


def read_source(path: Path) -> tuple[dict[str, Any], str, Path, Path | None]:
    """A template source from a .toml or a .j2 path: (metadata, body, toml path, body path)."""
    if not path.exists():
        raise NotFound(_("template file {path} does not exist").format(path=path))
    if path.name.endswith(".j2"):
        stem = path.name.removesuffix(".j2").removesuffix(".md")
        toml_path = path.with_name(stem + ".toml")
        body_path: Path | None = path
    else:
        toml_path = path
        body_path = None
    data: dict[str, Any] = {}
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise Invalid(_("{path}: not UTF-8 text").format(path=toml_path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise Invalid(
                _("{path}: TOML error: {error}").format(path=toml_path, error=exc)
            ) from None
    elif body_path is None:
        raise NotFound(_("template file {path} does not exist").format(path=toml_path))
    if body_path is None:
        if isinstance(data.get("body"), str) and not data.get("body_file"):
            return data, str(data["body"]), toml_path, None
        body_path = body_path_for(toml_path, data)
    if not body_path.exists():
        raise Invalid(
            _(
                "{path}: the body {body} is missing; put it next to the TOML file, "
                'name it with body_file = "...", or write it inline as body = """..."""'
            ).format(path=toml_path, body=body_path.name)
        )
    try:
        body = body_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("{path}: not UTF-8 text").format(path=body_path)) from None
    return data, body, toml_path, body_path


@cache
def builtin_templates() -> dict[str, Template]:
    """The shipped library, by name (each at version 1)."""
    from bizops.library import path

    out: dict[str, Template] = {}
    folder = path("templates")
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".toml"):
            continue
        data = tomllib.loads(node.read_text(encoding="utf-8"))
        stem = node.name.removesuffix(".toml")
        body_name = str(data.get("body_file") or f"{stem}.md.j2")
        body = folder.joinpath(body_name).read_text(encoding="utf-8")
        template = parse_metadata(
            data, body, where=_("built-in template {name}").format(name=node.name)
        )
        out[template.name] = template
    return out


def clause_names() -> list[str]:
    from bizops.library import path

    names = []
    for language in LANGUAGES:
        folder = path("clauses", language)
        names += [
            f"clauses/{language}/{n.name}" for n in folder.iterdir() if n.name.endswith(".j2")
        ]
    return sorted(names)


@dataclass(frozen=True)
class Check:
    """What ``template validate`` found: every problem, with line numbers where known."""

    problems: list[str]
    variables: list[str]  # every top-level name the body and its clauses read
    includes: list[str]


def check_body(body: str, declared: set[str], *, name: str) -> Check:
    """Syntax, includes, undeclared variables and sandbox-refused reads, without rendering."""
    env = make_environment()
    problems: list[str] = []
    variables: set[str] = set()
    includes: list[str] = []
    allowed = declared | set(CONTEXT_NAMES) | set(env.globals)

    def walk(source: str, label: str, depth: int) -> None:
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as exc:
            problems.append(
                _("{where}: syntax error on line {line}: {error}").format(
                    where=label, line=exc.lineno, error=exc.message
                )
            )
            return
        problems.extend(
            _("{where}: {problem} (the sandbox refuses it)").format(where=label, problem=p)
            for p in unsafe_access(ast)
        )
        used = meta.find_undeclared_variables(ast)
        variables.update(used)
        for var in sorted(used - allowed):
            problems.append(
                _(
                    "{where}: variable {name} is used but not declared in the field schema "
                    "or the context (line {lines})"
                ).format(
                    where=label,
                    name=repr(var),
                    lines=", ".join(str(n) for n in _lines_of(ast, var)),
                )
            )
        for ref in meta.find_referenced_templates(ast):
            if ref is None:
                problems.append(
                    _("{where}: an include must name its clause literally").format(where=label)
                )
                continue
            if ref in includes:
                continue
            includes.append(ref)
            if depth > 5:
                problems.append(
                    _("{where}: includes nest too deeply at {ref}").format(where=label, ref=ref)
                )
                continue
            try:
                source_text, _name, _uptodate = env.loader.get_source(env, ref)  # type: ignore[union-attr]
            except Exception:
                problems.append(
                    _(
                        "{where}: included clause {ref} not found; clauses: clauses/zh/*.j2, "
                        "clauses/en/*.j2 (see docs/templates.md)"
                    ).format(where=label, ref=repr(ref))
                )
                continue
            walk(source_text, ref, depth + 1)

    walk(body, name, 0)
    return Check(problems=problems, variables=sorted(variables), includes=includes)


def _lines_of(ast: Any, var: str) -> list[int]:
    from jinja2 import nodes

    lines = sorted({n.lineno for n in ast.find_all(nodes.Name) if n.name == var})
    return lines or [1]
