"""What is approved is what is signed.

At submission the contract's draft must be complete (every required field of its template
set and valid). The request then keeps a snapshot of the draft (template version and its
text's hash, the fields, the terms) with its SHA-256. Signing recomputes it and refuses a
contract whose draft changed since it was approved, naming what changed.

The hash covers what the parties agree to, not the rendering of the day: the customer's
address or today's date in a rendered text may change without changing the deal.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import approval as approval_rules
from bizops.domain.errors import Conflict, Invalid
from bizops.i18n import _
from bizops.services import templates  # the template stack loads when a draft is hashed
from bizops.services.contracts.terms import json_safe
from bizops.store.models import ApprovalRequest, Contract

# The terms a draft carries besides its template's fields.
TERMS = ("title", "type", "amount", "currency", "risk", "start", "end", "notice_days")


def check_complete(session: Session, contract: Contract) -> None:
    """``Invalid`` (each missing or invalid field with its help text) unless the contract's
    template fields are complete. A contract without a template has nothing to check."""
    if not contract.template_name:
        return
    template = templates.get_template(session, contract.template_name, contract.template_version)
    try:
        templates.prepare_values(
            template,
            dict(contract.fields or {}),
            fix=f"bizops contract update {contract.number} --set FIELD=VALUE",
        )
    except Invalid as exc:
        raise Invalid(
            _("contract {number} cannot be submitted: {why}").format(
                number=contract.number, why=exc.message
            ),
            details=exc.details,
        ) from None


def draft_snapshot(session: Session, contract: Contract) -> dict[str, Any]:
    """The draft as approved: its template (version and text hash), fields and terms."""
    template: dict[str, Any] | None = None
    if contract.template_name:
        found = templates.get_template(session, contract.template_name, contract.template_version)
        template = {
            "name": found.name,
            "version": found.version,
            "sha256": hashlib.sha256(found.body.encode("utf-8")).hexdigest(),
        }
    terms = {name: getattr(contract, name) for name in TERMS}
    terms["non_standard"] = bool(contract.non_standard)
    return {
        "template": template,
        "fields": json_safe(dict(contract.fields or {})),
        "terms": json_safe(terms),
    }


def draft_hash(snapshot: dict[str, Any]) -> str:
    text = json.dumps(json_safe(snapshot), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approved_draft(session: Session, contract: Contract) -> dict[str, Any]:
    """The snapshot with its hash, as the request records it (``{"sha256": ..., ...}``)."""
    snapshot = draft_snapshot(session, contract)
    return {"sha256": draft_hash(snapshot), **snapshot}


def changed_parts(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, in words: ``amount``, ``field delivery``,
    ``template sales-zh 1 -> 2``."""
    out = []
    old_t, new_t = old.get("template") or {}, new.get("template") or {}
    if old_t != new_t:
        before = f"{old_t.get('name')}@{old_t.get('version')}" if old_t else "-"
        after = f"{new_t.get('name')}@{new_t.get('version')}" if new_t else "-"
        out.append(_("template {before} -> {after}").format(before=before, after=after))
    old_terms, new_terms = old.get("terms") or {}, new.get("terms") or {}
    out.extend(
        _("term {name}").format(name=name)
        for name in sorted(set(old_terms) | set(new_terms))
        if old_terms.get(name) != new_terms.get(name)
    )
    old_f, new_f = old.get("fields") or {}, new.get("fields") or {}
    out.extend(
        _("field {name}").format(name=name)
        for name in sorted(set(old_f) | set(new_f))
        if old_f.get(name) != new_f.get(name)
    )
    return out


def _approved_request(session: Session, contract: Contract) -> ApprovalRequest | None:
    return session.execute(
        select(ApprovalRequest)
        .where(
            col(ApprovalRequest.contract_id) == contract.id,
            col(ApprovalRequest.amendment_id).is_(None),
            col(ApprovalRequest.status) == approval_rules.APPROVED,
        )
        .order_by(col(ApprovalRequest.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def require_unchanged(session: Session, contract: Contract) -> str | None:
    """``Conflict`` when the draft differs from the approved one; returns the approved hash
    (None for a request from before drafts were hashed)."""
    request = _approved_request(session, contract)
    if request is None or not request.draft_sha256:
        return None
    current = draft_snapshot(session, contract)
    if draft_hash(current) == request.draft_sha256:
        return request.draft_sha256
    approved = {k: v for k, v in (request.draft or {}).items() if k != "sha256"}
    changed = changed_parts(approved, current) or [_("the draft")]
    raise Conflict(
        _(
            "contract {number} differs from the draft approved in request {request} "
            "(changed: {changed}); what is signed must be what was approved: reopen it "
            "(`bizops contract reopen {number} --reason ...`) and submit it again"
        ).format(number=contract.number, request=request.id, changed=", ".join(changed))
    )
