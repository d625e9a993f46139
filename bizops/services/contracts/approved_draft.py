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
from bizops.i18n import N_, _
from bizops.services import templates  # the template stack loads when a draft is hashed
from bizops.services.contracts.terms import json_safe
from bizops.store.models import Amendment, ApprovalRequest, Contract

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


# The parts of a snapshot compared entry by entry, each with how one changed entry is named.
_PARTS = (
    ("terms", N_("term {name}")),
    ("fields", N_("field {name}")),
    ("contract", N_("cited {name}")),
    ("changes", N_("change {name}")),
)


def changed_parts(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two snapshots (a contract's or a supplementary agreement's), in
    words: ``amount``, ``field delivery``, ``template sales-zh 1 -> 2``, ``change amount``."""
    out = []
    old_t, new_t = old.get("template") or {}, new.get("template") or {}
    if old_t != new_t:
        before = f"{old_t.get('name')}@{old_t.get('version')}" if old_t else "-"
        after = f"{new_t.get('name')}@{new_t.get('version')}" if new_t else "-"
        out.append(_("template {before} -> {after}").format(before=before, after=after))
    for part, label in _PARTS:
        old_p, new_p = old.get(part) or {}, new.get(part) or {}
        out.extend(
            _(label).format(name=name)
            for name in sorted(set(old_p) | set(new_p))
            if old_p.get(name) != new_p.get(name)
        )
    if old.get("reason") != new.get("reason"):
        out.append(_("the reason"))
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


def amendment_draft(
    session: Session, contract: Contract, amendment: Amendment
) -> dict[str, Any] | None:
    """The supplementary agreement's snapshot with its hash, as the amendment's request
    records it; None for an amendment with no agreement (it changes only the risk level)."""
    snapshot = templates.amendment_snapshot(session, contract, amendment)
    if snapshot is None:
        return None
    safe = json_safe(snapshot)
    return {"sha256": draft_hash(safe), **safe}


def _differences(
    session: Session, request: ApprovalRequest, contract: Contract, amendment: Amendment
) -> list[str]:
    """What changed in the amendment's agreement since its request recorded it (empty when
    it is the same, or the request recorded none)."""
    if not request.draft_sha256:
        return []
    current = amendment_draft(session, contract, amendment) or {}
    if current.get("sha256") == request.draft_sha256:
        return []
    recorded = {k: v for k, v in (request.draft or {}).items() if k != "sha256"}
    return changed_parts(recorded, {k: v for k, v in current.items() if k != "sha256"}) or [
        _("the draft")
    ]


def require_amendment_unchanged(
    session: Session, request: ApprovalRequest, contract: Contract, amendment: Amendment
) -> None:
    """``Conflict`` when the supplementary agreement differs from the one submitted with the
    request (its template was updated, or the terms it cites changed): what is approved must
    be what is signed."""
    changed = _differences(session, request, contract, amendment)
    if changed:
        raise Conflict(
            _(
                "amendment {amendment} differs from the supplementary agreement submitted in "
                "request {request} (changed: {changed}); nothing was approved: withdraw it "
                "(`bizops approval withdraw {request}`) and amend the contract again"
            ).format(amendment=amendment.number, request=request.id, changed=", ".join(changed))
        )


def amendment_request(session: Session, amendment: Amendment) -> ApprovalRequest | None:
    """The amendment's latest request that recorded its agreement."""
    return session.execute(
        select(ApprovalRequest)
        .where(
            col(ApprovalRequest.amendment_id) == amendment.id,
            col(ApprovalRequest.draft_sha256).is_not(None),
        )
        .order_by(col(ApprovalRequest.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def compare_amendment_draft(
    session: Session, contract: Contract, amendment: Amendment
) -> templates.DraftCheck | None:
    """How the supplementary agreement compares with the one its request recorded (None
    when no request recorded one)."""
    request = amendment_request(session, amendment)
    if request is None or request.id is None or not request.draft_sha256:
        return None
    changed = _differences(session, request, contract, amendment)
    return templates.DraftCheck(
        request=request.id,
        request_status=request.status,
        draft_sha256=request.draft_sha256,
        matches=not changed,
        changed=tuple(changed),
    )
