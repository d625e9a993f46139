"""`approval list`: requests, newest first, filtered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from bizops.domain import approval as rules
from bizops.domain.errors import NotPermitted
from bizops.domain.vocab import one_of
from bizops.i18n import _
from bizops.services.lookup import find_contract
from bizops.services.views.approvals import RequestRow
from bizops.store.models import Amendment, ApprovalRequest, ApprovalStep, Contract, Quote, User
from bizops.store.scope import scope_of


def _requests_query() -> Any:
    return (
        select(
            col(ApprovalRequest.id),
            # A request is about a contract or a quote: the number of either.
            func.coalesce(col(Contract.number), col(Quote.number)).label("number"),
            col(ApprovalRequest.quote_id),
            col(Amendment.number).label("amendment"),
            col(ApprovalRequest.status),
            col(ApprovalRequest.rule_name),
            col(ApprovalRequest.chain),
            col(ApprovalRequest.amount),
            col(ApprovalRequest.current_step),
            col(ApprovalRequest.submitted_by),
            col(ApprovalRequest.submitted_on),
            col(ApprovalRequest.closed_on),
        )
        .select_from(ApprovalRequest)
        .outerjoin(Contract, col(Contract.id) == col(ApprovalRequest.contract_id))
        .outerjoin(Quote, col(Quote.id) == col(ApprovalRequest.quote_id))
        .outerjoin(Amendment, col(Amendment.id) == col(ApprovalRequest.amendment_id))
        .order_by(col(ApprovalRequest.id).desc())
    )


def _submitted_or_decided_by(query: Any, actor: User | None) -> Any:
    if actor is None:
        raise NotPermitted(_("--mine: who is acting? pass --as USER or set BIZOPS_USER"))
    decided = (
        select(col(ApprovalStep.request_id))
        .where(col(ApprovalStep.decided_by) == actor.login)
        .correlate(None)
    )
    return query.where(
        or_(
            col(ApprovalRequest.submitted_by) == actor.login,
            col(ApprovalRequest.id).in_(decided),
        )
    )


def _label(chain: Any, step: int) -> str | None:
    """The current step's label: a role, or a group such as ``legal+finance``."""
    labels = list(chain or [])
    return str(labels[step - 1]) if 1 <= step <= len(labels) else None


def _request_row(r: Any) -> RequestRow:
    is_pending = r.status == rules.PENDING
    return {
        "id": r.id,
        "subject": "quote" if r.quote_id is not None else "contract",
        "contract": r.number,
        "amendment": r.amendment,
        "status": r.status,
        "rule": r.rule_name,
        "chain": list(r.chain),
        "amount": r.amount,
        "current_step": r.current_step if is_pending else None,
        "current_role": _label(r.chain, r.current_step) if is_pending else None,
        "submitted_by": r.submitted_by,
        "submitted_on": r.submitted_on,
        "closed_on": r.closed_on,
    }


def list_requests(
    session: Session,
    *,
    actor: User | None = None,
    status: str | None = None,
    contract: str | None = None,
    mine: bool = False,
) -> list[RequestRow]:
    """`approval list`: requests, newest first. ``mine``: submitted or decided by ``actor``."""
    query = _requests_query()
    if status:
        query = query.where(
            col(ApprovalRequest.status) == one_of(status, rules.REQUEST_STATUSES, "--status")
        )
    if contract:
        found = find_contract(session, contract, field="--contract")
        query = query.where(col(ApprovalRequest.contract_id) == found.id)
    if mine:
        query = _submitted_or_decided_by(query, actor)
    query = scope_of(session).only_contracts(query)
    return [_request_row(r) for r in session.execute(query)]
