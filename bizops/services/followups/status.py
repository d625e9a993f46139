"""The states and kinds of a follow-up, and the shape the audit log keeps of one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bizops.i18n import N_

if TYPE_CHECKING:
    from bizops.store.models import FollowUp

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
FIRST_CONTACT = "first_contact"
CADENCE = "cadence"
PLANNED = "planned"
# The purpose a first-contact follow-up is stored with: English data, translated where shown.
FIRST_CONTACT_PURPOSE = N_("first contact")


def snapshot(f: FollowUp | None) -> dict[str, Any] | None:
    """A follow-up as the audit log records it (before and after a change)."""
    if f is None:
        return None
    return {
        "id": f.id,
        "due": f.due,
        "status": f.status,
        "kind": f.kind,
        "purpose": f.purpose,
        "closed_on": f.closed_on,
        "on_time": f.on_time,
        "snoozed_from": f.snoozed_from,
    }
