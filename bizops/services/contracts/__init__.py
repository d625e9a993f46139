"""Contracts through their whole life: draft, approval, signing, performance, amendment,
dispute and archive.

- ``access``: who may act on a contract.
- ``terms``, ``numbering``, ``changes``: reading the terms, numbering, saving and auditing.
- ``drafts``: creating a draft, editing its terms, notes.
- ``lifecycle``: submit, sign, activate, complete, terminate, archive, reopen.
- ``outcomes``: what an approval decision does to the contract or its amendment.
- ``amendments``, ``milestones``, ``disputes``, ``attachments``: around a contract in force.
- ``listing``, ``expiry``, ``show``: contracts as rows, those ending, one in full.

The lifecycle is data in ``bizops.domain.contract_states``. Contracts use approvals (to open
requests and to decide); approvals never call back: they return an outcome applied here.
"""

from __future__ import annotations

from bizops.services.contracts.access import is_manager, require_contract_role
from bizops.services.contracts.amendments import (
    AMENDABLE_FIELDS,
    amend_contract,
    amendments_of,
    draft_supplementary,
)
from bizops.services.contracts.attachments import (
    attach_file,
    file_sha256,
    list_attachments,
    storage_dir,
    verify_file,
)
from bizops.services.contracts.disputes import list_disputes, open_dispute, resolve_dispute
from bizops.services.contracts.drafts import add_note, create_contract, notes_of, update_contract
from bizops.services.contracts.expiry import ending_contracts, notice_reminders, notice_trigger
from bizops.services.contracts.from_quote import contract_from_quote
from bizops.services.contracts.lifecycle import (
    activate_contract,
    archive_contract,
    complete_contract,
    reopen_contract,
    sign_contract,
    submit_contract,
    terminate_contract,
)
from bizops.services.contracts.listing import contract_summary, list_contracts
from bizops.services.contracts.milestones import (
    add_milestone,
    complete_milestone,
    due_milestones,
    list_milestones,
)
from bizops.services.contracts.outcomes import (
    apply_outcome,
    approve_request,
    reject_request,
    withdraw_request,
)
from bizops.services.contracts.seals import SEALS, SealRow, seal_contract, seal_log
from bizops.services.contracts.show import show_contract
from bizops.services.contracts.statuses import AMENDMENT_PENDING, DISPUTE_OPEN, DISPUTE_RESOLVED
from bizops.services.contracts.terms import MAX_NOTICE_DAYS, parse_assignments
from bizops.services.lookup import find_contract
from bizops.services.views.contracts import (
    AddedAttachment,
    AddedNote,
    AmendmentRow,
    AttachmentRow,
    BlockedMove,
    ContractRow,
    ContractShow,
    CreatedContract,
    DisputeRow,
    DueMilestone,
    EndingContract,
    ExpiringContractRow,
    MilestoneListRow,
    MilestoneRow,
    NoteRow,
    NoticeReminder,
    ProposedAmendment,
    Submission,
    Verification,
)

__all__ = [
    "SEALS",
    "SealRow",
    "seal_contract",
    "seal_log",
    "AMENDABLE_FIELDS",
    "AMENDMENT_PENDING",
    "DISPUTE_OPEN",
    "DISPUTE_RESOLVED",
    "MAX_NOTICE_DAYS",
    "AddedAttachment",
    "AddedNote",
    "AmendmentRow",
    "AttachmentRow",
    "BlockedMove",
    "ContractRow",
    "ContractShow",
    "CreatedContract",
    "DisputeRow",
    "DueMilestone",
    "EndingContract",
    "ExpiringContractRow",
    "MilestoneListRow",
    "MilestoneRow",
    "NoteRow",
    "NoticeReminder",
    "ProposedAmendment",
    "Submission",
    "Verification",
    "activate_contract",
    "add_milestone",
    "add_note",
    "amend_contract",
    "amendments_of",
    "draft_supplementary",
    "apply_outcome",
    "approve_request",
    "archive_contract",
    "attach_file",
    "complete_contract",
    "complete_milestone",
    "contract_summary",
    "contract_from_quote",
    "create_contract",
    "due_milestones",
    "ending_contracts",
    "file_sha256",
    "find_contract",
    "is_manager",
    "list_attachments",
    "list_contracts",
    "list_disputes",
    "list_milestones",
    "notes_of",
    "notice_reminders",
    "notice_trigger",
    "open_dispute",
    "parse_assignments",
    "reject_request",
    "reopen_contract",
    "require_contract_role",
    "resolve_dispute",
    "show_contract",
    "sign_contract",
    "storage_dir",
    "submit_contract",
    "terminate_contract",
    "update_contract",
    "verify_file",
    "withdraw_request",
]
