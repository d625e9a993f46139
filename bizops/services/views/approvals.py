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


class RouteView(TypedDict):
    """`approval route`: the rule, why, and its chain (a step is a role or a group)."""

    rule: str
    reason: str
    chain: list[str]
    # The amount the matrix compared, in the policy's base currency.
    amount_in_base: Decimal
    base_currency: str


class StepView(TypedDict):
    """A row of a request's steps: one per role; a group's roles share ``step``, with
    ``mode`` all (会签) or any (或签); ``mode`` is one for a single role."""

    step: int
    role: str
    mode: str
    assignee: str | None
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
    # The stored policy version the request was routed under (None: before versions).
    policy_version: int | None
    chain: list[str]
    amount: Decimal
    currency: str
    current_step: int | None
    current_role: str | None
    submitted_by: str
    submitted_on: date
    closed_on: date | None
    steps: list[StepView]
    limits: str
    draft_sha256: str | None
    copied_to: list[str]


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
