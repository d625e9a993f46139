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

Each name below is imported from its module on first use, so that a command loads only
the modules it calls (`contract show` does not load drafting, templates or money).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from bizops.services.contracts.drafts import (
        add_note,
        create_contract,
        notes_of,
        update_contract,
    )
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

_HOMES: dict[str, str] = {
    "is_manager": "bizops.services.contracts.access",
    "require_contract_role": "bizops.services.contracts.access",
    "AMENDABLE_FIELDS": "bizops.services.contracts.amendments",
    "amend_contract": "bizops.services.contracts.amendments",
    "amendments_of": "bizops.services.contracts.amendments",
    "draft_supplementary": "bizops.services.contracts.amendments",
    "attach_file": "bizops.services.contracts.attachments",
    "file_sha256": "bizops.services.contracts.attachments",
    "list_attachments": "bizops.services.contracts.attachments",
    "storage_dir": "bizops.services.contracts.attachments",
    "verify_file": "bizops.services.contracts.attachments",
    "list_disputes": "bizops.services.contracts.disputes",
    "open_dispute": "bizops.services.contracts.disputes",
    "resolve_dispute": "bizops.services.contracts.disputes",
    "add_note": "bizops.services.contracts.drafts",
    "create_contract": "bizops.services.contracts.drafts",
    "notes_of": "bizops.services.contracts.drafts",
    "update_contract": "bizops.services.contracts.drafts",
    "ending_contracts": "bizops.services.contracts.expiry",
    "notice_reminders": "bizops.services.contracts.expiry",
    "notice_trigger": "bizops.services.contracts.expiry",
    "contract_from_quote": "bizops.services.contracts.from_quote",
    "activate_contract": "bizops.services.contracts.lifecycle",
    "archive_contract": "bizops.services.contracts.lifecycle",
    "complete_contract": "bizops.services.contracts.lifecycle",
    "reopen_contract": "bizops.services.contracts.lifecycle",
    "sign_contract": "bizops.services.contracts.lifecycle",
    "submit_contract": "bizops.services.contracts.lifecycle",
    "terminate_contract": "bizops.services.contracts.lifecycle",
    "contract_summary": "bizops.services.contracts.listing",
    "list_contracts": "bizops.services.contracts.listing",
    "add_milestone": "bizops.services.contracts.milestones",
    "complete_milestone": "bizops.services.contracts.milestones",
    "due_milestones": "bizops.services.contracts.milestones",
    "list_milestones": "bizops.services.contracts.milestones",
    "apply_outcome": "bizops.services.contracts.outcomes",
    "approve_request": "bizops.services.contracts.outcomes",
    "reject_request": "bizops.services.contracts.outcomes",
    "withdraw_request": "bizops.services.contracts.outcomes",
    "SEALS": "bizops.services.contracts.seals",
    "SealRow": "bizops.services.contracts.seals",
    "seal_contract": "bizops.services.contracts.seals",
    "seal_log": "bizops.services.contracts.seals",
    "show_contract": "bizops.services.contracts.show",
    "AMENDMENT_PENDING": "bizops.services.contracts.statuses",
    "DISPUTE_OPEN": "bizops.services.contracts.statuses",
    "DISPUTE_RESOLVED": "bizops.services.contracts.statuses",
    "MAX_NOTICE_DAYS": "bizops.services.contracts.terms",
    "parse_assignments": "bizops.services.contracts.terms",
    "find_contract": "bizops.services.lookup",
    "AddedAttachment": "bizops.services.views.contracts",
    "AddedNote": "bizops.services.views.contracts",
    "AmendmentRow": "bizops.services.views.contracts",
    "AttachmentRow": "bizops.services.views.contracts",
    "BlockedMove": "bizops.services.views.contracts",
    "ContractRow": "bizops.services.views.contracts",
    "ContractShow": "bizops.services.views.contracts",
    "CreatedContract": "bizops.services.views.contracts",
    "DisputeRow": "bizops.services.views.contracts",
    "DueMilestone": "bizops.services.views.contracts",
    "EndingContract": "bizops.services.views.contracts",
    "ExpiringContractRow": "bizops.services.views.contracts",
    "MilestoneListRow": "bizops.services.views.contracts",
    "MilestoneRow": "bizops.services.views.contracts",
    "NoteRow": "bizops.services.views.contracts",
    "NoticeReminder": "bizops.services.views.contracts",
    "ProposedAmendment": "bizops.services.views.contracts",
    "Submission": "bizops.services.views.contracts",
    "Verification": "bizops.services.views.contracts",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
