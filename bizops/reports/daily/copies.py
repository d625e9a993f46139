"""The daily report's section of requests a user is copied on (抄送): they are informed of
each request while it is pending, and of its outcome the day after it is decided; they do
not decide.

The rows come from the approvals service (``approvals.copied_rows``: one query for every
recipient); this module words each item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bizops.domain.money import money_str
from bizops.domain.vocab import label
from bizops.i18n import _
from bizops.reports.daily.common import (
    PerUser,
    Recipient,
    amount,
    contract_words,
    per_user,
    role_words,
)
from bizops.reports.daily.items import CopiedItem


def _copied_action(row: Mapping[str, Any]) -> str:
    money = amount(row["amount"], row["currency"])
    what = (
        _("quote {number} ({customer}, {amount})").format(
            number=row["contract"], customer=row["customer"], amount=money
        )
        if row.get("quote")
        else contract_words(row["contract"], row["title"], row["customer"], money)
    )
    if row["status"] == "pending":
        sentence = _(
            "For your information: {what}, submitted by {who} on {date}, is at step {step} "
            "of {steps} ({role}); `bizops approval show {id}`"
        )
    else:
        sentence = _(
            "For your information: {what}, submitted by {who} on {date}, was {status} on "
            "{closed}; `bizops approval show {id}`"
        )
    closed = row["closed_on"]
    return sentence.format(
        what=what,
        who=row["submitted_by"],
        date=row["submitted_on"].isoformat(),
        step=row["step"],
        steps=row["steps"],
        role=role_words(row["role"]) if row["role"] else "",
        status=label("approval_status", row["status"]),
        closed=closed.isoformat() if closed else "",
        id=row["request_id"],
    )


def _copied_item(row: Mapping[str, Any]) -> CopiedItem:
    closed = row["closed_on"]
    return {
        "id": row["request_id"],
        "contract": row["contract"],
        "title": row["title"],
        "customer": row["customer"],
        "amount": money_str(row["amount"]),
        "currency": row["currency"],
        "status": row["status"],
        "step": row["step"],
        "steps": row["steps"],
        "role": row["role"],
        "submitted_by": row["submitted_by"],
        "submitted_on": row["submitted_on"].isoformat(),
        "closed_on": closed.isoformat() if closed else None,
        "amendment": row["amendment_id"] is not None,
        "action": _copied_action(row),
    }


def copied_section(
    rows: Sequence[Mapping[str, Any]], *, recipients: Sequence[Recipient], today: date
) -> PerUser[CopiedItem]:
    """``approvals_copied`` of each recipient, oldest submission first: the requests they are
    copied on (``approvals.copied_rows``), pending or decided since yesterday."""
    ids = {r.login: r.id for r in recipients}
    out: PerUser[CopiedItem] = per_user(recipients)
    for row in rows:
        uid = ids.get(row["login"])
        closed = row["closed_on"]
        if uid is None or (closed is not None and (today - closed).days > 1):
            continue
        out[uid].append(_copied_item(row))
    return out
