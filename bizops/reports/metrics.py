"""The metrics of the standard: pipeline funnel, follow-up compliance, contracts.

Each builder is read-only and returns JSON-ready rows (ISO dates, amounts as two-decimal
strings, percentages and day counts as numbers with one decimal, ``None`` when undefined),
declared in ``metric_rows``. The exact definitions are in docs/reports.md; the docstrings
below repeat them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, true
from sqlmodel import Session, col

from bizops.domain.contract_states import PERFORMING
from bizops.domain.money import money_str
from bizops.domain.vocab import PIPELINE, STAGES
from bizops.i18n import _
from bizops.reports.funnel_quotes import ACCEPTED, REJECTED, SENT, quote_counts
from bizops.reports.metric_rows import (
    ApprovalCycle,
    CollectionRow,
    ComplianceRow,
    ContractRow,
    ContractsReport,
    Expiring,
    FunnelRow,
    NonStandard,
    OverdueMilestones,
    StatusRow,
)
from bizops.store.models import (
    ApprovalRequest,
    Contract,
    Customer,
    FollowUp,
    Milestone,
    StageChange,
    User,
)
from bizops.store.scope import scope_of

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


@dataclass
class _Stays:
    """What the stage history says per stage, over the period."""

    start: date
    end: date
    entered: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    moved: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    durations: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, customer: int, changes: list[tuple[str, date]]) -> None:
        """One customer's stage changes, in order."""
        rank = _RANK
        for i, (stage, on) in enumerate(changes):
            if i + 1 < len(changes):
                left_on = changes[i + 1][1]
                if self.start <= left_on <= self.end:
                    self.durations[stage].append((left_on - on).days)
            if self.start <= on <= self.end:
                self.entered[stage].add(customer)
                if stage in rank and any(
                    later in rank and rank[later] > rank[stage] for later, _on in changes[i + 1 :]
                ):
                    self.moved[stage].add(customer)


_RANK = {stage: i for i, stage in enumerate(PIPELINE)}


def _stays(session: Session, *, start: date, end: date) -> _Stays:
    stays = _Stays(start, end)
    scope = scope_of(session)
    rows = session.execute(
        select(col(StageChange.customer_id), col(StageChange.to_stage), col(StageChange.on))
        .where(col(StageChange.on) <= end, scope.customer_clause(col(StageChange.customer_id)))
        .order_by(col(StageChange.customer_id), col(StageChange.on), col(StageChange.id))
    )
    history: list[tuple[str, date]] = []
    last_customer: int | None = None
    for customer_id, to_stage, on in rows:
        if customer_id != last_customer:
            if last_customer is not None:
                stays.add(last_customer, history)
            history = []
            last_customer = customer_id
        history.append((to_stage, _as_date(on)))
    if last_customer is not None:
        stays.add(last_customer, history)
    return stays


def funnel(session: Session, *, start: date, end: date) -> list[FunnelRow]:
    """Per stage, from the stage history (``stage_changes``):

    - ``current``: customers (not archived) in the stage now;
    - ``entered``: customers who moved into the stage during [start, end];
    - ``moved_on``: of those, how many later (up to ``end``) moved forward to a later
      pipeline stage (the next one, or beyond it);
    - ``conversion``: moved_on / entered, in percent;
    - ``median_days`` / ``average_days``: time in the stage, over the stays that ended
      (the customer left the stage, whichever way) during [start, end]; ``stays`` counts them.
    - ``quotes_sent`` / ``quotes_accepted`` / ``quotes_rejected``: quotes sent, accepted and
      rejected during [start, end], under the stage the customer was in when each was sent.
    Lost and dormant are listed for their counts; they have no next stage.
    """
    stage_col = col(Customer.stage)
    current: dict[str, int] = {
        stage: int(count)
        for stage, count in session.execute(
            scope_of(session)
            .only_customers(select(stage_col, func.count()))
            .where(col(Customer.archived_on).is_(None))
            .group_by(stage_col)
        )
    }
    stays = _stays(session, start=start, end=end)
    quoted = quote_counts(session, start=start, end=end)
    out: list[FunnelRow] = []
    for stage in STAGES:
        has_next = stage in _RANK and _RANK[stage] < len(PIPELINE) - 1
        n_entered = len(stays.entered[stage])
        n_moved = len(stays.moved[stage]) if has_next else None
        out.append(
            {
                "stage": stage,
                "current": current.get(stage, 0),
                "entered": n_entered,
                "moved_on": n_moved,
                "conversion": _pct(n_moved, n_entered) if n_moved is not None else None,
                "median_days": _median(stays.durations[stage]),
                "average_days": _avg(stays.durations[stage]),
                "stays": len(stays.durations[stage]),
                "quotes_sent": quoted[stage][SENT],
                "quotes_accepted": quoted[stage][ACCEPTED],
                "quotes_rejected": quoted[stage][REJECTED],
            }
        )
    return out


