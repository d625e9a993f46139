"""The metrics of the standard (seed P4, S5): pipeline funnel, follow-up compliance, contracts.

Each builder is read-only and returns JSON-ready rows (ISO dates, amounts as two-decimal
strings, percentages and day counts as numbers with one decimal, ``None`` when undefined).
The exact definitions are in docs/reports.md; the docstrings below repeat them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session

from bizops.domain.money import money_str
from bizops.domain.vocab import PIPELINE, STAGES
from bizops.reports.tables import (
    AR,
    CO,
    CU,
    FU,
    MI,
    SC,
    T_CO,
    T_CU,
    T_US,
    US,
)

LIVE_CONTRACT = ("signed", "active")
EXPIRY_WINDOWS = (30, 60, 90)
CONTRACT_STATUSES = (
    "draft",
    "pending_approval",
    "approved",
    "signed",
    "active",
    "completed",
    "terminated",
    "archived",
)


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def _avg(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _median(values: list[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --------------------------------------------------------------------------- funnel


def funnel(session: Session, *, start: date, end: date) -> list[dict[str, Any]]:
    """Per stage, from the stage history (``stage_changes``):

    - ``current``: customers (not archived) in the stage now;
    - ``entered``: customers who moved into the stage during [start, end];
    - ``moved_on``: of those, how many later (up to ``end``) moved forward to a later
      pipeline stage (the next one, or beyond it);
    - ``conversion``: moved_on / entered, in percent;
    - ``median_days`` / ``average_days``: time in the stage, over the stays that ended
      (the customer left the stage, whichever way) during [start, end]; ``stays`` counts them.
    Lost and dormant are listed for their counts; they have no next stage.
    """
    current: dict[str, int] = {
        stage: int(count)
        for stage, count in session.execute(
            select(CU.stage, func.count()).where(CU.archived_on.is_(None)).group_by(CU.stage)
        )
    }
    entered: dict[str, set[int]] = defaultdict(set)
    moved: dict[str, set[int]] = defaultdict(set)
    durations: dict[str, list[int]] = defaultdict(list)
    rank = {stage: i for i, stage in enumerate(PIPELINE)}

    rows = session.execute(
        select(SC.customer_id, SC.to_stage, SC.on)
        .where(SC.on <= end)
        .order_by(SC.customer_id, SC.on, SC.id)
    )
    history: list[tuple[str, date]] = []
    last_customer: int | None = None

    def close(customer: int | None, changes: list[tuple[str, date]]) -> None:
        if customer is None:
            return
        for i, (stage, on) in enumerate(changes):
            if i + 1 < len(changes):
                left_on = changes[i + 1][1]
                if start <= left_on <= end:
                    durations[stage].append((left_on - on).days)
            if start <= on <= end:
                entered[stage].add(customer)
                if stage in rank and any(
                    later in rank and rank[later] > rank[stage] for later, _ in changes[i + 1 :]
                ):
                    moved[stage].add(customer)

    for customer_id, to_stage, on in rows:
        if customer_id != last_customer:
            close(last_customer, history)
            history = []
            last_customer = customer_id
        history.append((to_stage, _as_date(on)))
    close(last_customer, history)

    out = []
    for stage in STAGES:
        has_next = stage in rank and rank[stage] < len(PIPELINE) - 1
        n_entered = len(entered[stage])
        n_moved = len(moved[stage]) if has_next else None
        out.append(
            {
                "stage": stage,
                "current": current.get(stage, 0),
                "entered": n_entered,
                "moved_on": n_moved,
                "conversion": _pct(n_moved, n_entered) if n_moved is not None else None,
                "median_days": _median(durations[stage]),
                "average_days": _avg(durations[stage]),
                "stays": len(durations[stage]),
            }
        )
    return out


# --------------------------------------------------------------------------- compliance

COMPLIANCE_GROUPS = ("owner", "grade")


def classify_followup(
    *, status: str, due: date, closed_on: date | None, on_time: bool | None, today: date
) -> str:
    """``on_time`` | ``late`` | ``missed`` (open and past due) | ``pending`` (open, not yet due)."""
    if status == "done":
        if on_time is None:
            on_time = closed_on is not None and closed_on <= due
        return "on_time" if on_time else "late"
    return "missed" if due < today else "pending"


def compliance(
    session: Session, *, start: date, end: date, today: date, by: str = "owner"
) -> list[dict[str, Any]]:
    """Follow-ups that fell due in [start, end] (their current due date), per owner or grade
    (the customer's current owner and grade), plus an ``all`` row last.

    A follow-up is on time when it was done on or before its due date; done after it is
    ``late``; still open past its due date is ``missed``; still open and not yet past due
    (due today or later) is ``pending`` and left out of the rate. Cancelled follow-ups (the
    customer was lost, made dormant or archived) are left out.
    ``due`` = on_time + late + missed; ``rate`` = on_time / due in percent.
    """
    key_column = US.login if by == "owner" else CU.grade
    rows = session.execute(
        select(
            key_column,
            FU.status,
            FU.due,
            FU.closed_on,
            FU.on_time,
        )
        .join(T_CU, CU.id == FU.customer_id)
        .join(T_US, US.id == CU.owner_id)
        .where(
            FU.status.in_(("open", "done")),
            FU.due >= start,
            FU.due <= end,
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"on_time": 0, "late": 0, "missed": 0, "pending": 0}
    )
    for key, status, due, closed_on, on_time in rows:
        outcome = classify_followup(
            status=status,
            due=_as_date(due),
            closed_on=_as_date(closed_on) if closed_on is not None else None,
            on_time=on_time,
            today=today,
        )
        counts[str(key)][outcome] += 1
        counts["\x00all"][outcome] += 1

    def row(group: str, c: dict[str, int]) -> dict[str, Any]:
        decided = c["on_time"] + c["late"] + c["missed"]
        return {
            "by": by,
            "group": group,
            "due": decided,
            "on_time": c["on_time"],
            "late": c["late"],
            "missed": c["missed"],
            "pending": c["pending"],
            "rate": _pct(c["on_time"], decided),
        }

    total = counts.pop("\x00all", {"on_time": 0, "late": 0, "missed": 0, "pending": 0})
    out = [row(group, counts[group]) for group in sorted(counts)]
    out.append(row("all", total))
    return out


# --------------------------------------------------------------------------- contracts


def _money_by_currency(pairs: Iterable[tuple[str, Decimal | None]]) -> dict[str, str]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in pairs:
        sums[currency] += amount or Decimal(0)
    return {currency: money_str(value) or "0.00" for currency, value in sorted(sums.items())}


def _count_by_currency(currencies: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for currency in currencies:
        counts[currency] += 1
    return dict(sorted(counts.items()))


def contracts(session: Session, *, start: date, end: date, today: date) -> dict[str, Any]:
    """Contract metrics:

    - ``by_status``: every contract by its current status and currency: count and value;
      ``created`` counts those created in [start, end];
    - ``approval_cycle``: approval requests closed (approved or rejected) in [start, end]:
      days from submission to closing, average and median;
    - ``non_standard``: contracts created in [start, end] that are non-standard (no template,
      or a field outside its schema), and their share;
    - ``expiring``: signed and active contracts that end within 30, 60 and 90 days of today
      (cumulative: the 60-day window includes the 30-day one);
    - ``overdue_milestones``: open milestones past their due date on signed/active contracts.

    ``expiring`` and ``overdue_milestones`` give ``count`` (all currencies), ``value`` and
    ``counts`` per currency.
    """
    by_status = []
    for status, currency, count, value, created in session.execute(
        select(
            CO.status,
            CO.currency,
            func.count(),
            func.sum(CO.amount),
            func.sum(
                case(
                    (CO.created_on.between(start, end), 1),
                    else_=0,
                )
            ),
        ).group_by(CO.status, CO.currency)
    ):
        by_status.append(
            {
                "status": status,
                "currency": currency,
                "count": int(count),
                "value": money_str(value if value is not None else Decimal(0)),
                "created": int(created or 0),
            }
        )
    order = {s: i for i, s in enumerate(CONTRACT_STATUSES)}
    by_status.sort(key=lambda r: (order.get(r["status"], 99), r["status"], r["currency"]))

    cycle_days: list[int] = []
    outcomes: dict[str, int] = {"approved": 0, "rejected": 0}
    for status, submitted_on, closed_on in session.execute(
        select(AR.status, AR.submitted_on, AR.closed_on).where(
            AR.status.in_(("approved", "rejected")),
            AR.closed_on >= start,
            AR.closed_on <= end,
        )
    ):
        cycle_days.append((_as_date(closed_on) - _as_date(submitted_on)).days)
        outcomes[status] += 1

    total_created, non_standard = session.execute(
        select(
            func.count(),
            func.sum(case((CO.non_standard.is_(True), 1), else_=0)),
        ).where(
            CO.created_on >= start,
            CO.created_on <= end,
        )
    ).one()
    total_created, non_standard = int(total_created or 0), int(non_standard or 0)

    horizon = max(EXPIRY_WINDOWS)
    live = list(
        session.execute(
            select(CO.end, CO.currency, CO.amount).where(
                CO.status.in_(LIVE_CONTRACT),
                CO.end >= today,
                CO.end <= today + timedelta(days=horizon),
            )
        )
    )
    expiring = []
    for window in EXPIRY_WINDOWS:
        inside = [r for r in live if _as_date(r.end) <= today + timedelta(days=window)]
        expiring.append(
            {
                "within_days": window,
                "count": len(inside),
                "value": _money_by_currency((r.currency, r.amount) for r in inside),
                "counts": _count_by_currency(r.currency for r in inside),
            }
        )

    overdue = list(
        session.execute(
            select(CO.currency, MI.amount)
            .join(T_CO, CO.id == MI.contract_id)
            .where(
                MI.done_on.is_(None),
                MI.due < today,
                CO.status.in_(LIVE_CONTRACT),
            )
        )
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "today": today.isoformat(),
        "by_status": by_status,
        "approval_cycle": {
            "closed": len(cycle_days),
            "approved": outcomes["approved"],
            "rejected": outcomes["rejected"],
            "average_days": _avg(cycle_days),
            "median_days": _median(cycle_days),
        },
        "non_standard": {
            "created": total_created,
            "non_standard": non_standard,
            "ratio": _pct(non_standard, total_created),
        },
        "expiring": expiring,
        "overdue_milestones": {
            "count": len(overdue),
            "value": _money_by_currency((r.currency, r.amount) for r in overdue),
            "counts": _count_by_currency(r.currency for r in overdue),
        },
    }


def contracts_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The contracts report flattened into rows (one per figure) for tables and CSV."""
    rows: list[dict[str, Any]] = []
    for r in report["by_status"]:
        rows.append(
            {
                "section": "status",
                "key": r["status"],
                "currency": r["currency"],
                "count": r["count"],
                "value": r["value"],
                "detail": f"{r['created']} created in the period",
            }
        )
    cycle = report["approval_cycle"]
    rows.append(
        {
            "section": "approval_cycle",
            "key": "submitted_to_closed",
            "currency": None,
            "count": cycle["closed"],
            "value": None,
            "detail": (
                f"average {cycle['average_days']} d, median {cycle['median_days']} d; "
                f"{cycle['approved']} approved, {cycle['rejected']} rejected"
            ),
        }
    )
    ns = report["non_standard"]
    rows.append(
        {
            "section": "non_standard",
            "key": "created_in_period",
            "currency": None,
            "count": ns["non_standard"],
            "value": None,
            "detail": f"{ns['non_standard']} of {ns['created']} ({ns['ratio']}%)"
            if ns["ratio"] is not None
            else "no contracts created in the period",
        }
    )
    # One row per currency, each with that currency's own count: a total repeated on every
    # currency's row would be counted twice by anyone summing the column.
    for window in report["expiring"]:
        currencies = window["value"] or {"": "0.00"}
        for currency, value in currencies.items():
            rows.append(
                {
                    "section": "expiring",
                    "key": f"within_{window['within_days']}d",
                    "currency": currency or None,
                    "count": window["counts"].get(currency, 0),
                    "value": value,
                    "detail": None,
                }
            )
    overdue = report["overdue_milestones"]
    for currency, value in (overdue["value"] or {"": "0.00"}).items():
        rows.append(
            {
                "section": "overdue_milestones",
                "key": "overdue",
                "currency": currency or None,
                "count": overdue["counts"].get(currency, 0),
                "value": value,
                "detail": None,
            }
        )
    return rows
