"""The rows the follow-up listings return, declared once: their keys are the JSON interface.

Nothing here touches the database, so the command line can declare its listings without
loading it.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict


class DueFollowUp(TypedDict):
    """One open follow-up that is due (a row of `followups due`)."""

    id: int
    code: str
    customer: str
    grade: str
    stage: str
    owner: str | None  # login
    due: dt.date
    days_overdue: int
    last_contact: dt.date | None
    channel: str  # the policy's channels for the grade, most preferred first: "visit/phone"
    purpose: str | None  # set for first contacts and planned follow-ups
    kind: str  # first_contact | cadence | planned


class NeverContacted(TypedDict):
    """A customer created recently and never contacted, with its first contact's due date."""

    id: int  # the customer
    code: str
    customer: str
    grade: str
    stage: str
    owner: str | None
    created: dt.date
    due: dt.date
    days_overdue: int


class HistoryRow(TypedDict):
    """One line of `followups list`: an interaction or a follow-up (the other's keys None)."""

    date: dt.date | None
    type: str  # interaction | followup
    id: int
    via: str | None
    summary: str | None
    contact: str | None
    outcome: str | None
    by: str | None
    due: dt.date | None
    status: str | None
    on_time: bool | None
    days_late: int | None
    purpose: str | None  # a follow-up's, or an interaction's (拜访目的)
    place: str | None  # an interaction's (地点)
    next_action: str | None  # an interaction's (下一步)
