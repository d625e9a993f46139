"""The rows of the metrics reports, declared once: their keys are the JSON interface and the
CSV header. Nothing here reads the database, so the command line can declare its listings
without loading it.

Percentages and day counts are numbers with one decimal, ``None`` when undefined; amounts are
two-decimal strings.
"""

from __future__ import annotations

from typing import TypedDict


class FunnelRow(TypedDict):
    """One stage of `report funnel`."""

    stage: str
    current: int  # customers (not archived) in the stage now
    entered: int  # customers who moved into the stage during the period
    moved_on: int | None  # of those, how many later moved forward (None: no next stage)
    conversion: float | None  # moved_on / entered, in percent
    median_days: float | None  # time in the stage, over the stays that ended in the period
    average_days: float | None
    stays: int
    # Quotes counted under the stage their customer was in on the day they were sent:
    quotes_sent: int  # sent during the period
    quotes_accepted: int  # accepted during the period
    quotes_rejected: int  # rejected during the period


class ComplianceRow(TypedDict):
    """One owner or grade of `report compliance` (and the ``all`` row)."""

    by: str  # owner | grade
    group: str
    due: int  # on_time + late + missed
    on_time: int
    late: int
    missed: int
    pending: int  # open, not yet past due: left out of the rate
    rate: float | None  # on_time / due, in percent


class StatusRow(TypedDict):
    status: str
    currency: str
    count: int
    value: str | None
    created: int  # created in the period


class ApprovalCycle(TypedDict):
    closed: int
    approved: int
    rejected: int
    average_days: float | None
    median_days: float | None


class NonStandard(TypedDict):
    created: int
    non_standard: int
    ratio: float | None


class Expiring(TypedDict):
    within_days: int
    count: int
    value: dict[str, str]  # per currency
    counts: dict[str, int]  # per currency


class OverdueMilestones(TypedDict):
    count: int
    value: dict[str, str]
    counts: dict[str, int]


# "from" is a Python keyword: the functional form keeps the JSON key as it is.
class CollectionRow(TypedDict):
    """Money on sales and service contracts in force, per currency: invoiced and received
    against the amount, and the collection rate (received / amount, %)."""

    currency: str
    contracts: int
    amount: str
    invoiced: str
    received: str
    rate: str | None


ContractsReport = TypedDict(
    "ContractsReport",
    {
        "from": str,
        "to": str,
        "today": str,
        "by_status": list[StatusRow],
        "approval_cycle": ApprovalCycle,
        "non_standard": NonStandard,
        "expiring": list[Expiring],
        "overdue_milestones": OverdueMilestones,
        "collection": list[CollectionRow],
    },
)


class ContractRow(TypedDict):
    """`report contracts` as rows (one per figure) for tables and CSV."""

    section: str
    key: str
    currency: str | None
    count: int
    value: str | None
    detail: str | None
