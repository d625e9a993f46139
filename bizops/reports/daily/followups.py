"""The follow-up sections of the daily report, and the team's overdue summary.

The rows come from the follow-ups service (``followups.due_rows`` up to today, and
``followups.never_contacted_rows``), already most urgent first; these builders keep that
order and only put the words on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from bizops.domain.policy import Policy
from bizops.reports.daily.common import PerUser, Recipient, per_user, when
from bizops.reports.daily.items import FollowupItem, NewCustomerItem, OwnerOverdue, TeamSummary

_VERBS = {
    "phone": "Call",
    "visit": "Visit",
    "email": "Email",
    "meeting": "Meet",
    "wechat": "Message",
    "other": "Contact",
}


class _Words:
    """The per-grade channels and verb, worked out once per grade, not once per row."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.grades: dict[str, tuple[list[str], str, str]] = {}

    def __call__(self, grade: str) -> tuple[list[str], str, str]:
        """(the channels, "visit/phone", the verb of the first channel)."""
        found = self.grades.get(grade)
        if found is None:
            channels = list(self.policy.channels.get(grade, ("phone",)))
            found = (channels, "/".join(channels), _VERBS.get(channels[0], "Contact"))
            self.grades[grade] = found
        return found


def _followup_item(row: Mapping[str, Any], words: _Words, today: date) -> FollowupItem:
    channels, suggested, verb = words(row["grade"])
    kind, purpose, due = row["kind"], row["purpose"], row["due"]
    if kind == "first_contact":
        verb = "Make first contact with"
    elif kind == "planned":
        verb = f"{verb} ({purpose or 'planned'})"
    overdue = row["days_overdue"]
    what = f"{row['customer']} ({row['grade']}, {row['stage']})"
    last = row["last_contact"]
    return {
        "id": row["id"],
        "code": row["code"],
        "customer": row["customer"],
        "grade": row["grade"],
        "stage": row["stage"],
        "owner": row["owner"],
        "due": due.isoformat(),
        "days_overdue": overdue,
        "last_contact": last.isoformat() if last else None,
        "channel": channels[0],
        "channels": list(channels),
        "kind": kind,
        "purpose": purpose,
        "action": f"{verb} {what} — {when(due, today)}; suggested: {suggested}",
    }


def followup_sections(
    rows: Iterable[Mapping[str, Any]],
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
) -> tuple[PerUser[FollowupItem], PerUser[FollowupItem]]:
    """(``followups_overdue``, ``followups_due_today``) of each recipient, from the rows of
    ``followups.due_rows`` up to today (rows of other owners are left out)."""
    ids = {r.login: r.id for r in recipients}
    overdue: PerUser[FollowupItem] = per_user(recipients)
    due_today: PerUser[FollowupItem] = per_user(recipients)
    words = _Words(policy)
    for row in rows:
        uid = ids.get(row["owner"])
        if uid is None:
            continue
        section = overdue if row["due"] < today else due_today
        section[uid].append(_followup_item(row, words, today))
    return overdue, due_today


def new_customer_section(
    rows: Iterable[Mapping[str, Any]],
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
) -> PerUser[NewCustomerItem]:
    """``new_customers`` of each recipient, from ``followups.never_contacted_rows``."""
    ids = {r.login: r.id for r in recipients}
    out: PerUser[NewCustomerItem] = per_user(recipients)
    words = _Words(policy)
    for row in rows:
        uid = ids.get(row["owner"])
        if uid is None:
            continue
        channels, suggested, _ = words(row["grade"])
        created, due = row["created"].isoformat(), row["due"]
        out[uid].append(
            {
                "id": row["id"],
                "code": row["code"],
                "customer": row["customer"],
                "grade": row["grade"],
                "stage": row["stage"],
                "owner": row["owner"],
                "created": created,
                "due": due.isoformat(),
                "days_overdue": row["days_overdue"],
                "channel": channels[0],
                "channels": list(channels),
                "action": (
                    f"New customer {row['customer']} ({row['grade']}) since {created}, "
                    f"never contacted — first contact {when(due, today)}; "
                    f"suggested: {suggested}"
                ),
            }
        )
    return out


def team_section(
    rows: Iterable[Mapping[str, Any]], *, names: Mapping[str, str], today: date
) -> TeamSummary:
    """The team's overdue follow-ups per owner, from ``followups.due_rows`` of everyone up to
    today; ``names`` gives each owner's name by login."""
    oldest: dict[str, date] = {}
    counts: dict[str, int] = {}
    for row in rows:
        due, owner = row["due"], row["owner"]
        if due >= today or owner is None:
            continue
        counts[owner] = counts.get(owner, 0) + 1
        if owner not in oldest or due < oldest[owner]:
            oldest[owner] = due
    by_owner: list[OwnerOverdue] = [
        {
            "owner": owner,
            "name": names.get(owner, owner),
            "overdue": count,
            "oldest_due": oldest[owner].isoformat(),
            "max_days_overdue": (today - oldest[owner]).days,
        }
        for owner, count in counts.items()
    ]
    by_owner.sort(key=lambda r: (-r["overdue"], r["owner"]))
    return {"overdue": sum(r["overdue"] for r in by_owner), "by_owner": by_owner}
