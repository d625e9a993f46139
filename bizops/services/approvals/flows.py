"""Changing who decides a pending request: hand a step over (转交) and add a signer (加签).

Both are recorded in the audit. Copies (抄送) are in ``copies``, out of office in
``absences``.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.domain import approval as rules
from bizops.domain.approval_steps import limit_applies
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.roles import ADMIN, APPROVER_ROLES, MANAGER, check_role
from bizops.domain.validate import check_text
from bizops.domain.vocab import label
from bizops.i18n import _
from bizops.services.approvals.decisions import (
    OpenRequest,
    audit_decision,
    candidates,
    load_pending,
    require_decider,
)
from bizops.services.approvals.requests import (
    find_request,
    limited_amount,
    request_view,
    snapshot,
    step_due,
)
from bizops.services.users import find_user
from bizops.services.views.approvals import RequestView
from bizops.store.models import ApprovalStep, User


def delegate(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    to: str,
    comment: str | None = None,
    today: date,
    policy: Policy,
) -> RequestView:
    """Hand one's pending step to another holder of its role (转交), who must be able to
    approve it: the role, the limit, segregation of duties."""
    text = check_text(comment, "--comment")
    loaded = load_pending(session, ref, doing="approved")
    row = require_decider(session, actor, loaded, verb="delegate", today=today)
    target = find_user(session, to, field="--to")
    request = loaded.request
    assert request.id is not None
    if target.login == actor.login or not target.active:
        raise Invalid(
            _("--to: {login} cannot take the step; give another active holder of {role}").format(
                login=target.login, role=row.role
            )
        )
    refusal = rules.decision_refusal(
        rules.Decider(target.login, tuple(target.role_list), target.approval_limit),
        request_id=request.id,
        chain=list(request.chain),
        current_step=loaded.seq,
        amount=limited_amount(request),
        submitted_by=request.submitted_by,
        owner=loaded.contract_owner(session),
        contract=loaded.number,
        decided=[(s.seq, s.decided_by) for s in loaded.steps if s.decided_by],
        roles=[row.role],
        limit_applies=limit_applies(
            request.limits, step=loaded.seq, last_step=max(s.seq for s in loaded.steps)
        ),
    )
    if refusal:
        raise Invalid(_("--to: {why}").format(why=refusal))
    before = snapshot(request, loaded.steps)
    row.assignee = target.login
    session.add(row)
    session.flush()
    audit_decision(
        session,
        actor,
        "approval.delegate",
        loaded,
        before,
        step=loaded.seq,
        role=row.role,
        to=target.login,
        comment=text,
    )
    return request_view(session, request, today=today)


def _signer(session: Session, role: str | None, user: str | None) -> tuple[str, User | None]:
    """The added step's role, and its person when one is named."""
    if role is None and user is None:
        raise Invalid(_("add-signer: give --role ROLE or --user LOGIN"))
    chosen = check_role(role) if role is not None else None
    person = find_user(session, user, field="--user") if user is not None else None
    if person is not None:
        held = [r for r in person.role_list if r in APPROVER_ROLES]
        if not person.active or not held:
            raise Invalid(
                _("--user: {login} holds no approver role ({roles})").format(
                    login=person.login, roles=", ".join(APPROVER_ROLES)
                )
            )
        if chosen is not None and chosen not in held:
            raise Invalid(
                _("--user: {login} does not hold the role {role}").format(
                    login=person.login, role=chosen
                )
            )
        chosen = chosen or held[0]
    assert chosen is not None
    if chosen not in APPROVER_ROLES:
        raise Invalid(
            _("--role: {role} cannot approve; approver roles are {roles}").format(
                role=chosen, roles=", ".join(APPROVER_ROLES)
            )
        )
    return chosen, person


def _require_adder(session: Session, actor: User, loaded: OpenRequest, today: date) -> None:
    if actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    if candidates(loaded, actor, today, session):
        return
    raise NotPermitted(
        _("{login} may not add a signer: a manager or the current step's approver may").format(
            login=actor.login
        )
    )


def add_signer(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    role: str | None = None,
    user: str | None = None,
    before: bool = False,
    today: date,
    policy: Policy,
) -> RequestView:
    """Insert a step (加签) before or after the current one: a role, or a person (with one of
    their approver roles). By a manager or the current step's approver."""
    found = find_request(session, ref)
    if found.status != rules.PENDING:
        raise Conflict(
            _("request {id} is {status}: a signer is added only to a pending request").format(
                id=found.id, status=label("approval_status", found.status)
            )
        )
    loaded = load_pending(session, ref, doing="approved")
    _require_adder(session, actor, loaded, today)
    chosen, person = _signer(session, role, user)
    request = loaded.request
    assert request.id is not None
    if person is not None and any(s.decided_by == person.login for s in loaded.steps):
        raise Invalid(
            _("--user: {login} already decided a step of request {id}").format(
                login=person.login, id=request.id
            )
        )
    seq = loaded.seq
    if before and any(s.status == rules.APPROVED for s in loaded.rows_at(seq)):
        raise Conflict(
            _(
                "--before: step {step} of request {id} is partly approved; add the signer --after"
            ).format(step=seq, id=request.id)
        )
    snap = snapshot(request, loaded.steps)
    at = seq if before else seq + 1
    for s in loaded.steps:
        if s.seq >= at:
            s.seq += 1
            session.add(s)
        if before and s.seq == seq + 1 and s.status == rules.PENDING:
            s.status, s.pending_since, s.due = rules.WAITING, None, None
    added = ApprovalStep(
        request_id=request.id,
        seq=at,
        role=chosen,
        status=rules.PENDING if before else rules.WAITING,
        pending_since=today if before else None,
        due=step_due(policy, today) if before else None,
        assignee=person.login if person is not None else None,
        added_by=actor.login,
    )
    session.add(added)
    chain = list(request.chain)
    chain.insert(at - 1, chosen)
    request.chain = chain
    session.add(request)
    session.flush()
    loaded.steps.append(added)
    audit_decision(
        session,
        actor,
        "approval.add_signer",
        loaded,
        snap,
        step=at,
        role=chosen,
        user=person.login if person is not None else None,
        position="before" if before else "after",
    )
    return request_view(session, request, today=today)
