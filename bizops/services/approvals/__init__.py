"""Approval requests through the authority matrix.

- ``routing``: which rule routes a contract, and why (``route``, ``matrix``).
- ``requests``: opening a request with its steps (for a contract, an amendment, a payment or
  a write-off), finding and showing it; ``quote_requests``: opening one for a quote.
- ``decisions``: approve, reject, withdraw; each returns an ``Outcome`` that the contracts
  service applies. Approvals do not know contracts' states and never call back into them.
- ``inbox``: what waits for a decision (``pending_steps``, ``pending_rows``).
- ``listing``: ``approval list``.
- ``flows``: hand a step over (转交), add a signer (加签); ``copies``: copy to (抄送);
  ``absences``: out of office; ``coverage``: steps no one could approve for an amount.
"""

from __future__ import annotations

from bizops.services.approvals.absences import AbsenceRow, set_away, stand_in
from bizops.services.approvals.copies import CopiedRow, copied_rows
from bizops.services.approvals.decisions import (
    OUTCOME_STATUSES,
    Outcome,
    approve,
    reject,
    withdraw,
)
from bizops.services.approvals.flows import add_signer, delegate
from bizops.services.approvals.inbox import PendingStep, decider_of, pending_rows, pending_steps
from bizops.services.approvals.listing import list_requests
from bizops.services.approvals.quote_requests import open_quote_request
from bizops.services.approvals.requests import (
    find_request,
    open_request,
    request_view,
    requests_of,
    show_request,
    step_due,
    void_approved,
)
from bizops.services.approvals.routing import contract_terms, matrix, route, route_checked
from bizops.services.views.approvals import (
    ContractRequestRow,
    MatrixRow,
    PendingRow,
    RequestRow,
    RequestView,
    RouteView,
    StepView,
)

__all__ = [
    "AbsenceRow",
    "CopiedRow",
    "copied_rows",
    "add_signer",
    "delegate",
    "set_away",
    "stand_in",
    "OUTCOME_STATUSES",
    "ContractRequestRow",
    "MatrixRow",
    "Outcome",
    "PendingRow",
    "PendingStep",
    "RequestRow",
    "RequestView",
    "RouteView",
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
    "route_checked",
    "show_request",
    "step_due",
    "void_approved",
    "withdraw",
]
