"""Drafting a contract: every field checked, the contract's template version rendered (md,
html, docx), and the draft recorded with its hash and values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.context import build_context
from bizops.documents.env import render
from bizops.documents.library import Template
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.lookup import find_contract
from bizops.services.templates.rendering import (
    check_format,
    customer_dict,
    prepare_values,
    primary_contact,
    render_document,
    user_dict,
)
from bizops.services.templates.versions import get_template
from bizops.services.views.templates import DraftRow
from bizops.store import audit
from bizops.store.models import Contract, Customer, Draft, User


@dataclass(frozen=True)
class DraftCheck:
    """A draft compared with the one its approval request recorded: the request, its status
    (pending: submitted; approved), the recorded hash, whether the draft still matches it and
    what changed if not."""

    request: int
    request_status: str
    draft_sha256: str
    matches: bool
    changed: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "request_status": self.request_status,
            "draft_sha256": self.draft_sha256,
            "matches": self.matches,
            "changed": list(self.changed),
        }


@dataclass(frozen=True)
class DraftResult:
    contract: str
    template: str
    format: str
    content: bytes
    sha256: str
    draft_id: int
    values: dict[str, Any]
    # Compared with the draft its approval request recorded, when one did.
    check: DraftCheck | None = None

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def as_dict(self) -> dict[str, Any]:
        """The draft as ``--format json`` prints it: what was recorded, its text (Markdown),
        and ``check``, how it compares with the draft its approval request recorded (null
        when none did)."""
        return {
            "contract": self.contract,
            "template": self.template,
            "format": self.format,
            "sha256": self.sha256,
            "draft_id": self.draft_id,
            "values": self.values,
            "check": self.check.as_dict() if self.check is not None else None,
            "text": self.text,
        }


def contract_dict(contract: Contract) -> dict[str, Any]:
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


def _template_of(session: Session, contract: Contract) -> Template:
    if not contract.template_name:
        raise Invalid(
            _(
                "contract {number} has no template, so it cannot be drafted from the library; "
                "give it one with `bizops contract update {number} --template NAME` "
                "(see `bizops template list --type {type}`)"
            ).format(number=contract.number, type=contract.type)
        )
    return get_template(session, contract.template_name, contract.template_version)


def _render(
    session: Session, contract: Contract, template: Template, *, policy: Policy, today: date
) -> tuple[str, dict[str, Any]]:
    """The contract's text and the values it was rendered with."""
    values, unknown = prepare_values(
        template,
        dict(contract.fields or {}),
        fix=f"bizops contract update {contract.number} --set FIELD=VALUE",
    )
    customer = session.get(Customer, contract.customer_id)
    assert customer is not None and customer.id is not None
    context = build_context(
        template=template,
        contract=contract_dict(contract),
        customer=customer_dict(customer),
        contact=primary_contact(session, customer.id),
        company=dict(policy.company),
        owner=user_dict(session.get(User, contract.owner_id)),
        today=today,
        values={k: v for k, v in values.items() if v is not None},
        extra=unknown,
    )
    return render(template.body, context, name=template.ref), {**values, **unknown}


def contract_to_draft(session: Session, *, actor: User, ref: str | int, policy: Policy) -> Contract:
    """The contract a draft is rendered from, if ``actor`` may see it: a draft shows every
    term, so it follows the policy's visibility as ``contract show`` does (exit 4)."""
    from bizops.services.visibility import scope_for

    row = find_contract(session, ref)
    scope_for(session, actor, policy).require_contract(session, row)
    return row


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
    chosen = check_format(fmt)
    row = contract_to_draft(session, actor=actor, ref=contract, policy=policy)
    template = _template_of(session, row)
    text, recorded = _render(session, row, template, policy=policy, today=today)
    return record_draft(
        session,
        actor=actor,
        contract=row,
        template=template,
        text=text,
        fmt=chosen,
        title=row.title,
        values=recorded,
        policy=policy,
        today=today,
    )


def record_draft(
    session: Session,
    *,
    actor: User,
    contract: Contract,
    template: Template,
    text: str,
    fmt: str,
    title: str,
    values: dict[str, Any],
    policy: Policy,
    today: date,
    amendment: str | None = None,
) -> DraftResult:
    """A rendered text made into the document (``fmt``), hashed and recorded as a draft of
    the contract, audited as ``contract.draft`` (or ``amendment.draft`` of ``amendment``)."""
    assert contract.id is not None
    company = policy.company
    author = (company.get("name_en") if template.language == "en" else "") or company.get(
        "name", ""
    )
    content = render_document(text, fmt=fmt, title=title, language=template.language, author=author)
    digest = hashlib.sha256(content).hexdigest()
    draft = Draft(
        contract_id=contract.id,
        template_name=template.name,
        template_version=template.version,
        format=fmt,
        sha256=digest,
        values=values,
        created_on=today,
        created_by=actor.login,
    )
    session.add(draft)
    session.flush()
    assert draft.id is not None
    audit.record(
        session,
        actor=actor.login,
        action="amendment.draft" if amendment else "contract.draft",
        entity_type="amendment" if amendment else "contract",
        entity_id=amendment or contract.number,
        after={
            **({"contract": contract.number} if amendment else {}),
            "draft": draft.id,
            "template": template.ref,
            "format": fmt,
            "sha256": digest,
            "values": values,
        },
    )
    return DraftResult(
        contract=amendment or contract.number,
        template=template.ref,
        format=fmt,
        content=content,
        sha256=digest,
        draft_id=draft.id,
        values=values,
    )


def drafts_of(session: Session, *, contract_id: int) -> list[DraftRow]:
    """The drafts recorded for a contract, oldest first."""
    return [
        {
            "id": d.id,
            "template": f"{d.template_name}@{d.template_version}",
            "format": d.format,
            "sha256": d.sha256,
            "created_on": d.created_on,
            "created_by": d.created_by,
        }
        for d in session.execute(
            select(Draft).where(col(Draft.contract_id) == contract_id).order_by(col(Draft.id))
        ).scalars()
        if d.id is not None
    ]
