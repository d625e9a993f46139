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

Each name below is imported from its module on first use, so that a command loads only the
modules it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Name -> the module it is defined in.
_HOMES: dict[str, str] = {
    "AbsenceRow": "bizops.services.approvals.absences",
    "set_away": "bizops.services.approvals.absences",
    "stand_in": "bizops.services.approvals.absences",
    "CopiedRow": "bizops.services.approvals.copies",
    "copied_rows": "bizops.services.approvals.copies",
    "OUTCOME_STATUSES": "bizops.services.approvals.decisions",
    "Outcome": "bizops.services.approvals.decisions",
    "approve": "bizops.services.approvals.decisions",
    "reject": "bizops.services.approvals.decisions",
    "withdraw": "bizops.services.approvals.decisions",
    "add_signer": "bizops.services.approvals.flows",
    "delegate": "bizops.services.approvals.flows",
    "PendingStep": "bizops.services.approvals.inbox",
    "decider_of": "bizops.services.approvals.inbox",
    "pending_rows": "bizops.services.approvals.inbox",
    "pending_steps": "bizops.services.approvals.inbox",
    "list_requests": "bizops.services.approvals.listing",
    "open_quote_request": "bizops.services.approvals.quote_requests",
    "find_request": "bizops.services.approvals.requests",
    "open_request": "bizops.services.approvals.requests",
    "request_view": "bizops.services.approvals.requests",
    "requests_of": "bizops.services.approvals.requests",
    "show_request": "bizops.services.approvals.requests",
    "step_due": "bizops.services.approvals.requests",
    "void_approved": "bizops.services.approvals.requests",
    "contract_terms": "bizops.services.approvals.routing",
    "matrix": "bizops.services.approvals.routing",
    "route": "bizops.services.approvals.routing",
    "route_checked": "bizops.services.approvals.routing",
    "ContractRequestRow": "bizops.services.views.approvals",
    "MatrixRow": "bizops.services.views.approvals",
    "PendingRow": "bizops.services.views.approvals",
    "RequestRow": "bizops.services.views.approvals",
    "RequestView": "bizops.services.views.approvals",
    "RouteView": "bizops.services.views.approvals",
    "StepView": "bizops.services.views.approvals",
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