# --------------------------------------------------------------------------- compliance

COMPLIANCE_GROUPS = ("owner", "grade")
_OUTCOMES = ("on_time", "late", "missed", "pending")


def classify_followup(
    *, status: str, due: date, closed_on: date | None, on_time: bool | None, today: date
) -> str:
    """``on_time`` | ``late`` | ``missed`` (open and past due) | ``pending`` (open, not yet due)."""
    if status == "done":
        if on_time is None:
            on_time = closed_on is not None and closed_on <= due
        return "on_time" if on_time else "late"
    return "missed" if due < today else "pending"


def _compliance_row(by: str, group: str, c: dict[str, int]) -> ComplianceRow:
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


def compliance(
    session: Session, *, start: date, end: date, today: date, by: str = "owner"
) -> list[ComplianceRow]:
    """Follow-ups that fell due in [start, end] (their current due date), per owner or grade
    (the customer's current owner and grade), plus an ``all`` row last.

    A follow-up is on time when it was done on or before its due date; done after it is
    ``late``; still open past its due date is ``missed``; still open and not yet past due
    (due today or later) is ``pending`` and left out of the rate. Cancelled follow-ups (the
    customer was lost, made dormant or archived) are left out.
    ``due`` = on_time + late + missed; ``rate`` = on_time / due in percent.
    """
    key_column = col(User.login) if by == "owner" else col(Customer.grade)
    due_col = col(FollowUp.due)
    rows = session.execute(
        select(
            key_column,
            col(FollowUp.status),
            due_col,
            col(FollowUp.closed_on),
            col(FollowUp.on_time),
        )
        .join(Customer, col(Customer.id) == col(FollowUp.customer_id))
        .join(User, col(User.id) == col(Customer.owner_id))
        .where(scope_of(session).owner_clause(col(Customer.owner_id)))
        .where(
            col(FollowUp.status).in_(("open", "done")),
            due_col >= start,
            due_col <= end,
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_OUTCOMES, 0))
    total = dict.fromkeys(_OUTCOMES, 0)
    for key, status, due, closed_on, on_time in rows:
        outcome = classify_followup(
            status=status,
            due=_as_date(due),
            closed_on=_as_date(closed_on) if closed_on is not None else None,
            on_time=on_time,
            today=today,
        )
        counts[str(key)][outcome] += 1
        total[outcome] += 1
    out = [_compliance_row(by, group, counts[group]) for group in sorted(counts)]
    out.append(_compliance_row(by, "all", total))
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


def _by_status(session: Session, *, start: date, end: date) -> list[StatusRow]:
    status, currency = col(Contract.status), col(Contract.currency)
    created_in_period = case((col(Contract.created_on).between(start, end), 1), else_=0)
    query = select(
        status, currency, func.count(), func.sum(col(Contract.amount)), func.sum(created_in_period)
    ).group_by(status, currency)
    rows: list[StatusRow] = [
        {
            "status": st,
            "currency": cur,
            "count": int(count),
            "value": money_str(value if value is not None else Decimal(0)),
            "created": int(created or 0),
        }
        for st, cur, count, value, created in session.execute(
            scope_of(session).only_contracts(query)
        )
    ]
    order = {s: i for i, s in enumerate(CONTRACT_STATUSES)}
    rows.sort(key=lambda r: (order.get(r["status"], 99), r["status"], r["currency"]))
    return rows


