"""The template library (PRODUCT section 7): versions, standard assessment, drafting.

Built-in templates are version 1 of their name; ``add_template`` stores versions 2, 3, ...
(or 1 for a new name) in ``template_versions``. A contract records the name and version it
was made with, and ``draft_contract`` renders that version, so adding a version never
changes what an existing contract is drafted with.

Standard or not (seed K2): a contract is *non-standard* when it has no template, or when it
carries fields outside the template's schema (terms the standard does not cover). A value
that does not fit its field (wrong type, out of bounds, not one of the choices, not matching
the pattern) is not a deviation but an input mistake: it is refused with ``Invalid``,
listing every such field with its help text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.documents.fields import check_values, describe, with_defaults
from bizops.documents.library import (
    BUILTIN,
    Template,
    builtin_templates,
    check_body,
    parse_metadata,
    parse_ref,
    read_source,
)
from bizops.domain.errors import Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.domain.vocab import CONTRACT_TYPES
from bizops.services.users import require_admin
from bizops.store import audit
from bizops.store.models import Contact, Contract, Customer, Draft, TemplateVersion, User

DRAFT_FORMATS: tuple[str, ...] = ("md", "html", "docx")


# --------------------------------------------------------------------------- versions


def _from_row(row: TemplateVersion) -> Template:
    from bizops.documents.fields import parse_schema
    from bizops.documents.library import CONTEXT_NAMES

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


def _stored_versions(session: Session, name: str) -> list[int]:
    return [
        int(v)
        for v in session.execute(
            select(col(TemplateVersion.version))
            .where(col(TemplateVersion.name) == name)
            .order_by(col(TemplateVersion.version))
        ).scalars()
    ]


def known_names(session: Session) -> list[str]:
    stored = session.execute(select(col(TemplateVersion.name)).distinct()).scalars()
    return sorted(set(builtin_templates()) | set(stored))


def get_template(session: Session, name: str, version: int | None = None) -> Template:
    """One version of a template (the newest when ``version`` is None)."""
    builtin = builtin_templates().get(name)
    stored = _stored_versions(session, name)
    versions = sorted(set(stored) | ({1} if builtin else set()))
    if not versions:
        names = ", ".join(known_names(session))
        raise NotFound(f"template: no template {name!r}; templates: {names}")
    wanted = version if version is not None else versions[-1]
    if wanted not in versions:
        raise NotFound(
            f"template: {name} has no version {wanted}; versions: "
            + ", ".join(str(v) for v in versions)
        )
    if wanted in stored:
        row = session.execute(
            select(TemplateVersion).where(
                col(TemplateVersion.name) == name, col(TemplateVersion.version) == wanted
            )
        ).scalar_one()
        return _from_row(row)
    assert builtin is not None
    return builtin


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
            versions = sorted(
                set(_stored_versions(session, name))
                | ({1} if name in builtin_templates() else set())
            )
            out.extend(get_template(session, name, v) for v in versions)
        else:
            out.append(get_template(session, name))
    if type:
        from bizops.documents.library import TEMPLATE_TYPES
        from bizops.domain.vocab import one_of

        wanted = one_of(type, TEMPLATE_TYPES, "--type")
        out = [t for t in out if t.type == wanted]
    if language:
        from bizops.documents.library import LANGUAGES
        from bizops.domain.vocab import one_of

        lang = one_of(language, LANGUAGES, "--language")
        out = [t for t in out if t.language == lang]
    return out


def template_versions(session: Session, name: str) -> list[dict[str, Any]]:
    get_template(session, name)
    rows = []
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


def show_template(session: Session, *, ref: str) -> dict[str, Any]:
    template = resolve_template(session, ref)
    return {
        **template.summary(),
        "sha256": template.sha256,
        "versions": [v["version"] for v in template_versions(session, template.name)],
        "fields": template.schema(),
        "body": template.body,
    }


# --------------------------------------------------------------------------- validate / add


@dataclass(frozen=True)
class Validation:
    name: str | None
    problems: list[str]
    variables: list[str]
    includes: list[str]
    template: Template | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": not self.problems,
            "problems": self.problems,
            "variables": self.variables,
            "includes": self.includes,
        }


def validate_template_file(path: Path, *, policy: Policy, today: date) -> Validation:
    """Everything wrong with a template source, without stopping at the first problem."""
    data, body, toml_path, body_path = read_source(path)
    label = (body_path or toml_path).name
    problems: list[str] = []
    template: Template | None = None
    declared: set[str] = set()
    if data:
        try:
            template = parse_metadata(data, body, where=toml_path.name)
            declared = {f.name for f in template.fields}
        except Invalid as exc:
            problems.extend(exc.details or [exc.message])
            declared = {str(f.get("name")) for f in data.get("fields") or [] if isinstance(f, dict)}
    else:
        problems.append(
            f"{toml_path.name}: no metadata file; every template needs name, title, type, "
            "language and its [[fields]] (see docs/templates.md)"
        )
    check = check_body(body, declared, name=label)
    problems.extend(check.problems)
    if template is not None and not problems:
        from bizops.documents.context import sample_context
        from bizops.documents.env import render

        try:
            render(
                body,
                sample_context(template, company=policy.company, today=today),
                name=label,
            )
        except Invalid as exc:
            problems.append(exc.message)
    name = template.name if template else (str(data.get("name")) if data.get("name") else None)
    return Validation(
        name=name,
        problems=problems,
        variables=check.variables,
        includes=check.includes,
        template=template,
    )


def add_template(
    session: Session, *, actor: User, path: Path, policy: Policy, today: date
) -> Template:
    """Store a new version of a template (admin only); earlier versions stay as they are."""
    require_admin(actor)
    report = validate_template_file(path, policy=policy, today=today)
    if report.problems or report.template is None:
        raise Invalid(
            f"template {path.name} has {len(report.problems)} problem(s); nothing was added",
            details=report.problems,
        )
    source = report.template
    builtin = builtin_templates().get(source.name)
    stored = _stored_versions(session, source.name)
    previous = max(stored + ([1] if builtin else []), default=0)
    if previous:
        current = get_template(session, source.name, previous)
        if current.type != source.type:
            raise Invalid(
                f"template {source.name}: type {source.type!r} differs from the existing "
                f"versions ({current.type!r}); give a new name for another contract type"
            )
        if current.language != source.language:
            raise Invalid(
                f"template {source.name}: language {source.language!r} differs from the "
                f"existing versions ({current.language!r}); give a new name for another language"
            )
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
    template = _from_row(row)
    audit.record(
        session,
        actor=actor.login,
        action="template.add",
        entity_type="template",
        entity_id=template.ref,
        after={**template.summary(), "sha256": template.sha256, "fields": template.schema()},
    )
    return template


# --------------------------------------------------------------------------- standard


@dataclass(frozen=True)
class StandardAssessment:
    template_name: str | None
    template_version: int | None
    non_standard: bool
    reasons: list[str]
    values: dict[str, Any] = field(default_factory=dict)


def assess_standard(
    session: Session,
    *,
    contract_type: str,
    template: str | None,
    values: dict[str, str],
    today: date | None = None,
) -> StandardAssessment:
    """Is a contract standard? Normalises its field values against the template's schema.

    Raises ``NotFound`` for an unknown template or version, ``Invalid`` for a template of
    another type or for values that do not fit their fields (all listed at once).
    """
    if template is None or not str(template).strip():
        return StandardAssessment(
            template_name=None,
            template_version=None,
            non_standard=True,
            reasons=["no template: the contract is not drafted from the standard library"],
            values={str(k).strip(): v for k, v in values.items()},
        )
    found = resolve_template(session, str(template))
    if found.type not in CONTRACT_TYPES:
        raise Invalid(
            f"--template: {found.name} is {found.type!r} material, not a contract template; "
            "see `bizops template list --type " + contract_type + "`"
        )
    if found.type != contract_type:
        raise Invalid(
            f"--template: {found.name} is a {found.type} template; a {contract_type} contract "
            f"needs one of type {contract_type} (see `bizops template list --type {contract_type}`)"
        )
    checked = check_values(list(found.fields), values, today)
    if checked.problems:
        raise Invalid(
            f"--set: {len(checked.problems)} field(s) do not fit template {found.ref}",
            details=checked.problems,
        )
    reasons = [
        f"field {name!r} is outside the schema of {found.ref} (a term the standard does not cover)"
        for name in checked.unknown
    ]
    return StandardAssessment(
        template_name=found.name,
        template_version=found.version,
        non_standard=bool(reasons),
        reasons=reasons,
        values={**checked.values, **checked.unknown},
    )


def non_standard_ratio(
    session: Session, *, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """How many contracts (created in the period) are non-standard, overall and by type."""
    query = select(
        col(Contract.type), col(Contract.non_standard), col(Contract.template_name), func.count()
    ).group_by(col(Contract.type), col(Contract.non_standard), col(Contract.template_name))
    if since is not None:
        query = query.where(col(Contract.created_on) >= since)
    if until is not None:
        query = query.where(col(Contract.created_on) <= until)
    total = non_standard = without_template = 0
    by_type: dict[str, dict[str, Any]] = {
        t: {"total": 0, "non_standard": 0, "ratio": Decimal("0.0000")} for t in CONTRACT_TYPES
    }
    for ctype, flag, template_name, count in session.execute(query):
        count = int(count)
        total += count
        entry = by_type.setdefault(ctype, {"total": 0, "non_standard": 0})
        entry["total"] += count
        if flag:
            non_standard += count
            entry["non_standard"] += count
        if template_name is None:
            without_template += count
    for entry in by_type.values():
        entry["ratio"] = _ratio(entry["non_standard"], entry["total"])
    return {
        "since": since,
        "until": until,
        "total": total,
        "standard": total - non_standard,
        "non_standard": non_standard,
        "without_template": without_template,
        "ratio": _ratio(non_standard, total),
        "by_type": by_type,
    }


def _ratio(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


# --------------------------------------------------------------------------- drafting


def _contract_dict(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.id,
        "number": contract.number,
        "title": contract.title,
        "type": contract.type,
        "amount": contract.amount,
        "currency": contract.currency,
        "risk": contract.risk,
        "status": contract.status,
        "start": contract.start,
        "end": contract.end,
        "signatory": contract.signatory,
        "signed_on": contract.signed_on,
        "notice_days": contract.notice_days,
    }


def _customer_dict(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
    }


def primary_contact(session: Session, customer_id: int) -> dict[str, Any]:
    contact = session.execute(
        select(Contact)
        .where(col(Contact.customer_id) == customer_id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        .limit(1)
    ).scalar_one_or_none()
    if contact is None:
        return {}
    return {
        "name": contact.name,
        "title": contact.title,
        "phone": contact.phone,
        "email": contact.email,
    }


def _user_dict(user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"login": user.login, "name": user.name, "email": user.email}


@dataclass(frozen=True)
class DraftResult:
    contract: str
    template: str
    format: str
    content: bytes
    sha256: str
    draft_id: int
    values: dict[str, Any]

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


def _check_format(fmt: str) -> str:
    value = (fmt or "md").strip().lower()
    if value not in DRAFT_FORMATS:
        raise Invalid(f"--format: unknown format {fmt!r}; accepted: {', '.join(DRAFT_FORMATS)}")
    return value


def prepare_values(
    template: Template,
    stored: dict[str, Any],
    *,
    fix: str = "bizops contract update X --set FIELD=VALUE",
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a contract's stored values for drafting; ``Invalid`` lists every problem."""
    checked = check_values(list(template.fields), stored, today)
    problems = list(checked.problems)
    for name in checked.missing:
        spec = template.field(name)
        assert spec is not None
        problems.append(
            describe(spec, f"{name}: required but missing; set it with --set {name}=...")
        )
    if problems:
        raise Invalid(
            f"{len(problems)} field(s) of template {template.ref} are missing or invalid: "
            f"{', '.join(p.split(':', 1)[0] for p in problems)}; fix them with `{fix}`",
            details=problems,
        )
    return with_defaults(list(template.fields), checked.values), checked.unknown


