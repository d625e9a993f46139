"""Every table of bizops, in small modules by area, each loaded the first time a model of it
is asked for (``from bizops.store.models import FollowUp``).

Building the models is a good part of a command's start-up, so a command pays only for the
tables it uses: `followups due` builds users, customers and follow-ups, not contacts,
contracts or approvals; `report receivables` builds contracts, milestones and the money
tables, not a contract's notes and drafts. Each model defers its pydantic schema (see
``table.Table``).
A module is loaded after the modules whose tables its foreign keys name, so that SQLAlchemy
can resolve them. ``all_tables()`` loads every module: Alembic and whatever walks the whole
schema call it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from bizops.store.models.approvals import Absence, ApprovalCopy, ApprovalRequest, ApprovalStep
    from bizops.store.models.audit import AuditChain, AuditEvent, Counter
    from bizops.store.models.contract_records import Attachment, ContractNote, Dispute, Draft
    from bizops.store.models.contracts import Amendment, Contract, Milestone
    from bizops.store.models.core import PolicyVersion, User
    from bizops.store.models.customer_records import Contact, CustomerTag, PoolMove, StageChange
    from bizops.store.models.customers import Customer
    from bizops.store.models.followups import FollowUp, Interaction
    from bizops.store.models.money import Allocation, Invoice, Payment, Receipt, WriteOff
    from bizops.store.models.needs import NeedsRecord
    from bizops.store.models.quote_lines import Product, QuoteLine
    from bizops.store.models.quotes import Quote
    from bizops.store.models.reports import ReportDelivery
    from bizops.store.models.seals import Seal
    from bizops.store.models.templates import TemplateVersion

# Each module, and the modules holding the tables its foreign keys point to.
_NEEDS: dict[str, tuple[str, ...]] = {
    "core": (),
    "audit": (),
    "templates": (),
    "customers": ("core",),
    "customer_records": ("core", "customers"),
    "followups": ("core", "customers"),
    "reports": ("core",),
    "contracts": ("core", "customers"),
    "contract_records": ("contracts",),
    "money": ("contracts",),
    "quotes": ("core", "customers"),
    "quote_lines": ("quotes",),
    "needs": ("core", "customers"),
    "approvals": ("contracts", "money", "quotes"),
    "seals": ("contracts",),
}

_HOMES: dict[str, str] = {
    "Absence": "approvals",
    "ApprovalCopy": "approvals",
    "Seal": "seals",
    "ApprovalRequest": "approvals",
    "ApprovalStep": "approvals",
    "Amendment": "contracts",
    "Attachment": "contract_records",
    "Contract": "contracts",
    "ContractNote": "contract_records",
    "Dispute": "contract_records",
    "Draft": "contract_records",
    "Milestone": "contracts",
    "Allocation": "money",
    "AuditChain": "audit",
    "Invoice": "money",
    "Payment": "money",
    "Receipt": "money",
    "WriteOff": "money",
    "AuditEvent": "audit",
    "Counter": "audit",
    "User": "core",
    "PolicyVersion": "core",
    "PoolMove": "customer_records",
    "Contact": "customer_records",
    "Customer": "customers",
    "CustomerTag": "customer_records",
    "StageChange": "customer_records",
    "FollowUp": "followups",
    "Interaction": "followups",
    "ReportDelivery": "reports",
    "NeedsRecord": "needs",
    "Product": "quote_lines",
    "Quote": "quotes",
    "QuoteLine": "quote_lines",
    "TemplateVersion": "templates",
}


def _load(module: str) -> ModuleType:
    for needed in _NEEDS[module]:
        _load(needed)
    return importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_load(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "all_tables"])


def all_tables() -> MetaData:
    """Load every model; returns the metadata that then holds every table."""
    for module in _NEEDS:
        _load(module)
    from sqlmodel import SQLModel

    return SQLModel.metadata


__all__ = [
    "Allocation",
    "Absence",
    "Amendment",
    "ApprovalCopy",
    "ApprovalRequest",
    "ApprovalStep",
    "Attachment",
    "AuditChain",
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
    "Invoice",
    "Milestone",
    "NeedsRecord",
    "Payment",
    "PolicyVersion",
    "PoolMove",
    "Product",
    "Quote",
    "QuoteLine",
    "Receipt",
    "ReportDelivery",
    "Seal",
    "StageChange",
    "TemplateVersion",
    "User",
    "WriteOff",
]
