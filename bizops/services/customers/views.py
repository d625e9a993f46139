"""What the customer service returns for people and programs: every listing row and `show`
object, declared once. Their keys, in order, are the JSON interface (``--format json``) and
the CSV header, so they change only by adding keys.

This module imports nothing heavy: the command-line declares its listings from it at start-up.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TypedDict

__all__ = [
    "ContactView",
    "ContractItem",
    "CustomerListRow",
    "CustomerShow",
    "CustomerView",
    "ExportRow",
    "FollowUpItem",
    "GradeChangeView",
    "GradeSuggestion",
    "ImportSummary",
    "InteractionItem",
    "InvoicingView",
    "NextFollowUp",
    "RegradeChange",
    "RegradeRow",
    "StageHistoryItem",
    "StageMoveView",
]


class CustomerView(TypedDict):
    """One customer, as `add`, `update`, `archive` and `restore` return it."""

    id: int
    code: str
    name: str
    grade: str
    stage: str
    owner: str | None  # None: in the shared pool
    industry: str | None
    region: str | None
    source: str | None
    potential: Decimal | None
    intent: str | None
    tags: list[str]
    next_due: date | None
    last_contact: date | None
    cadence: int | None
    stage_since: date
    created: date
    archived: date | None
    phone: str | None  # the company's own, beside its contacts'
    email: str | None
    website: str | None
    address: str | None
    credit_code: str | None


class StageMoveView(CustomerView):
    from_stage: str


class GradeChangeView(CustomerView):
    from_grade: str


class CustomerListRow(TypedDict):
    """A row of `customer list`."""

    id: int
    code: str
    name: str
    grade: str
    stage: str
    owner: str | None  # None: in the shared pool
    industry: str | None
    region: str | None
    potential: Decimal | None
    intent: str | None
    tags: list[str]
    next_due: date | None
    last_contact: date | None
    created: date
    archived: date | None


class ContactView(TypedDict):
    """A contact of a customer (`customer contact list`, and in `customer show`)."""

    id: int
    name: str
    title: str | None
    phone: str | None
    email: str | None
    primary: bool


# "from" is a Python keyword: these two are declared in the functional form.
StageHistoryItem = TypedDict(
    "StageHistoryItem",
    {
        "from": str | None,
        "stage": str,
        "on": date,
        "until": date | None,
        "days": int,
        "actor": str,
        "reason": str | None,
        "cause": str | None,  # what moved it when bizops did (pipeline.CAUSES); None: by hand
    },
)
RegradeRow = TypedDict("RegradeRow", {"code": str, "name": str, "from": str, "to": str, "why": str})
RegradeChange = TypedDict(
    "RegradeChange", {"id": int, "code": str, "name": str, "from": str, "to": str, "why": str}
)


class NextFollowUp(TypedDict):
    id: int
    due: date
    kind: str
    purpose: str | None
    days_overdue: int


class FollowUpItem(TypedDict):
    id: int
    due: date
    status: str
    kind: str
    closed_on: date | None
    on_time: bool | None
    purpose: str | None


class InteractionItem(TypedDict):
    id: int
    at: datetime
    on: date
    via: str
    summary: str
    contact: str | None
    outcome: str | None
    purpose: str | None  # 拜访目的
    place: str | None  # 地点
    next_action: str | None  # 下一步
    by: str


class ContractItem(TypedDict):
    id: int
    number: str
    title: str
    status: str
    amount: Decimal
    currency: str
    start: date
    end: date
    signed_on: date | None


class CustomerShow(CustomerView):
    """`customer show`: the profile, then the records under it."""

    needs: str | None
    note: str | None
    days_in_stage: int
    contacts: list[ContactView]
    stage_history: list[StageHistoryItem]
    next_followup: NextFollowUp | None
    followups: list[FollowUpItem]
    interactions: list[InteractionItem]
    contracts: list[ContractItem]
    invoicing: dict[str, str]


class InvoicingView(TypedDict):
    """`customer invoicing`: the invoicing details (开票信息) contracts print."""

    code: str
    name: str
    invoicing: dict[str, str]


class GradeSuggestion(TypedDict):
    """`customer grade X --suggest`."""

    code: str
    name: str
    grade: str
    suggested: str
    why: str
    potential: Decimal | None
    intent: str | None
    changes: bool


class ExportRow(TypedDict):
    """A row of `customer export`, in the columns `customer import` reads back."""

    code: str
    name: str
    grade: str
    stage: str
    owner: str | None  # None: in the shared pool
    industry: str | None
    region: str | None
    source: str | None
    potential: Decimal | None
    intent: str | None
    tags: list[str]
    contact: str | None
    title: str | None
    phone: str | None
    email: str | None
    more_contacts: list[str]
    note: str | None
    needs: str | None
    company_phone: str | None
    company_email: str | None
    website: str | None
    address: str | None
    credit_code: str | None
    archived: date | None


class ImportSummary(TypedDict):
    """The result of `customer import`."""

    file: str
    sha256: str
    rows: int
    imported: int
    already_present: int
    rejected: int
    first_code: str | None
    last_code: str | None
    rejects_file: str | None
    problems: list[str]
    ignored_columns: list[str]
