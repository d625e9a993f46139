"""The states of what hangs off a contract: its disputes and its amendments.

(The contract's own states are the lifecycle in ``bizops.domain.contract_states``.)
"""

from __future__ import annotations

DISPUTE_OPEN = "open"
DISPUTE_RESOLVED = "resolved"
AMENDMENT_PENDING = "pending_approval"