def _visible_request(session: Session) -> Any:
    """Approval requests of the contracts the reader sees."""
    scope = scope_of(session)
    return true() if scope.sees_all else col(ApprovalRequest.contract_id).in_(scope.contract_ids())


def _approval_cycle(session: Session, *, start: date, end: date) -> ApprovalCycle:
    closed_on = col(ApprovalRequest.closed_on)
    cycle_days: list[int] = []
    outcomes: dict[str, int] = {"approved": 0, "rejected": 0}
    for status, submitted_on, closed in session.execute(
        select(col(ApprovalRequest.status), col(ApprovalRequest.submitted_on), closed_on).where(
            _visible_request(session),
            col(ApprovalRequest.status).in_(("approved", "rejected")),
            # Contracts' approvals (a quote's request has no contract).
            col(ApprovalRequest.contract_id).is_not(None),
            closed_on >= start,
            closed_on <= end,
        )
    ):
        cycle_days.append((_as_date(closed) - _as_date(submitted_on)).days)
        outcomes[status] += 1
    return {
        "closed": len(cycle_days),
        "approved": outcomes["approved"],
        "rejected": outcomes["rejected"],
        "average_days": _avg(cycle_days),
        "median_days": _median(cycle_days),
    }


def _non_standard(session: Session, *, start: date, end: date) -> NonStandard:
    created_on = col(Contract.created_on)
    query = select(
        func.count(),
        func.sum(case((col(Contract.non_standard).is_(True), 1), else_=0)),
    ).where(created_on >= start, created_on <= end)
    total, odd = session.execute(scope_of(session).only_contracts(query)).one()
    total, odd = int(total or 0), int(odd or 0)
    return {"created": total, "non_standard": odd, "ratio": _pct(odd, total)}


def _expiring(session: Session, *, today: date) -> list[Expiring]:
    ends = col(Contract.end)
    live = list(
        session.execute(
            scope_of(session).only_contracts(
                select(ends, col(Contract.currency), col(Contract.amount)).where(
                    col(Contract.status).in_(PERFORMING),
                    ends >= today,
                    ends <= today + timedelta(days=max(EXPIRY_WINDOWS)),
                )
            )
        )
    )
    out: list[Expiring] = []
    for window in EXPIRY_WINDOWS:
        inside = [r for r in live if _as_date(r.end) <= today + timedelta(days=window)]
        out.append(
            {
                "within_days": window,
                "count": len(inside),
                "value": _money_by_currency((r.currency, r.amount) for r in inside),
                "counts": _count_by_currency(r.currency for r in inside),
            }
        )
    return out


def _overdue_milestones(session: Session, *, today: date) -> OverdueMilestones:
    overdue = list(
        session.execute(
            scope_of(session).only_contracts(
                select(col(Contract.currency), col(Milestone.amount))
                .join(Contract, col(Contract.id) == col(Milestone.contract_id))
                .where(
                    col(Milestone.done_on).is_(None),
                    col(Milestone.due) < today,
                    col(Contract.status).in_(PERFORMING),
                )
            )
        )
    )
    return {
        "count": len(overdue),
        "value": _money_by_currency((r.currency, r.amount) for r in overdue),
        "counts": _count_by_currency(r.currency for r in overdue),
    }


def contracts(session: Session, *, start: date, end: date, today: date) -> ContractsReport:
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
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "today": today.isoformat(),
        "by_status": _by_status(session, start=start, end=end),
        "approval_cycle": _approval_cycle(session, start=start, end=end),
        "non_standard": _non_standard(session, start=start, end=end),
        "expiring": _expiring(session, today=today),
        "overdue_milestones": _overdue_milestones(session, today=today),
        "collection": _collection(session),
    }


