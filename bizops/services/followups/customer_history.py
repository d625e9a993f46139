"""A customer's follow-up history: the open follow-up, interactions and closed follow-ups."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import select
from sqlmodel import col

from bizops.domain import cadence
from bizops.services.followups.rows import HistoryRow
from bizops.services.followups.status import CADENCE, DONE, OPEN
from bizops.store.models import FollowUp, Interaction, User

if TYPE_CHECKING:
    from sqlmodel import Session


def _row(kind: str, id: int) -> HistoryRow:
    return {
        "date": None,
        "type": kind,
        "id": id,
        "via": None,
        "summary": None,
        "contact": None,
        "outcome": None,
        "by": None,
        "due": None,
        "status": None,
        "on_time": None,
        "days_late": None,
        "purpose": None,
        "place": None,
        "next_action": None,
    }


_SortKey = tuple[date, int, int]


def _interactions(session: Session, customer_id: int) -> list[tuple[_SortKey, HistoryRow]]:
    query = (
        select(
            col(Interaction.id),
            col(Interaction.on),
            col(Interaction.via),
            col(Interaction.summary),
            col(Interaction.contact),
            col(Interaction.outcome),
            col(Interaction.purpose),
            col(Interaction.place),
            col(Interaction.next_action),
            col(User.login),
        )
        .select_from(Interaction)
        .join(User, col(User.id) == col(Interaction.actor_id))
        .where(col(Interaction.customer_id) == customer_id)
    )
    rows = []
    for iid, on, via, summary, contact, outcome, purpose, place, then, login in session.execute(
        query
    ):
        row = _row("interaction", iid)
        row.update(
            {
                "date": on,
                "via": via,
                "summary": summary,
                "contact": contact,
                "outcome": outcome,
                "purpose": purpose,
                "place": place,
                "next_action": then,
                "by": login,
            }
        )
        rows.append(((on, 1, iid), row))
    return rows


def _followups(
    session: Session, customer_id: int, today: date
) -> tuple[list[HistoryRow], list[tuple[_SortKey, HistoryRow]]]:
    """(the open follow-up, if any; the closed ones with their sort keys)."""
    query = select(
        col(FollowUp.id),
        col(FollowUp.due),
        col(FollowUp.status),
        col(FollowUp.kind),
        col(FollowUp.purpose),
        col(FollowUp.closed_on),
        col(FollowUp.on_time),
        col(FollowUp.snoozed_from),
    ).where(col(FollowUp.customer_id) == customer_id)
    opened: list[HistoryRow] = []
    closed: list[tuple[_SortKey, HistoryRow]] = []
    for fid, due, status, kind, purpose, closed_on, on_time, snoozed_from in session.execute(query):
        row = _row("followup", fid)
        why = purpose or (kind if kind != CADENCE else None)
        if snoozed_from is not None:
            why = ", ".join(x for x in (why, f"snoozed from {snoozed_from.isoformat()}") if x)
        row.update({"due": due, "status": status, "purpose": why})
        if status == OPEN:
            row.update({"date": due, "days_late": cadence.days_overdue(due, today) or None})
            opened.append(row)
            continue
        row["date"] = closed_on
        if status == DONE:
            row.update({"on_time": bool(on_time), "days_late": cadence.days_late(closed_on, due)})
        closed.append(((closed_on, 0, fid), row))
    return opened, closed


def history(session: Session, *, customer: str | int, today: date) -> list[HistoryRow]:
    """The open follow-up first, then interactions and closed follow-ups, newest first."""
    from bizops.services.lookup import find_customer

    found = find_customer(session, customer)
    assert found.id is not None
    opened, closed = _followups(session, found.id, today)
    rows = _interactions(session, found.id) + closed
    rows.sort(key=lambda item: item[0], reverse=True)
    return opened + [row for _, row in rows]


class LoggedView(TypedDict):
    """What `followups log --format json` prints: the customer, the interaction logged, the
    follow-up it closed and the next one, each as `followups list --format json` shows it
    (None where there is none)."""

    customer: str
    interaction: HistoryRow | None
    closed: HistoryRow | None
    next: HistoryRow | None


def logged_view(
    session: Session,
    *,
    customer: str,
    interaction_id: int,
    closed_id: int | None,
    next_id: int | None,
    today: date,
) -> LoggedView:
    """The records one `followups log` wrote, read back from the customer's history."""
    rows = history(session, customer=customer, today=today)

    def pick(kind: str, ident: int | None) -> HistoryRow | None:
        if ident is None:
            return None
        return next((r for r in rows if r["type"] == kind and r["id"] == ident), None)

    return {
        "customer": customer,
        "interaction": pick("interaction", interaction_id),
        "closed": pick("followup", closed_id),
        "next": pick("followup", next_id),
    }