def render_document(text: str, *, fmt: str, title: str, language: str) -> bytes:
    from bizops.documents.writers import docx_bytes, html_bytes, markdown_bytes

    if fmt == "md":
        return markdown_bytes(text)
    if fmt == "html":
        return html_bytes(text, title=title, language=language)
    return docx_bytes(text, title=title, language=language)


def material_document(session: Session, *, template: str, text: str, fmt: str) -> bytes:
    """A rendered first-contact text as a file: Markdown, a printable HTML page or Word."""
    found = resolve_template(session, template)
    return render_document(text, fmt=_check_format(fmt), title=found.title, language=found.language)


def draft_contract(
    session: Session,
    *,
    actor: User,
    contract: str | int,
    fmt: str = "md",
    policy: Policy,
    today: date,
) -> DraftResult:
    """Validate every field, render the contract's template version, record the draft."""
    from bizops.documents.context import build_context
    from bizops.documents.env import render
    from bizops.services.lookup import find_contract

    chosen = _check_format(fmt)
    row = find_contract(session, contract)
    assert row.id is not None
    if not row.template_name:
        raise Invalid(
            f"contract {row.number} has no template, so it cannot be drafted from the library; "
            "give it one with `bizops contract update "
            f"{row.number} --template NAME` (see `bizops template list --type {row.type}`)"
        )
    template = get_template(session, row.template_name, row.template_version)
    values, unknown = prepare_values(
        template,
        dict(row.fields or {}),
        fix=f"bizops contract update {row.number} --set FIELD=VALUE",
    )
    customer = session.get(Customer, row.customer_id)
    assert customer is not None and customer.id is not None
    context = build_context(
        template=template,
        contract=_contract_dict(row),
        customer=_customer_dict(customer),
        contact=primary_contact(session, customer.id),
        company=dict(policy.company),
        owner=_user_dict(session.get(User, row.owner_id)),
        today=today,
        values={k: v for k, v in values.items() if v is not None},
        extra=unknown,
    )
    text = render(template.body, context, name=template.ref)
    content = render_document(text, fmt=chosen, title=row.title, language=template.language)
    digest = hashlib.sha256(content).hexdigest()
    recorded = {**values, **unknown}
    draft = Draft(
        contract_id=row.id,
        template_name=template.name,
        template_version=template.version,
        format=chosen,
        sha256=digest,
        values=recorded,
        created_on=today,
        created_by=actor.login,
    )
    session.add(draft)
    session.flush()
    assert draft.id is not None
    audit.record(
        session,
        actor=actor.login,
        action="contract.draft",
        entity_type="contract",
        entity_id=row.number,
        after={
            "draft": draft.id,
            "template": template.ref,
            "format": chosen,
            "sha256": digest,
            "values": recorded,
        },
    )
    return DraftResult(
        contract=row.number,
        template=template.ref,
        format=chosen,
        content=content,
        sha256=digest,
        draft_id=draft.id,
        values=recorded,
    )