def _collection(session: Session) -> list[CollectionRow]:
    """Per currency, over sales and service contracts signed and not archived: the amount,
    what was invoiced (not void) and received (advances aside), and the collection rate."""
    from bizops.domain import money_rules as mr
    from bizops.store.models import Invoice, Receipt

    live = col(Contract.status).in_(("signed", "active", "completed", "terminated"))
    scope = select(col(Contract.id)).where(col(Contract.type).in_(mr.INCOMING_TYPES), live)
    scope = scope_of(session).only_contracts(scope)  # the contracts the reader sees
    amounts = session.execute(
        select(col(Contract.currency), func.count(), func.sum(col(Contract.amount)))
        .where(col(Contract.id).in_(scope))
        .group_by(col(Contract.currency))
    ).all()
    invoiced = dict(
        session.execute(
            select(col(Contract.currency), func.sum(col(Invoice.amount)))
            .join(Contract, col(Contract.id) == col(Invoice.contract_id))
            .where(col(Contract.id).in_(scope), col(Invoice.status) == mr.ISSUED)
            .group_by(col(Contract.currency))
        ).all()
    )
    received = dict(
        session.execute(
            select(col(Contract.currency), func.sum(col(Receipt.applied)))
            .join(Contract, col(Contract.id) == col(Receipt.contract_id))
            .where(col(Contract.id).in_(scope))
            .group_by(col(Contract.currency))
        ).all()
    )
    rows: list[CollectionRow] = []
    for currency, count, total in sorted(amounts):
        got = Decimal(received.get(currency) or 0)
        rate = mr.collection_rate(got, Decimal(total))
        rows.append(
            {
                "currency": currency,
                "contracts": int(count),
                "amount": money_str(Decimal(total)) or "0.00",
                "invoiced": money_str(Decimal(invoiced.get(currency) or 0)) or "0.00",
                "received": money_str(got) or "0.00",
                "rate": None if rate is None else str(rate),
            }
        )
    return rows


def _per_currency_rows(
    section: str, key: str, value: dict[str, str], counts: dict[str, int]
) -> list[ContractRow]:
    # One row per currency, each with that currency's own count: a total repeated on every
    # currency's row would be counted twice by anyone summing the column.
    return [
        {
            "section": section,
            "key": key,
            "currency": currency or None,
            "count": counts.get(currency, 0),
            "value": amount,
            "detail": None,
        }
        for currency, amount in (value or {"": "0.00"}).items()
    ]


def contracts_rows(report: ContractsReport) -> list[ContractRow]:
    """The contracts report flattened into rows (one per figure) for tables and CSV."""
    rows: list[ContractRow] = [
        {
            "section": "status",
            "key": r["status"],
            "currency": r["currency"],
            "count": r["count"],
            "value": r["value"],
            "detail": _("{count} created in the period").format(count=r["created"]),
        }
        for r in report["by_status"]
    ]
    cycle = report["approval_cycle"]
    rows.append(
        {
            "section": "approval_cycle",
            "key": "submitted_to_closed",
            "currency": None,
            "count": cycle["closed"],
            "value": None,
            "detail": _(
                "average {average} d, median {median} d; {approved} approved, {rejected} rejected"
            ).format(
                average=cycle["average_days"],
                median=cycle["median_days"],
                approved=cycle["approved"],
                rejected=cycle["rejected"],
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
            "detail": _("{count} of {total} ({ratio}%)").format(
                count=ns["non_standard"], total=ns["created"], ratio=ns["ratio"]
            )
            if ns["ratio"] is not None
            else _("no contracts created in the period"),
        }
    )
    for window in report["expiring"]:
        key = f"within_{window['within_days']}d"
        rows += _per_currency_rows("expiring", key, window["value"], window["counts"])
    overdue = report["overdue_milestones"]
    rows += _per_currency_rows("overdue_milestones", "overdue", overdue["value"], overdue["counts"])
    rows += [
        {
            "section": "collection",
            "key": "received",
            "currency": c["currency"],
            "count": c["contracts"],
            "value": c["received"],
            "detail": _("invoiced {invoiced}, received {received} of {amount} ({rate}%)").format(
                invoiced=c["invoiced"], received=c["received"], amount=c["amount"], rate=c["rate"]
            ),
        }
        for c in report["collection"]
    ]
    return rows
