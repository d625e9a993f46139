"""Copies (抄送): people informed of a request, by `--cc` on submission or by the policy's
``[[approval.cc]]`` rules. They see it in their daily report; they do not decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import NotFound
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.store.models import ApprovalCopy, ApprovalRequest, User

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
