"""The quotes of `report funnel`: per stage, the quotes sent, accepted and rejected in the
period. A quote counts under the stage its customer was in on the day it was sent (from the
stage history), so that accepted and rejected read against what was sent from that stage."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlmodel import Session, col

from bizops.domain import quote_states as qs
from bizops.store.models import Customer, Quote, StageChange
from bizops.store.scope import scope_of

SENT = "quotes_sent"
ACCEPTED = "quotes_accepted"
REJECTED = "quotes_rejected"


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _stage_on(history: list[tuple[date, str]], day: date, fallback: str) -> str:
    """The stage of the last change on or before ``day`` (the customer's stage if none)."""
    at = bisect_right([on for on, _stage in history], day)
    return history[at - 1][1] if at else fallback


def quote_counts(session: Session, *, start: date, end: date) -> dict[str, dict[str, int]]:
    """``{stage: {"quotes_sent": n, "quotes_accepted": n, "quotes_rejected": n}}``: sent
    (``sent_on``) or decided (``decided_on``) during [start, end], within the user's scope."""
    scope = scope_of(session)
    rows = session.execute(
        select(
            col(Quote.customer_id),
            col(Customer.stage),
            col(Quote.status),
            col(Quote.sent_on),
            col(Quote.decided_on),
        )
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .where(
            col(Quote.sent_on).is_not(None),
            or_(
                col(Quote.sent_on).between(start, end),
                col(Quote.decided_on).between(start, end),
            ),
            scope.customer_clause(col(Quote.customer_id)),
        )
    ).all()
    histories: dict[int, list[tuple[date, str]]] = defaultdict(list)
    ids = sorted({r[0] for r in rows})
    if ids:
        for customer_id, to_stage, on in session.execute(
            select(col(StageChange.customer_id), col(StageChange.to_stage), col(StageChange.on))
            .where(col(StageChange.customer_id).in_(ids))
            .order_by(col(StageChange.on), col(StageChange.id))
        ):
            histories[customer_id].append((_day(on), to_stage))
    out: dict[str, dict[str, int]] = defaultdict(lambda: {SENT: 0, ACCEPTED: 0, REJECTED: 0})
    for customer_id, stage, status, sent_on, decided_on in rows:
        counts = out[_stage_on(histories[customer_id], sent_on, stage)]
        if start <= sent_on <= end:
            counts[SENT] += 1
        if decided_on is not None and start <= decided_on <= end:
            if status == qs.ACCEPTED:
                counts[ACCEPTED] += 1
            elif status == qs.REJECTED:
                counts[REJECTED] += 1
    return out
