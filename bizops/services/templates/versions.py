"""Template versions: built-in templates are version 1 of their name; ``add_template`` stores
versions 2, 3, ... (or 1 for a new name) in ``template_versions``.

A contract records the name and version it was made with, and is drafted with that version,
so adding a version never changes what an existing contract is drafted with.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.fields import parse_schema
from bizops.documents.library import (
    BUILTIN,
    CONTEXT_NAMES,
    LANGUAGES,
    TEMPLATE_TYPES,
    Template,
    builtin_templates,
    parse_ref,
)
from bizops.domain.errors import NotFound
from bizops.domain.vocab import one_of
from bizops.i18n import _
from bizops.services.views.templates import FieldRow, TemplateRow, TemplateShow, VersionRow
from bizops.store.models import TemplateVersion


def from_row(row: TemplateVersion) -> Template:
    return Template(
        name=row.name,
        version=row.version,
        type=row.type,
        language=row.language,
        title=row.title,
        description=row.description or "",
        body=row.body,
        fields=tuple(parse_schema(row.field_schema, reserved=CONTEXT_NAMES)),
        source="added",
        created_by=row.created_by,
        created_at=row.created_at,
    )


def stored_versions(session: Session, name: str) -> list[int]:
    return [
        int(v)
        for v in session.execute(
            select(col(TemplateVersion.version))
            .where(col(TemplateVersion.name) == name)
            .order_by(col(TemplateVersion.version))
        ).scalars()
    ]


def _all_versions(name: str, stored: list[int]) -> list[int]:
    """Every version of ``name``: the built-in one (1) and those added (``stored``)."""
    builtin = {1} if name in builtin_templates() else set()
    return sorted(set(stored) | builtin)


def known_names(session: Session) -> list[str]:
    stored = session.execute(select(col(TemplateVersion.name)).distinct()).scalars()
    return sorted(set(builtin_templates()) | set(stored))


def get_template(session: Session, name: str, version: int | None = None) -> Template:
    """One version of a template (the newest when ``version`` is None)."""
    stored = stored_versions(session, name)
    versions = _all_versions(name, stored)
    if not versions:
        names = ", ".join(known_names(session))
        raise NotFound(
            _("template: no template {name!r}; templates: {names}").format(name=name, names=names)
        )
    wanted = version if version is not None else versions[-1]
    if wanted not in versions:
        raise NotFound(
            _("template: {name} has no version {version}; versions: {versions}").format(
                name=name, version=wanted, versions=", ".join(str(v) for v in versions)
            )
        )
    if wanted in stored:
        row = session.execute(
            select(TemplateVersion).where(
                col(TemplateVersion.name) == name, col(TemplateVersion.version) == wanted
            )
        ).scalar_one()
        return from_row(row)
    return builtin_templates()[name]


def resolve_template(session: Session, ref: str) -> Template:
    """``NAME`` (newest version) or ``NAME@VERSION``."""
    name, version = parse_ref(ref)
    return get_template(session, name, version)


def list_templates(
    session: Session,
    *,
    type: str | None = None,
    language: str | None = None,
    all_versions: bool = False,
) -> list[Template]:
    out: list[Template] = []
    for name in known_names(session):
        if all_versions:
            versions = _all_versions(name, stored_versions(session, name))
            out.extend(get_template(session, name, v) for v in versions)
        else:
            out.append(get_template(session, name))
    if type:
        wanted = one_of(type, TEMPLATE_TYPES, "--type")
        out = [t for t in out if t.type == wanted]
    if language:
        lang = one_of(language, LANGUAGES, "--language")
        out = [t for t in out if t.language == lang]
    return out


def template_row(template: Template) -> TemplateRow:
    return cast(TemplateRow, template.summary())


def field_rows(template: Template) -> list[FieldRow]:
    """`template fields`: the template's schema, one row per field."""
    return cast(list[FieldRow], template.schema())


# What `template list --kind` chooses: contract templates, first-contact material (emails,
# call scripts) or needs frameworks (listed only when asked for).
TEMPLATE_KINDS: tuple[str, ...] = ("contract", "material", "needs")


def list_template_rows(
    session: Session,
    *,
    type: str | None = None,
    language: str | None = None,
    all_versions: bool = False,
    kind: str | None = None,
) -> list[TemplateRow]:
    """`template list`: the newest version of each template (or every version); ``kind``
    keeps one kind (``needs``: the needs frameworks)."""
    chosen = one_of(kind, TEMPLATE_KINDS, "--kind") if kind else None
    if chosen == "needs":
        from bizops.documents.needs import builtin_frameworks

        return [
            cast(TemplateRow, f.summary())
            for f in builtin_frameworks().values()
            if language in (None, f.language) and type in (None, "needs")
        ]
    found = list_templates(session, type=type, language=language, all_versions=all_versions)
    if chosen is not None:
        found = [t for t in found if t.is_contract == (chosen == "contract")]
    return [template_row(t) for t in found]


def needs_field_rows(name: str) -> tuple[str, str, list[FieldRow]]:
    """`template fields needs-...`: a needs framework's questions as fields, with its
    reference and title."""
    from bizops.documents.needs import find_framework

    found = find_framework(name)
    rows = [cast(FieldRow, q.as_dict()) for q in found.questions]
    return f"{found.name}@{found.version}", found.title, rows


def template_versions(session: Session, name: str) -> list[VersionRow]:
    get_template(session, name)
    rows: list[VersionRow] = []
    if name in builtin_templates():
        rows.append({"version": 1, "source": BUILTIN, "created_by": None, "created_at": None})
    for row in session.execute(
        select(TemplateVersion)
        .where(col(TemplateVersion.name) == name)
        .order_by(col(TemplateVersion.version))
    ).scalars():
        rows.append(
            {
                "version": row.version,
                "source": "added",
                "created_by": row.created_by,
                "created_at": row.created_at,
            }
        )
    return rows


def show_template(session: Session, *, ref: str) -> TemplateShow:
    template = resolve_template(session, ref)
    return {
        **template_row(template),
        "sha256": template.sha256,
        "versions": [v["version"] for v in template_versions(session, template.name)],
        "fields": field_rows(template),
        "body": template.body,
    }
