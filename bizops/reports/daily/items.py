"""The daily report's JSON, declared once: a report per user and the items of each section.

Dates are ISO strings and amounts two-decimal strings, so that the templates and the JSON read
the items as they are. Every item carries an ``action``: what to do and by when.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class FollowupItem(TypedDict):
    """``followups_overdue`` and ``followups_due_today``."""

    id: int  # the follow-up
    code: str
    customer: str
    grade: str
    stage: str
    owner: str | None
    due: str
    days_overdue: int
    last_contact: str | None
    channel: str  # the first suggested
    channels: list[str]
    kind: str  # first_contact | cadence | planned
    purpose: str | None
    # The last contact's purpose, place and next action (拜访目的, 地点, 下一步), if logged.
    last_purpose: str | None
    last_place: str | None
    next_action: str | None
    action: str


class NewCustomerItem(TypedDict):
    """``new_customers``: created recently and never contacted."""

    id: int  # the customer
    code: str
    customer: str
    grade: str
    stage: str
    owner: str | None
    created: str
    due: str  # of the first contact
    days_overdue: int
    channel: str
    channels: list[str]
    action: str


class ApprovalItem(TypedDict):
    """``approvals_waiting`` and ``approvals_overdue``."""

    id: int  # the request, as in `bizops approval approve ID`
    step_id: int
    contract: str
    title: str
    customer: str
    step: int
    steps: int
    role: str
    amount: str | None
    currency: str
    submitted_by: str
    waiting_since: str | None
    due: str | None
    days_overdue: int
    amendment: bool  # the request is for an amendment
    action: str


class CopiedItem(TypedDict):
    """``approvals_copied``: a request the user is copied on (抄送): informed, not deciding.
    Listed while it is pending and on the day after it is decided."""

    id: int  # the request, as in `bizops approval show ID`
    contract: str
    title: str
    customer: str
    amount: str | None
    currency: str
    status: str  # of the request: pending | approved | rejected | withdrawn | void
    step: int
    steps: int
    role: str | None  # the current step while pending
    submitted_by: str
    submitted_on: str
    closed_on: str | None
    amendment: bool
    action: str


class NoticeItem(TypedDict):
    """``contracts_notice``: a live contract at one of its reminder points, or past its end."""

    id: int
    number: str
    title: str
    customer: str
    amount: str | None
    currency: str
    status: str
    end: str
    days_left: int  # negative once ended
    notice_days: int
    reminder: int | str  # the point in days, or "ended"
    action: str


class MilestoneItem(TypedDict):
    """``milestones``: open milestones of live contracts, due or overdue."""

    id: int  # as in `bizops contract milestone done ID`
    contract: str
    title: str
    customer: str
    kind: str
    due: str
    days_overdue: int
    days_left: int
    amount: str | None
    currency: str | None
    note: str | None
    action: str


class ReceiptOverdueItem(TypedDict):
    """``receipts_overdue``: a contract with money past due (逾期回款), for its owner and
    for finance."""

    contract: str
    title: str
    customer: str
    owner: str
    currency: str
    overdue: str
    outstanding: str
    oldest_due: str
    days_overdue: int
    action: str


class InvoiceToIssueItem(TypedDict):
    """``invoices_to_issue``: an invoice request waiting for finance (待开票)."""

    id: int  # as in `bizops contract invoice issue ID`
    contract: str
    customer: str
    type: str
    amount: str
    currency: str
    requested_on: str
    requested_by: str
    action: str


class OwnerOverdue(TypedDict):
    owner: str
    name: str
    overdue: int
    oldest_due: str
    max_days_overdue: int


class ReturnedItem(TypedDict):
    """``returned_to_pool``: a customer of the recipient's that went back to the shared pool
    today, after ``pool.return_after_days`` without a logged contact."""

    id: int  # the customer
    code: str
    customer: str
    last_contact: str | None
    idle_days: int
    action: str


class TeamSummary(TypedDict):
    """The team's overdue follow-ups, for managers: most overdue owners first."""

    overdue: int
    by_owner: list[OwnerOverdue]


class DailyReport(TypedDict):
    user: str
    user_id: int
    name: str
    email: str | None
    roles: list[str]
    date: str
    items: int
    counts: dict[str, int]  # per section
    followups_overdue: list[FollowupItem]
    followups_due_today: list[FollowupItem]
    approvals_waiting: list[ApprovalItem]
    approvals_overdue: list[ApprovalItem]
    approvals_copied: list[CopiedItem]
    contracts_notice: list[NoticeItem]
    milestones: list[MilestoneItem]
    new_customers: list[NewCustomerItem]
    receipts_overdue: list[ReceiptOverdueItem]
    invoices_to_issue: list[InvoiceToIssueItem]
    # Not an item to act on (not in ``counts``): what the pool took back today.
    returned_to_pool: list[ReturnedItem]
    team: TeamSummary | None
    # The head of the audit log (COUNT:HASH), in the reports mailed to managers and admins.
    audit_anchor: NotRequired[str]
