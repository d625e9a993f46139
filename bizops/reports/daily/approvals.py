"""The approval sections of the daily report: what waits on each user, and what is overdue.

The steps come from the approvals service (``approvals.pending_steps``: one query, most
urgent first); this module only decides who sees which step and words each item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from bizops.domain import approval as approval_rules
from bizops.domain.money import money_str
from bizops.domain.workdays import WorkCalendar
from bizops.i18n import _
from bizops.reports.daily.common import (
    PerUser,
    Recipient,
    amount,
    contract_words,
    per_user,
    when,
    when_working,
)
from bizops.reports.daily.items import ApprovalItem


class PendingStepRow(Protocol):
    """What the report reads of a pending step (``approvals.PendingStep`` has it; read-only)."""

    @property
    def request_id(self) -> int: ...

    @property
    def step_id(self) -> int: ...

    @property
    def step(self) -> int: ...

    @property
    def steps(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def amount(self) -> Decimal: ...

    @property
    def submitted_by(self) -> str: ...

    @property
    def waiting_since(self) -> date | None: ...

    @property
    def due(self) -> date | None: ...

    @property
    def amendment_id(self) -> int | None: ...

    @property
    def contract(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def currency(self) -> str: ...

    @property
    def customer(self) -> str: ...

    @property
    def owner_id(self) -> int: ...

    @property
    def approved(self) -> Mapping[int, str] | Sequence[tuple[int, str]]: ...

    def refusal(self, decider: approval_rules.Decider) -> str | None: ...

    def is_overdue(self, today: date) -> bool: ...

    def days_overdue(self, today: date) -> int: ...


def _may_decide(recipient: Recipient, row: PendingStepRow) -> bool:
    """The approval rules themselves: role, segregation of duties, one step, the limit."""
    decider = approval_rules.Decider(
        login=recipient.login, roles=recipient.roles, limit=recipient.limit
    )
    return row.refusal(decider) is None


def _approval_item(
    row: PendingStepRow,
    today: date,
    *,
    overdue_view: bool,
    calendar: WorkCalendar | None = None,
) -> ApprovalItem:
    days_overdue = row.days_overdue(today)
    steps = row.steps
    what = contract_words(row.contract, row.title, row.customer, amount(row.amount, row.currency))
    since = row.waiting_since.isoformat() if row.waiting_since else None
    waiting = _("waiting since {date}").format(date=since or "?")
    if row.due is None:
        deadline = waiting
    elif calendar is None:
        deadline = when(row.due, today)
    else:  # the SLA is in working days: so is the time left
        deadline = when_working(row.due, today, calendar)
    if overdue_view:
        action = _("Chase {what}: step {step} of {steps} ({role}) — {deadline}; {waiting}")
    else:
        action = _(
            "Approve or reject {what} as {role}, step {step} of {steps} — {deadline}; "
            "`bizops approval show {id}`"
        )
    action = action.format(
        what=what,
        step=row.step,
        steps=steps,
        role=row.role,
        deadline=deadline,
        waiting=waiting,
        id=row.request_id,
    )
    return {
        "id": row.request_id,
        "step_id": row.step_id,
        "contract": row.contract,
        "title": row.title,
        "customer": row.customer,
        "step": row.step,
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
    pending: Sequence[PendingStepRow],
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
        for row in pending:
            mine = row.role in recipient.roles
            involved = row.submitted_by == recipient.login or row.owner_id == recipient.id
            if mine and _may_decide(recipient, row):
                waiting[recipient.id].append(
                    _approval_item(row, today, overdue_view=False, calendar=calendar)
                )
            late = row.is_overdue(today)
            if late and (recipient.sees_team or mine or involved):
                overdue[recipient.id].append(_approval_item(row, today, overdue_view=True))
        waiting[recipient.id].sort(key=_urgency)
        overdue[recipient.id].sort(key=_urgency)
    return waiting, overdue
