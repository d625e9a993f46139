"""What the contracts service returns: contract rows, the `show` object and its sections."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict

from bizops.services.views.approvals import ContractRequestRow
from bizops.services.views.templates import DraftRow


class ContractRow(TypedDict):
    """A row of `contract list`, and the summary a write returns."""

    id: int
    number: str
    title: str
    customer: str
    customer_code: str
    owner: str
    type: str
    amount: Decimal
    currency: str
    risk: str
    status: str
    start: date
    end: date
    template: str | None
    non_standard: bool
    notice_days: int


class ExpiringContractRow(ContractRow):
    """A row of `contract list --expiring`: also how many days are left."""

    days_left: int


class EndingContract(ExpiringContractRow):
    """A signed or active contract near (or past) its end, for reminders: also its owner and
    the day its notice period begins."""

    owner_id: int
    notice_on: date


class NoticeReminder(EndingContract):
    """An ending contract that is due a reminder today: ``reminder`` is the reminder point
    (days before the end) reached, or ``"ended"`` for a contract past its end and still live."""

    reminder: int | str


class CreatedContract(ContractRow):
    non_standard_reasons: list[str]


class NoteRow(TypedDict):
    id: int
    at: datetime
    actor: str
    text: str


class AddedNote(TypedDict):
    id: int
    contract: str
    actor: str
    text: str


class MilestoneRow(TypedDict):
    """A milestone of one contract (`contract show`, `milestone add`, `milestone done`)."""

    id: int
    contract: str
    kind: str
    due: date
    amount: Decimal | None
    note: str | None
    done_on: date | None
    done_by: str | None
    days_overdue: int


class MilestoneListRow(TypedDict):
    """A row of `contract milestone list`."""

    id: int
    contract: str
    title: str
    customer: str
    owner: str
    kind: str
    due: date
    amount: Decimal | None
    currency: str
    note: str | None
    done_on: date | None
    done_by: str | None
    days_overdue: int


class DueMilestone(MilestoneListRow):
    """An open milestone due (or overdue) on a contract under performance, with its owner."""

    owner_id: int


class DisputeRow(TypedDict):
    id: int
    contract: str
    summary: str
    status: str
    opened_on: date
    opened_by: str
    resolution: str | None
    resolved_on: date | None
    resolved_by: str | None


class AttachmentRow(TypedDict):
    id: int
    kind: str
    filename: str
    sha256: str
    size: int
    added_on: date
    added_by: str


class AddedAttachment(AttachmentRow):
    contract: str


class Verification(TypedDict):
    """`contract verify`: whether a file is one of the contract's archived copies."""

    contract: str
    file: str
    sha256: str
    size: int
    match: bool
    attachment: AttachmentRow | None
    copy: str | None
    archived_copies: int


class AmendmentRow(TypedDict):
    id: int
    number: str
    status: str
    changes: dict[str, Any]
    reason: str
    created_on: date
    created_by: str
    applied_on: date | None


class ProposedAmendment(TypedDict):
    """`contract amend`: the amendment and the approval request it waits for."""

    id: int
    number: str
    contract: str
    changes: dict[str, dict[str, str]]
    status: str
    request: int
    rule: str
    chain: list[str]


class Submission(TypedDict):
    """`contract submit`: the request that now decides the contract."""

    contract: str
    status: str
    request: int
    rule: str
    chain: list[str]


class BlockedMove(TypedDict):
    move: str
    reason: str


class ContractShow(ContractRow):
    """`contract show`: the contract with everything around it."""

    fields: dict[str, Any]
    non_standard_reasons: list[str]
    days_left: int
    created_on: date
    submitted_on: date | None
    approved_on: date | None
    signed_on: date | None
    signatory: str | None
    activated_on: date | None
    completed_on: date | None
    terminated_on: date | None
    termination_reason: str | None
    archived_on: date | None
    archive_reason: str | None
    allowed_moves: list[str]
    blocked_moves: list[BlockedMove]
    notes: list[NoteRow]
    milestones: list[MilestoneRow]
    disputes: list[DisputeRow]
    attachments: list[AttachmentRow]
    amendments: list[AmendmentRow]
    approval_requests: list[ContractRequestRow]
    drafts: list[DraftRow]


class SealRow(TypedDict):
    """A use of a seal, as `bizops seal log` lists it."""

    id: int
    contract: str
    title: str
    seal: str
    copies: int
    draft_sha256: str | None
    sealed_on: date
    sealed_by: str
