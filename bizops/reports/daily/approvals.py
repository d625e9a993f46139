"""The approval sections of the daily report: what waits on each user, and what is overdue.

``pending_approvals`` still reads the database here; the approvals service will own that query
(the daily report then takes its rows from there, as it does for follow-ups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import col

from bizops.domain import approval as approval_rules
from bizops.domain.money import money_str
from bizops.domain.workdays import WorkCalendar
from bizops.reports.daily.common import PerUser, Recipient, amount, per_user, when, when_working
from bizops.reports.daily.items import ApprovalItem
from bizops.store.models import ApprovalRequest, ApprovalStep, Contract, Customer, User

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class PendingApprovals:
    steps: Sequence[Any]  # the current step of every pending request, with its contract
    approved: Mapping[int, Mapping[int, str]]  # request id -> step -> who approved it


def pending_approvals(session: Session) -> PendingApprovals:
    step, request, contract = ApprovalStep, ApprovalRequest, Contract
    found = session.execute(
        select(
            col(step.id).label("step_id"),
            col(step.seq),
            col(step.role),
            col(step.pending_since),
            col(step.due),
            col(request.id).label("request_id"),
            col(request.chain),
            col(request.amount),
            col(request.submitted_by),
            col(request.submitted_on),
            col(request.amendment_id),
            col(contract.id).label("contract_id"),
            col(contract.number),
            col(contract.title),
            col(contract.currency),
            col(contract.owner_id),
            col(Customer.name).label("customer"),
            col(User.login).label("owner_login"),
        )
        .select_from(step)
        .join(request, col(request.id) == col(step.request_id))
        .join(contract, col(contract.id) == col(request.contract_id))
        .join(Customer, col(Customer.id) == col(contract.customer_id))
        .join(User, col(User.id) == col(contract.owner_id))
        .where(
            col(step.status) == "pending",
            col(request.status) == "pending",
            col(step.seq) == col(request.current_step),
        )
    )
    steps = list(found)
    if not steps:
        return PendingApprovals(steps, {})
    decided = session.execute(
        select(col(step.request_id), col(step.seq), col(step.decided_by))
        .join(request, col(request.id) == col(step.request_id))
        .where(
            col(request.status) == "pending",
            col(step.status) == "approved",
            col(step.decided_by).is_not(None),
        )
    )
    approved: dict[int, dict[int, str]] = defaultdict(dict)
    for request_id, seq, login in decided:
        approved[request_id][seq] = login
    return PendingApprovals(steps, approved)


def _may_decide(recipient: Recipient, row: Any, decided: Mapping[int, str]) -> bool:
    """The approval rules themselves: role, segregation of duties, one step, the limit."""
    refusal = approval_rules.decision_refusal(
        approval_rules.Decider(login=recipient.login, roles=recipient.roles, limit=recipient.limit),
        request_id=row.request_id,
        chain=list(row.chain or []),
        current_step=row.seq,
        amount=row.amount,
        submitted_by=row.submitted_by,
        owner=row.owner_login,
        contract=row.number,
        decided=decided,
    )
    return refusal is None


def _approval_item(
    row: Any, today: date, *, overdue_view: bool, calendar: WorkCalendar | None = None
) -> ApprovalItem:
    days_overdue = max((today - row.due).days, 0) if row.due else 0
    steps = len(row.chain or [])
    what = f"{row.number} {row.title} ({row.customer}, {amount(row.amount, row.currency)})"
    since = row.pending_since.isoformat() if row.pending_since else None
    if row.due is None:
        deadline = f"waiting since {since or '?'}"
    else:  # the SLA is in working days: so is the time left
        deadline = (
            when(row.due, today) if calendar is None else when_working(row.due, today, calendar)
        )
    if overdue_view:
        action = (
            f"Chase {what}: step {row.seq} of {steps} ({row.role}) — {deadline}; "
            f"waiting since {since or '?'}"
        )
    else:
        action = (
            f"Approve or reject {what} as {row.role}, step {row.seq} of {steps} — {deadline}; "
            f"`bizops approval show {row.request_id}`"
        )
    return {
        "id": row.request_id,
        "step_id": row.step_id,
        "contract": row.number,
        "title": row.title,
        "customer": row.customer,
        "step": row.seq,
        "steps": steps,
        "role": row.role,
        "amount": money_str(row.amount),
        "currency": row.currency,
        "submitted_by": row.submitted_by,
        "waiting_since": since,
        "due": row.due.isoformat() if row.due else None,
        "days_overdue": days_overdue,
        "amendment": row.amendment_id is not None,
        "action": action,
    }


def _urgency(item: ApprovalItem) -> tuple[int, str, int]:
    return (-item["days_overdue"], item["due"] or "", item["id"])


def approval_sections(
    pending: PendingApprovals,
    *,
    recipients: Sequence[Recipient],
    today: date,
    calendar: WorkCalendar | None = None,
) -> tuple[PerUser[ApprovalItem], PerUser[ApprovalItem]]:
    """(``approvals_waiting``, ``approvals_overdue``) of each recipient.

    Waiting: the steps the recipient may decide now (the approval rules themselves). Overdue:
    past their due date, for those who see the team, hold the step's role, submitted the
    request or own the contract."""
    waiting: PerUser[ApprovalItem] = per_user(recipients)
    overdue: PerUser[ApprovalItem] = per_user(recipients)
    for recipient in recipients:
        for row in pending.steps:
            mine = row.role in recipient.roles
            involved = row.submitted_by == recipient.login or row.owner_id == recipient.id
            decided = pending.approved.get(row.request_id, {})
            if mine and _may_decide(recipient, row, decided):
                waiting[recipient.id].append(
                    _approval_item(row, today, overdue_view=False, calendar=calendar)
                )
            late = row.due is not None and row.due < today
            if late and (recipient.sees_team or mine or involved):
                overdue[recipient.id].append(_approval_item(row, today, overdue_view=True))
        waiting[recipient.id].sort(key=_urgency)
        overdue[recipient.id].sort(key=_urgency)
    return waiting, overdue
