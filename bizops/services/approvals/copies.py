"""Copies (抄送): people informed of a request, by `--cc` on submission or by the policy's
``[[approval.cc]]`` rules. They see it in their daily report; they do not decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain.errors import NotFound
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.store.models import ApprovalCopy, ApprovalRequest, Contract, Customer, Quote, User

SUBMIT = "submit"
POLICY = "policy"


def _active_logins(session: Session) -> dict[str, User]:
    return {
        u.login: u
        for u in session.execute(select(User).where(col(User.active).is_(True))).scalars()
    }


def check_cc(session: Session, logins: Sequence[str]) -> list[str]:
    """The logins given with --cc, each an active user; ``NotFound`` names the first unknown."""
    known = _active_logins(session)
    out: list[str] = []
    for login in logins:
        name = login.strip()
        if name not in known:
            raise NotFound(
                _("--cc: no active user {login}; see `bizops user list`").format(login=repr(name))
            )
        if name not in out:
            out.append(name)
    return out


def policy_cc(session: Session, policy: Policy, rule: str) -> list[str]:
    """Who the policy copies on a request routed by ``rule``: the named users and every
    active holder of the named roles."""
    known = _active_logins(session)
    out: list[str] = []
    for cc in policy.approval_cc:
        if not cc.applies(rule):
            continue
        out.extend(login for login in cc.users if login in known)
        out.extend(u.login for u in known.values() if any(u.has_role(r) for r in cc.roles))
    return list(dict.fromkeys(out))


def add_copies(
    session: Session,
    request: ApprovalRequest,
    *,
    given: Sequence[str],
    from_policy: Sequence[str],
    today: date,
    skip: Sequence[str] = (),
) -> list[str]:
    """Record the copies of a new request (not the submitter); returns the logins."""
    assert request.id is not None
    rows: dict[str, str] = {}
    for login in given:
        rows.setdefault(login, SUBMIT)
    for login in from_policy:
        rows.setdefault(login, POLICY)
    for login in skip:
        rows.pop(login, None)
    session.add_all(
        ApprovalCopy(request_id=request.id, login=login, source=source, added_on=today)
        for login, source in rows.items()
    )
    return list(rows)


def copied_to(session: Session, request_id: int) -> list[str]:
    return list(
        session.execute(
            select(col(ApprovalCopy.login))
            .where(col(ApprovalCopy.request_id) == request_id)
            .order_by(col(ApprovalCopy.id))
        ).scalars()
    )


class CopiedRow(TypedDict):
    """A request someone is copied on, as the daily report reads it."""

    login: str  # who is copied
    request_id: int
    contract: str  # the contract's number, or the quote's
    title: str  # the contract's title; a quote's is its customer's name
    customer: str
    amount: Decimal
    currency: str
    status: str  # pending | approved | rejected | withdrawn | void
    step: int
    steps: int
    role: str | None  # the current step's label while pending
    submitted_by: str
    submitted_on: date
    closed_on: date | None
    amendment_id: int | None
    quote: bool  # a quote's request rather than a contract's


def copied_rows(
    session: Session, *, since: date, logins: Sequence[str] | None = None
) -> list[CopiedRow]:
    """The requests people are copied on that are still pending, or were decided on or after
    ``since``; for ``logins`` only, or everyone. Oldest submission first (one query)."""
    # A request is a contract's (or its amendment's) or a quote's: one of the two joins.
    query = (
        select(
            col(ApprovalCopy.login),
            col(ApprovalRequest.id),
            func.coalesce(col(Contract.number), col(Quote.number)),
            func.coalesce(col(Contract.title), col(Customer.name)),
            col(Customer.name),
            col(ApprovalRequest.amount),
            func.coalesce(col(Contract.currency), col(Quote.currency)),
            col(ApprovalRequest.status),
            col(ApprovalRequest.current_step),
            col(ApprovalRequest.chain),
            col(ApprovalRequest.submitted_by),
            col(ApprovalRequest.submitted_on),
            col(ApprovalRequest.closed_on),
            col(ApprovalRequest.amendment_id),
            col(ApprovalRequest.quote_id),
        )
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalCopy.request_id))
        .outerjoin(Contract, col(Contract.id) == col(ApprovalRequest.contract_id))
        .outerjoin(Quote, col(Quote.id) == col(ApprovalRequest.quote_id))
        .join(
            Customer,
            col(Customer.id) == func.coalesce(col(Contract.customer_id), col(Quote.customer_id)),
        )
        .where(
            (col(ApprovalRequest.status) == "pending") | (col(ApprovalRequest.closed_on) >= since)
        )
        .order_by(col(ApprovalRequest.submitted_on), col(ApprovalRequest.id))
    )
    if logins is not None:
        query = query.where(col(ApprovalCopy.login).in_(list(logins)))
    out: list[CopiedRow] = []
    for r in session.execute(query).all():
        chain = list(r[9] or [])
        pending = r[7] == "pending"
        out.append(
            {
                "login": r[0],
                "request_id": r[1],
                "contract": r[2],
                "title": r[3],
                "customer": r[4],
                "amount": r[5],
                "currency": r[6],
                "status": r[7],
                "step": r[8],
                "steps": len(chain),
                "role": str(chain[r[8] - 1]) if pending and 1 <= r[8] <= len(chain) else None,
                "submitted_by": r[10],
                "submitted_on": r[11],
                "closed_on": r[12],
                "amendment_id": r[13],
                "quote": r[14] is not None,
            }
        )
    return out
