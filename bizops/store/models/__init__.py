"""Every table, imported here so that metadata (and Alembic) sees them all."""

from bizops.store.models.approvals import ApprovalRequest, ApprovalStep
from bizops.store.models.contracts import (
    Amendment,
    Attachment,
    Contract,
    ContractNote,
    Dispute,
    Draft,
    Milestone,
)
from bizops.store.models.core import AuditEvent, Counter, User
from bizops.store.models.customers import Contact, Customer, CustomerTag, StageChange
from bizops.store.models.followups import FollowUp, Interaction
from bizops.store.models.reports import ReportDelivery
from bizops.store.models.templates import TemplateVersion

__all__ = [
    "Amendment",
    "ApprovalRequest",
    "ApprovalStep",
    "Attachment",
    "AuditEvent",
    "Contact",
    "Contract",
    "ContractNote",
    "Counter",
    "Customer",
    "CustomerTag",
    "Dispute",
    "Draft",
    "FollowUp",
    "Interaction",
    "Milestone",
    "ReportDelivery",
    "StageChange",
    "TemplateVersion",
    "User",
]