def list_drafts(session: Session, *, contract: str | int) -> list[dict[str, Any]]:
    from bizops.services.lookup import find_contract

    row = find_contract(session, contract)
    return [
        {
            "id": d.id,
            "contract": row.number,
            "template": f"{d.template_name}@{d.template_version}",
            "format": d.format,
            "sha256": d.sha256,
            "created_on": d.created_on,
            "created_by": d.created_by,
        }
        for d in session.execute(
            select(Draft).where(col(Draft.contract_id) == row.id).order_by(col(Draft.id))
        ).scalars()
    ]


# --------------------------------------------------------------------------- first contact


def render_material(
    session: Session,
    *,
    actor: User,
    template: str,
    customer: str | int,
    values: dict[str, str],
    policy: Policy,
    today: date,
) -> str:
    """A first-contact email or call script for one customer (seed C4), as text."""
    from bizops.documents.context import build_context
    from bizops.documents.env import render
    from bizops.services.lookup import find_customer

    found = resolve_template(session, template)
    if found.is_contract:
        raise Invalid(
            f"template: {found.name} is a contract template; draft contracts with "
            "`bizops contract draft`"
        )
    row = find_customer(session, customer)
    assert row.id is not None
    prepared, unknown = prepare_values(found, values, fix="--set FIELD=VALUE", today=today)
    if unknown:
        raise Invalid(
            f"--set: {found.ref} has no field(s) {', '.join(sorted(unknown))}; its fields: "
            + ", ".join(f.name for f in found.fields)
        )
    context = build_context(
        template=found,
        contract=None,
        customer=_customer_dict(row),
        contact=primary_contact(session, row.id),
        company=dict(policy.company),
        owner=_user_dict(actor),
        today=today,
        values={k: v for k, v in prepared.items() if v is not None},
    )
    return render(found.body, context, name=found.ref)
