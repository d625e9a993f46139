"""Checking a template source, and storing it as a new version (admins only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bizops.documents.context import sample_context
from bizops.documents.env import render
from bizops.documents.library import (
    Template,
    builtin_templates,
    check_body,
    parse_metadata,
    read_source,
)
from bizops.documents.lint import Finding, lint_draft
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.templates.versions import from_row, get_template, stored_versions
from bizops.services.users import require_admin
from bizops.store import audit
from bizops.store.models import TemplateVersion, User


@dataclass(frozen=True)
class Validation:
    name: str | None
    problems: list[str]
    variables: list[str]
    includes: list[str]
    template: Template | None = None
    # What the contract lint found in the sample draft: advice, not a refusal.
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": not self.problems,
            "problems": self.problems,
            "variables": self.variables,
            "includes": self.includes,
            "findings": [f.as_dict() for f in self.findings],
        }


def _metadata(
    data: dict[str, Any], body: str, toml_path: Path, problems: list[str]
) -> tuple[Template | None, set[str]]:
    """The template its metadata describes (None if it has problems) and its declared fields."""
    if not data:
        problems.append(
            _(
                "{file}: no metadata file; every template needs name, title, type, "
                "language and its [[fields]] (see docs/templates.md)"
            ).format(file=toml_path.name)
        )
        return None, set()
    try:
        template = parse_metadata(data, body, where=toml_path.name)
    except Invalid as exc:
        problems.extend(exc.details or [exc.message])
        return None, {str(f.get("name")) for f in data.get("fields") or [] if isinstance(f, dict)}
    return template, {f.name for f in template.fields}


def validate_template_file(path: Path, *, policy: Policy, today: date) -> Validation:
    """Everything wrong with a template source, without stopping at the first problem."""
    data, body, toml_path, body_path = read_source(path)
    label = (body_path or toml_path).name
    problems: list[str] = []
    template, declared = _metadata(data, body, toml_path, problems)
    check = check_body(body, declared, name=label)
    problems.extend(check.problems)
    findings: list[Finding] = []
    if template is not None and not problems:
        try:
            text = render(
                body,
                sample_context(template, company=policy.company, today=today),
                name=label,
            )
        except Invalid as exc:
            problems.append(exc.message)
        else:
            if template.is_contract or template.is_amendment:
                findings = lint_draft(
                    text,
                    template_type=template.type,
                    language=template.language,
                    title=template.title,
                )
    name = template.name if template else (str(data.get("name")) if data.get("name") else None)
    return Validation(
        name=name,
        problems=problems,
        variables=check.variables,
        includes=check.includes,
        template=template,
        findings=findings,
    )


def _same_type_and_language(session: Session, source: Template, previous: int) -> None:
    """A new version keeps its name's contract type and language."""
    current = get_template(session, source.name, previous)
    if current.type != source.type:
        raise Invalid(
            _(
                "template {name}: type {new!r} differs from the existing versions ({old!r}); "
                "give a new name for another contract type"
            ).format(name=source.name, new=source.type, old=current.type)
        )
    if current.language != source.language:
        raise Invalid(
            _(
                "template {name}: language {new!r} differs from the existing versions ({old!r}); "
                "give a new name for another language"
            ).format(name=source.name, new=source.language, old=current.language)
        )


def add_template(
    session: Session, *, actor: User, path: Path, policy: Policy, today: date
) -> Template:
    """Store a new version of a template (admin only); earlier versions stay as they are."""
    require_admin(actor)
    report = validate_template_file(path, policy=policy, today=today)
    if report.problems or report.template is None:
        raise Invalid(
            _("template {file} has {count} problem(s); nothing was added").format(
                file=path.name, count=len(report.problems)
            ),
            details=report.problems,
        )
    source = report.template
    builtin = builtin_templates().get(source.name)
    stored = stored_versions(session, source.name)
    previous = max(stored + ([1] if builtin else []), default=0)
    if previous:
        _same_type_and_language(session, source, previous)
    row = TemplateVersion(
        name=source.name,
        version=previous + 1,
        type=source.type,
        language=source.language,
        title=source.title,
        description=source.description or None,
        body=source.body,
        field_schema=source.schema(),
        sha256=source.sha256,
        created_at=datetime.now(UTC),
        created_by=actor.login,
    )
    session.add(row)
    session.flush()
    template = from_row(row)
    audit.record(
        session,
        actor=actor.login,
        action="template.add",
        entity_type="template",
        entity_id=template.ref,
        after={**template.summary(), "sha256": template.sha256, "fields": template.schema()},
    )
    return template
