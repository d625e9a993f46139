"""Follow-ups: every active customer has exactly one open follow-up.

- ``scheduling``: the hooks other services call when a customer is created, changes grade,
  stage or cadence, is archived or restored;
- ``due``: THE query of due follow-ups (``due_rows``), used by `followups due`, the calendar
  and the daily report, and the new customers never contacted;
- ``log``: logging an interaction; ``planning``: plan and snooze; ``customer_history``: the
  history of one customer; ``stage_moves``: recording a stage move and the automatic moves
  (``auto_advance``); ``ics``: the calendar file; ``access``: who may act, whose
  follow-ups a listing shows; ``rows``: the shapes of the listings.

Each name below is imported from its module on first use, so the command line can declare
its listings (``rows``) without loading the database models, and a command loads only the
modules it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bizops.services.followups.rows import DueFollowUp, HistoryRow, NeverContacted
from bizops.services.followups.status import (
    CADENCE,
    CANCELLED,
    DONE,
    FIRST_CONTACT,
    OPEN,
    PLANNED,
)

if TYPE_CHECKING:
    from bizops.services.followups.access import owner_scope, require_can_follow_up
    from bizops.services.followups.customer_history import history
    from bizops.services.followups.due import (
        STREAM_BATCH,
        channel_hint,
        due_rows,
        due_rows_with_details,
        last_contact_details,
        never_contacted_rows,
        overdue_by_owner,
        window_until,
    )
    from bizops.services.followups.ics import due_calendar
    from bizops.services.followups.log import ClosedFollowUp, LogResult, log_followup
    from bizops.services.followups.planning import FollowUpView, plan_followup, snooze_followup
    from bizops.services.followups.scheduling import (
        open_first_followup,
        open_followup,
        reschedule_open_followup,
    )
    from bizops.services.followups.stage_moves import apply_stage, auto_advance

_HOMES: dict[str, str] = {
    "owner_scope": "access",
    "require_can_follow_up": "access",
    "history": "customer_history",
    "STREAM_BATCH": "due",
    "channel_hint": "due",
    "due_rows": "due",
    "due_rows_with_details": "due",
    "last_contact_details": "due",
    "never_contacted_rows": "due",
    "overdue_by_owner": "due",
    "window_until": "due",
    "due_calendar": "ics",
    "ClosedFollowUp": "log",
    "LogResult": "log",
    "log_followup": "log",
    "FollowUpView": "planning",
    "plan_followup": "planning",
    "snooze_followup": "planning",
    "open_first_followup": "scheduling",
    "open_followup": "scheduling",
    "reschedule_open_followup": "scheduling",
    "apply_stage": "stage_moves",
    "auto_advance": "stage_moves",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CADENCE",
    "CANCELLED",
    "DONE",
    "FIRST_CONTACT",
    "OPEN",
    "PLANNED",
    "STREAM_BATCH",
    "ClosedFollowUp",
    "DueFollowUp",
    "FollowUpView",
    "HistoryRow",
    "LogResult",
    "NeverContacted",
    "apply_stage",
    "auto_advance",
    "channel_hint",
    "due_calendar",
    "due_rows",
    "due_rows_with_details",
    "history",
    "last_contact_details",
    "log_followup",
    "never_contacted_rows",
    "open_first_followup",
    "open_followup",
    "overdue_by_owner",
    "owner_scope",
    "plan_followup",
    "require_can_follow_up",
    "reschedule_open_followup",
    "snooze_followup",
    "window_until",
]
