"""Approval requests through the authority matrix.

- ``routing``: which rule routes a contract, and why (``route``, ``matrix``).
- ``requests``: opening a request with its steps (for a contract, an amendment or a quote),
  finding and showing it.
- ``decisions``: approve, reject, withdraw; each returns an ``Outcome`` that the contracts
  service applies. Approvals do not know contracts' states and never call back into them.
- ``inbox``: what waits for a decision (``pending_steps``, ``pending_rows``).
- ``listing``: ``approval list``.
"""

from __future__ import annotations

from bizops.services.approvals.decisions import (
    OUTCOME_STATUSES,
    Outcome,
    approve,
    reject,
    withdraw,
)
from bizops.services.approvals.inbox import PendingStep, decider_of, pending_rows, pending_steps
from bizops.services.approvals.listing import list_requests
from bizops.services.approvals.requests import (
    find_request,
    open_quote_request,
    open_request,
    request_view,
    requests_of,
    show_request,
    step_due,
    void_approved,
)
from bizops.services.approvals.routing import contract_terms, matrix, route
from bizops.services.views.approvals import (
    ContractRequestRow,
    MatrixRow,
    PendingRow,
    RequestRow,
    RequestView,
    StepView,
)

__all__ = [
    "OUTCOME_STATUSES",
    "ContractRequestRow",
    "MatrixRow",
    "Outcome",
    "PendingRow",
    "PendingStep",
    "RequestRow",
    "RequestView",
    "StepView",
    "approve",
    "contract_terms",
    "decider_of",
    "find_request",
    "list_requests",
    "matrix",
    "open_quote_request",
    "open_request",
    "pending_rows",
    "pending_steps",
    "reject",
    "request_view",
    "requests_of",
    "route",
    "show_request",
    "step_due",
    "void_approved",
    "withdraw",
]
