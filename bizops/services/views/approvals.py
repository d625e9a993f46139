"""What the approvals service returns: the matrix, requests, their steps and the inbox."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict


class MatrixRow(TypedDict):
    """A rule of `approval matrix`, in the order the rules are tried."""

    position: int
    rule: str
    conditions: str
    chain: list[str]
    types: list[str]
    amount_min: Decimal | None
    amount_max: Decimal | None
    risk: list[str]
    non_standard: bool | None


class StepView(TypedDict):
    step: int
    role: str
    status: str
    waiting_since: date | None
    due: date | None
    overdue: bool
    decided_by: str | None
    decided_on: date | None
    comment: str | None


class RequestView(TypedDict):
    """`approval show`, and what a decision returns: the request and each step's state.
    ``subject`` says what it is about: a ``contract`` (or an amendment of one), or a
    ``quote``; ``contract`` holds that contract's or quote's number."""

    id: int
    subject: str
    contract: str
    title: str
    amendment: str | None
    status: str
    rule: str
    reason: str
    chain: list[str]
    amount: Decimal
    currency: str
    current_step: int | None
    current_role: str | None
    submitted_by: str
    submitted_on: date
    closed_on: date | None
    steps: list[StepView]


class RequestRow(TypedDict):
    """A row of `approval list`; ``contract`` holds the number of what it is about (see
    ``subject``: ``contract`` or ``quote``)."""

    id: int
    subject: str
    contract: str
    amendment: str | None
    status: str
    rule: str
    chain: list[str]
    amount: Decimal
    current_step: int | None
    current_role: str | None
    submitted_by: str
    submitted_on: date
    closed_on: date | None


class PendingRow(TypedDict):
    """A row of `approval pending`: a step waiting in a user's inbox. ``can_decide`` is false
    for an overdue step of the user's role that someone else must decide; ``note`` says why.
    ``contract`` holds the number of what waits: a contract, or a quote (``subject``)."""

    id: int
    subject: str
    contract: str
    title: str
    step: int
    role: str
    amount: Decimal
    currency: str
    submitted_by: str
    waiting_since: date | None
    due: date | None
    overdue: bool
    days_overdue: int
    can_decide: bool
    note: str | None


class ContractRequestRow(TypedDict):
    """An approval request of a contract, under `contract show`."""

    id: int
    rule: str
    status: str
    amendment: int | None
    chain: list[str]
    submitted_by: str
    submitted_on: date
    closed_on: date | None
