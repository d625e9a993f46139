"""Drafting an amendment's supplementary agreement (补充协议) from ``amendment-zh`` or
``amendment-en``: it cites the original contract, states each change as 原约定 / 现变更为 and
keeps the rest in force. Recorded like a contract's draft (template version, format, hash)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.context import build_context
from bizops.documents.env import render
from bizops.documents.library import Template
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.templates.drafting import (
    DraftResult,
    contract_dict,
    contract_to_draft,
    record_draft,
)
from bizops.services.templates.rendering import (
    check_format,
    customer_dict,
    prepare_values,
    primary_contact,
    user_dict,
)
from bizops.services.templates.versions import get_template
from bizops.store.models import Amendment, Contract, Customer, User

# Terms a supplementary agreement states; the risk level is ours, not agreed with the customer.
AGREED_TERMS = ("title", "amount", "start", "end")
# An amendment that did not go through is not signed.
NOT_DRAFTED = ("rejected", "withdrawn")


def find_amendment(session: Session, contract: Contract, ref: str | int) -> Amendment:
    """A contract's amendment by its sequence (1, A1) or its number (HT-2026-0001-A1)."""
    text = str(ref).strip().upper()
    seq_text = text.removeprefix(f"{contract.number}-").removeprefix("A")
    found = None
    if seq_text.isdigit():
        found = session.execute(
            select(Amendment).where(
                col(Amendment.contract_id) == contract.id, col(Amendment.seq) == int(seq_text)
            )
        ).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _(
                "--amendment: contract {number} has no amendment {ref!r}; "
                "see `bizops contract show {number}`"
            ).format(number=contract.number, ref=str(ref))
        )
    return found


def _agreed_changes(amendment: Amendment) -> list[dict[str, str]]:
    changes = [
        {"term": name, "old": str(change["from"]), "new": str(change["to"])}
        for name in AGREED_TERMS
        if (change := (amendment.changes or {}).get(name))
    ]
    if not changes:
        raise Invalid(
            _(
                "amendment {amendment} changes only the risk level, which is not agreed with "
                "the customer; there is no supplementary agreement to draft"
            ).format(amendment=amendment.number)
        )
    return changes


def _template_for(session: Session, contract: Contract) -> Template:
    """``amendment-en`` for a contract drafted in English, else ``amendment-zh``."""
    language = "zh"
    if contract.template_name:
        language = get_template(session, contract.template_name, contract.template_version).language
    return get_template(session, f"amendment-{language}")


def _render(
    session: Session,
    contract: Contract,
    amendment: Amendment,
    template: Template,
    *,
    policy: Policy,
    today: date,
) -> tuple[str, dict[str, Any]]:
    """The agreement's text and the values it was rendered with: the template's fields take
    the original contract's values (counterparty, place of signing, copies)."""
    stored = {k: v for k, v in (contract.fields or {}).items() if template.field(k) is not None}
    values, _unknown = prepare_values(
        template, stored, fix=f"bizops contract update {contract.number} --set FIELD=VALUE"
    )
    changes = _agreed_changes(amendment)
    original = contract_dict(contract)
    # The agreement cites the contract as signed: a title this amendment changes, as it was.
    original["title"] = next((c["old"] for c in changes if c["term"] == "title"), original["title"])
    customer = session.get(Customer, contract.customer_id)
    assert customer is not None and customer.id is not None
    context = build_context(
        template=template,
        contract=original,
        customer=customer_dict(customer),
        contact=primary_contact(session, customer.id),
        company=dict(policy.company),
        owner=user_dict(session.get(User, contract.owner_id)),
        today=today,
        values={k: v for k, v in values.items() if v is not None},
        amendment={
            "number": amendment.number,
            "seq": amendment.seq,
            "reason": amendment.reason,
            "created_on": amendment.created_on,
            "changes": changes,
        },
    )
    return render(template.body, context, name=template.ref), values


def amendment_snapshot(
    session: Session, contract: Contract, amendment: Amendment
) -> dict[str, Any] | None:
    """The supplementary agreement as submitted: its template (name, version, text hash), the
    contract it cites (number, title, date), the template's fields, each change and the
    reason. None when the amendment changes nothing agreed with the customer (no agreement).
    What depends on the day of drafting (today's date, addresses) is left out."""
    changes = (amendment.changes or {}).items()
    if not any(name in AGREED_TERMS for name, _change in changes):
        return None
    template = _template_for(session, contract)
    title = str(((amendment.changes or {}).get("title") or {}).get("from") or contract.title)
    return {
        "template": {
            "name": template.name,
            "version": template.version,
            "sha256": hashlib.sha256(template.body.encode("utf-8")).hexdigest(),
        },
        "contract": {
            "number": contract.number,
            "title": title,
            "date": contract.signed_on.isoformat() if contract.signed_on else None,
        },
        "fields": {
            k: v for k, v in (contract.fields or {}).items() if template.field(k) is not None
        },
        "changes": {
            name: {"from": str(change["from"]), "to": str(change["to"])}
            for name, change in changes
            if name in AGREED_TERMS
        },
        "reason": amendment.reason,
    }


def draft_amendment(
    session: Session,
    *,
    actor: User,
    contract: str | int,
    amendment: str | int,
    fmt: str = "md",
    policy: Policy,
    today: date,
) -> DraftResult:
    """Render an amendment's supplementary agreement and record the draft with its hash."""
    chosen = check_format(fmt)
    row = contract_to_draft(session, actor=actor, ref=contract, policy=policy)
    assert row.id is not None
    found = find_amendment(session, row, amendment)
    if found.status in NOT_DRAFTED:
        raise Conflict(
            _("amendment {amendment} is {status}; there is nothing to sign").format(
                amendment=found.number, status=found.status
            )
        )
    template = _template_for(session, row)
    text, recorded = _render(session, row, found, template, policy=policy, today=today)
    return record_draft(
        session,
        actor=actor,
        contract=row,
        template=template,
        text=text,
        fmt=chosen,
        title=template.title,
        values=recorded,
        policy=policy,
        today=today,
        amendment=found.number,
    )
