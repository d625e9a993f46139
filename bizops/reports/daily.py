"""The daily reminder report (PRODUCT section 9, seed C7): what each user must do today.

Every section is one Core query for all the users asked for, grouped in Python, so a report
for the whole team costs the same handful of queries as a report for one person. Items are
JSON-ready dicts (ISO dates, amounts as two-decimal strings) that also carry an ``action``
sentence saying what to do and by when; the templates and the JSON both read them as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from bizops.domain import approval as approval_rules
from bizops.domain.money import format_money, money_str
from bizops.domain.policy import Policy
from bizops.reports.tables import (
    AR,
    AS,
    CO,
    CU,
    FU,
    MI,
    T_AR,
    T_CO,
    T_CU,
    T_FU,
    T_US,
    US,
)
from bizops.store.models import (
    User,
)

# Roles that see the whole team: the team's overdue summary and every overdue approval.
TEAM_ROLES: frozenset[str] = frozenset({"manager", "gm"})
# Contracts whose notice and end dates still matter.
LIVE_CONTRACT: tuple[str, ...] = ("signed", "active")
MILESTONE_HORIZON_DAYS = 7
NEW_CUSTOMER_DAYS = 7

SECTIONS: tuple[str, ...] = (
    "followups_overdue",
    "followups_due_today",
    "approvals_waiting",
    "approvals_overdue",
    "contracts_notice",
    "milestones",
    "new_customers",
)
SECTION_TITLES: dict[str, str] = {
    "followups_overdue": "Overdue follow-ups / 逾期跟进",
    "followups_due_today": "Follow-ups due today / 今日跟进",
    "approvals_waiting": "Approvals waiting on you / 待您审批",
    "approvals_overdue": "Overdue approvals / 超时审批",
    "contracts_notice": "Contracts reaching their notice days / 合同到期提醒",
    "milestones": "Milestones due or overdue / 履约节点",
    "new_customers": "New customers never contacted / 未联系的新客户",
}

_VERBS = {
    "phone": "Call",
    "visit": "Visit",
    "email": "Email",
    "meeting": "Meet",
    "wechat": "Message",
    "other": "Contact",
}


@dataclass(frozen=True)
class Recipient:
    """Who a report is for: plain values, so that reports outlive the session."""

    id: int
    login: str
    name: str
    email: str | None
    roles: tuple[str, ...]
    limit: Decimal | None = None

    @property
    def sees_team(self) -> bool:
        return bool(TEAM_ROLES.intersection(self.roles))

    @classmethod
    def of(cls, user: User) -> Recipient:
        assert user.id is not None
        return cls(
            user.id,
            user.login,
            user.name,
            user.email,
            tuple(user.role_list),
            user.approval_limit,
        )


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _when(due: date, today: date) -> str:
    """ "overdue 3 days, was due 2026-11-24" / "due today" / "due in 4 days (2026-12-01)"."""
    delta = (today - due).days
    if delta > 0:
        return f"overdue {_days(delta)}, was due {due.isoformat()}"
    if delta == 0:
        return f"due today ({due.isoformat()})"
    return f"due in {_days(-delta)} ({due.isoformat()})"


def _amount(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return ""
    return f"{format_money(value)} {currency or ''}".strip()


def _previous_report_day(policy: Policy, today: date) -> date:
    """The last working day before today: reminders that fell on a weekend are not lost."""
    day = today - timedelta(days=1)
    for _ in range(7):
        if day.weekday() not in policy.weekend_days:
            return day
        day -= timedelta(days=1)
    return today - timedelta(days=1)


# --------------------------------------------------------------------------- follow-ups


def _followup_rows(session: Session, owner_ids: Sequence[int] | None, today: date) -> list[Any]:
    query = (
        select(
            FU.id,
            FU.due,
            FU.kind,
            FU.purpose,
            CU.code,
            CU.name,
            CU.grade,
            CU.stage,
            CU.owner_id,
            CU.last_contact_on,
            US.login,
            US.name.label("owner_name"),
        )
        .join(T_CU, CU.id == FU.customer_id)
        .join(T_US, US.id == CU.owner_id)
        .where(
            FU.status == "open",
            FU.due <= today,
            CU.archived_on.is_(None),
        )
    )
    if owner_ids is not None:
        query = query.where(CU.owner_id.in_(owner_ids))
    return list(session.execute(query))


class _FollowupItems:
    """Builds follow-up items; the per-grade words are worked out once, not per row."""

    def __init__(self, policy: Policy, today: date) -> None:
        self.today = today
        self.grades: dict[str, tuple[str, list[str], str, str]] = {}
        self.policy = policy

    def _grade(self, grade: str) -> tuple[str, list[str], str, str]:
        found = self.grades.get(grade)
        if found is None:
            channels = self.policy.channels.get(grade, ("phone",))
            found = (
                channels[0],
                list(channels),
                "/".join(channels),
                _VERBS.get(channels[0], "Contact"),
            )
            self.grades[grade] = found
        return found

    def __call__(self, row: Any) -> dict[str, Any]:
        fid, due, kind, purpose, code, name, grade, stage, _owner, last, login, _oname = row
        channel, channels, suggested, verb = self._grade(grade)
        if kind == "first_contact":
            verb = "Make first contact with"
        elif kind == "planned":
            verb = f"{verb} ({purpose or 'planned'})"
        overdue = (self.today - due).days
        due_text = due.isoformat()
        if overdue > 0:
            when = f"overdue {_days(overdue)}, was due {due_text}"
        else:
            when = _when(due, self.today)
            overdue = 0
        return {
            "id": fid,
            "code": code,
            "customer": name,
            "grade": grade,
            "stage": stage,
            "owner": login,
            "due": due_text,
            "days_overdue": overdue,
            "last_contact": last.isoformat() if last else None,
            "channel": channel,
            "channels": list(channels),
            "kind": kind,
            "purpose": purpose,
            "action": f"{verb} {name} ({grade}, {stage}) — {when}; suggested: {suggested}",
        }


def _urgency(item: dict[str, Any]) -> tuple[Any, ...]:
    """Most urgent first: days overdue, then grade, then due date (PRODUCT section 5)."""
    return (-item["days_overdue"], item["grade"], item["due"], item["code"])


# --------------------------------------------------------------------------- new customers


def _new_customer_rows(
    session: Session, owner_ids: Sequence[int] | None, today: date, days: int
) -> list[Any]:
    query = (
        select(
            CU.id,
            CU.code,
            CU.name,
            CU.grade,
            CU.stage,
            CU.owner_id,
            CU.created_on,
            FU.due,
            US.login,
        )
        .join(T_FU, FU.customer_id == CU.id)
        .join(T_US, US.id == CU.owner_id)
        .where(
            # Never contacted: its open follow-up is the first contact, whether still the
            # automatic one or planned by hand for a date (`followups plan`).
            FU.status == "open",
            CU.last_contact_on.is_(None),
            CU.archived_on.is_(None),
            CU.created_on >= today - timedelta(days=days),
            CU.created_on <= today,
        )
    )
    if owner_ids is not None:
        query = query.where(CU.owner_id.in_(owner_ids))
    return list(session.execute(query))


def _new_customer_item(row: Any, policy: Policy, today: date) -> dict[str, Any]:
    channels = policy.channels.get(row.grade, ("phone",))
    overdue = max((today - row.due).days, 0)
    return {
        "id": row.id,
        "code": row.code,
        "customer": row.name,
        "grade": row.grade,
        "stage": row.stage,
        "owner": row.login,
        "created": row.created_on.isoformat(),
        "due": row.due.isoformat(),
        "days_overdue": overdue,
        "channel": channels[0],
        "channels": list(channels),
        "action": (
            f"New customer {row.name} ({row.grade}) since {row.created_on.isoformat()}, "
            f"never contacted — first contact {_when(row.due, today)}; "
            f"suggested: {'/'.join(channels)}"
        ),
    }


# --------------------------------------------------------------------------- approvals


def _pending_step_rows(session: Session) -> list[Any]:
    """The current step of every pending request, with its contract."""
    query = (
        select(
            AS.id.label("step_id"),
            AS.seq,
            AS.role,
            AS.pending_since,
            AS.due,
            AR.id.label("request_id"),
            AR.chain,
            AR.amount,
            AR.submitted_by,
            AR.submitted_on,
            AR.amendment_id,
            CO.id.label("contract_id"),
            CO.number,
            CO.title,
            CO.currency,
            CO.owner_id,
            CU.name.label("customer"),
            US.login.label("owner_login"),
        )
        .join(T_AR, AR.id == AS.request_id)
        .join(T_CO, CO.id == AR.contract_id)
        .join(T_CU, CU.id == CO.customer_id)
        .join(T_US, US.id == CO.owner_id)
        .where(
            AS.status == "pending",
            AR.status == "pending",
            AS.seq == AR.current_step,
        )
    )
    return list(session.execute(query))


def _approved_steps(session: Session) -> dict[int, dict[int, str]]:
    """For each pending request, who approved which step (one person, one step)."""
    rows = session.execute(
        select(AS.request_id, AS.seq, AS.decided_by)
        .join(T_AR, AR.id == AS.request_id)
        .where(
            AR.status == "pending",
            AS.status == "approved",
            AS.decided_by.is_not(None),
        )
    )
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for request_id, seq, login in rows:
        out[request_id][seq] = login
    return out


def _may_decide(recipient: Recipient, row: Any, decided: dict[int, str]) -> bool:
    """The approval rules themselves: role, segregation of duties, one step, the limit."""
    refusal = approval_rules.decision_refusal(
        approval_rules.Decider(login=recipient.login, roles=recipient.roles, limit=recipient.limit),
        request_id=row.request_id,
        chain=list(row.chain or []),
        current_step=row.seq,
        amount=row.amount,
        submitted_by=row.submitted_by,
        owner=row.owner_login,
        contract=row.number,
        decided=decided,
    )
    return refusal is None


def _approval_item(row: Any, today: date, *, overdue_view: bool) -> dict[str, Any]:
    days_overdue = max((today - row.due).days, 0) if row.due else 0
    steps = len(row.chain or [])
    what = f"{row.number} {row.title} ({row.customer}, {_amount(row.amount, row.currency)})"
    if row.due is None:
        when = f"waiting since {row.pending_since.isoformat() if row.pending_since else '?'}"
    else:
        when = _when(row.due, today)
    if overdue_view:
        action = (
            f"Chase {what}: step {row.seq} of {steps} ({row.role}) — {when}; "
            f"waiting since {row.pending_since.isoformat() if row.pending_since else '?'}"
        )
    else:
        action = (
            f"Approve or reject {what} as {row.role}, step {row.seq} of {steps} — {when}; "
            f"`bizops approval show {row.request_id}`"
        )
    return {
        "id": row.request_id,
        "step_id": row.step_id,
        "contract": row.number,
        "title": row.title,
        "customer": row.customer,
        "step": row.seq,
        "steps": steps,
        "role": row.role,
        "amount": money_str(row.amount),
        "currency": row.currency,
        "submitted_by": row.submitted_by,
        "waiting_since": row.pending_since.isoformat() if row.pending_since else None,
        "due": row.due.isoformat() if row.due else None,
        "days_overdue": days_overdue,
        "amendment": row.amendment_id is not None,
        "action": action,
    }


# --------------------------------------------------------------------------- contracts


def _notice_rows(
    session: Session, owner_ids: Sequence[int] | None, policy: Policy, today: date
) -> list[Any]:
    longest = session.execute(
        select(func.max(CO.notice_days)).where(CO.status.in_(LIVE_CONTRACT))
    ).scalar()
    horizon = max([*policy.reminder_days, int(longest or 0), 0])
    query = (
        select(
            CO.id,
            CO.number,
            CO.title,
            CO.amount,
            CO.currency,
            CO.status,
            CO.end,
            CO.notice_days,
            CO.owner_id,
            CU.name.label("customer"),
        )
        .join(T_CU, CU.id == CO.customer_id)
        .where(
            CO.status.in_(LIVE_CONTRACT),
            CO.end <= today + timedelta(days=horizon),
        )
    )
    if owner_ids is not None:
        query = query.where(CO.owner_id.in_(owner_ids))
    return list(session.execute(query))


def notice_trigger(*, end: date, notice_days: int, policy: Policy, today: date) -> int | str | None:
    """Why a live contract is in today's report, or None.

    The reminder points are the policy's ``reminder_days`` (30, 7, 0) plus the contract's own
    ``notice_days``. A point counts on the first report day on or after it: a point that falls
    on a weekend is reported on the next working day, never lost. A contract past its end that
    is still signed/active is reported every day until someone completes, renews or ends it.
    """
    days_left = (end - today).days
    if days_left < 0:
        return "ended"
    since = _previous_report_day(policy, today)
    points = sorted({*policy.reminder_days, notice_days})
    for point in points:
        moment = end - timedelta(days=point)
        if since < moment <= today:
            return point
    return None


def _notice_item(row: Any, trigger: int | str, today: date) -> dict[str, Any]:
    days_left = (row.end - today).days
    what = f"{row.number} {row.title} ({row.customer}, {_amount(row.amount, row.currency)})"
    if days_left < 0:
        action = (
            f"{what} ended {_days(-days_left)} ago ({row.end.isoformat()}) and is still "
            f"{row.status}: complete, renew by amendment, or terminate it"
        )
    elif days_left == 0:
        action = f"{what} ends today ({row.end.isoformat()}): renew by amendment or complete it"
    else:
        notice_by = row.end - timedelta(days=row.notice_days)
        if notice_by >= today:
            deadline = f"give notice or renew by {notice_by.isoformat()}"
        else:
            deadline = "the notice period has begun: renew or give notice now"
        action = (
            f"{what} ends {row.end.isoformat()} — {_days(days_left)} left; {deadline} "
            f"(notice {_days(row.notice_days)})"
        )
    return {
        "id": row.id,
        "number": row.number,
        "title": row.title,
        "customer": row.customer,
        "amount": money_str(row.amount),
        "currency": row.currency,
        "status": row.status,
        "end": row.end.isoformat(),
        "days_left": days_left,
        "notice_days": row.notice_days,
        "reminder": trigger,
        "action": action,
    }


def _milestone_rows(session: Session, owner_ids: Sequence[int] | None, today: date) -> list[Any]:
    query = (
        select(
            MI.id,
            MI.kind,
            MI.due,
            MI.amount,
            MI.note,
            CO.id.label("contract_id"),
            CO.number,
            CO.title,
            CO.currency,
            CO.owner_id,
            CU.name.label("customer"),
        )
        .join(T_CO, CO.id == MI.contract_id)
        .join(T_CU, CU.id == CO.customer_id)
        .where(
            MI.done_on.is_(None),
            MI.due <= today + timedelta(days=MILESTONE_HORIZON_DAYS),
            CO.status.in_(LIVE_CONTRACT),
        )
    )
    if owner_ids is not None:
        query = query.where(CO.owner_id.in_(owner_ids))
    return list(session.execute(query))


def _milestone_item(row: Any, today: date) -> dict[str, Any]:
    delta = (today - row.due).days
    amount = f" {_amount(row.amount, row.currency)}" if row.amount is not None else ""
    note = f" ({row.note})" if row.note else ""
    return {
        "id": row.id,
        "contract": row.number,
        "title": row.title,
        "customer": row.customer,
        "kind": row.kind,
        "due": row.due.isoformat(),
        "days_overdue": max(delta, 0),
        "days_left": max(-delta, 0),
        "amount": money_str(row.amount),
        "currency": row.currency if row.amount is not None else None,
        "note": row.note,
        "action": (
            f"{row.kind.capitalize()} milestone{amount}{note} of {row.number} {row.title} "
            f"({row.customer}) — {_when(row.due, today)}; "
            f"when done: `bizops contract milestone done {row.id}`"
        ),
    }


# --------------------------------------------------------------------------- team summary


def _team_overdue(session: Session, today: date) -> dict[str, Any]:
    rows = session.execute(
        select(
            US.login,
            US.name,
            func.count(FU.id),
            func.min(FU.due),
        )
        .select_from(T_FU)
        .join(T_CU, CU.id == FU.customer_id)
        .join(T_US, US.id == CU.owner_id)
        .where(
            FU.status == "open",
            FU.due < today,
            CU.archived_on.is_(None),
        )
        .group_by(US.login, US.name)
    ).all()
    return _team_summary(rows, today)


def _team_summary(rows: Iterable[Any], today: date) -> dict[str, Any]:
    by_owner = []
    for login, name, count, oldest in rows:
        oldest_date = oldest if isinstance(oldest, date) else date.fromisoformat(str(oldest))
        by_owner.append(
            {
                "owner": login,
                "name": name,
                "overdue": int(count),
                "oldest_due": oldest_date.isoformat(),
                "max_days_overdue": (today - oldest_date).days,
            }
        )
    by_owner.sort(key=lambda r: (-r["overdue"], r["owner"]))
    return {"overdue": sum(r["overdue"] for r in by_owner), "by_owner": by_owner}


# --------------------------------------------------------------------------- the report


def is_empty(report: dict[str, Any]) -> bool:
    """Nothing to do: no item in any section and (for managers) no overdue in the team."""
    team = report.get("team")
    return report["items"] == 0 and not (team and team["overdue"])


def build_daily(
    session: Session,
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
    new_days: int = NEW_CUSTOMER_DAYS,
    whole_team: bool = False,
) -> list[dict[str, Any]]:
    """One report per recipient, in the order given. ``whole_team`` says that the recipients
    are every active user, so the queries need no owner filter."""
    if not recipients:
        return []
    owner_ids: list[int] | None = None if whole_team else [r.id for r in recipients]
    wanted = {r.id for r in recipients}
    per: dict[int, dict[str, list[dict[str, Any]]]] = {
        r.id: {name: [] for name in SECTIONS} for r in recipients
    }

    followup_item = _FollowupItems(policy, today)
    overdue_by_owner: dict[tuple[str, str], list[date]] = defaultdict(list)
    for row in _followup_rows(session, owner_ids, today):
        if row.due < today:
            overdue_by_owner[(row.login, row.owner_name)].append(row.due)
        if row.owner_id in wanted:
            section = "followups_overdue" if row.due < today else "followups_due_today"
            per[row.owner_id][section].append(followup_item(row))

    for row in _new_customer_rows(session, owner_ids, today, new_days):
        if row.owner_id in wanted:
            per[row.owner_id]["new_customers"].append(_new_customer_item(row, policy, today))

    steps = _pending_step_rows(session)
    if steps:
        approved = _approved_steps(session)
        for recipient in recipients:
            bucket = per[recipient.id]
            for row in steps:
                mine = row.role in recipient.roles
                involved = row.submitted_by == recipient.login or row.owner_id == recipient.id
                if mine and _may_decide(recipient, row, approved.get(row.request_id, {})):
                    bucket["approvals_waiting"].append(
                        _approval_item(row, today, overdue_view=False)
                    )
                overdue = row.due is not None and row.due < today
                if overdue and (recipient.sees_team or mine or involved):
                    bucket["approvals_overdue"].append(
                        _approval_item(row, today, overdue_view=True)
                    )

    for row in _notice_rows(session, owner_ids, policy, today):
        if row.owner_id not in wanted:
            continue
        trigger = notice_trigger(
            end=row.end, notice_days=row.notice_days, policy=policy, today=today
        )
        if trigger is not None:
            per[row.owner_id]["contracts_notice"].append(_notice_item(row, trigger, today))

    for row in _milestone_rows(session, owner_ids, today):
        if row.owner_id in wanted:
            per[row.owner_id]["milestones"].append(_milestone_item(row, today))

    team = None
    if any(r.sees_team for r in recipients):
        # With the whole team, every overdue follow-up is already in hand: count it here.
        team = (
            _team_summary(
                [
                    (login, name, len(dues), min(dues))
                    for (login, name), dues in overdue_by_owner.items()
                ],
                today,
            )
            if owner_ids is None
            else _team_overdue(session, today)
        )

    reports = []
    for recipient in recipients:
        sections = per[recipient.id]
        for name in ("followups_overdue", "followups_due_today", "new_customers"):
            sections[name].sort(key=_urgency)
        for name in ("approvals_waiting", "approvals_overdue"):
            sections[name].sort(key=lambda i: (-i["days_overdue"], i["due"] or "", i["id"]))
        sections["contracts_notice"].sort(key=lambda i: (i["days_left"], i["number"]))
        sections["milestones"].sort(key=lambda i: (i["due"], i["contract"], i["id"]))
        counts = {name: len(sections[name]) for name in SECTIONS}
        reports.append(
            {
                "user": recipient.login,
                "user_id": recipient.id,
                "name": recipient.name,
                "email": recipient.email,
                "roles": list(recipient.roles),
                "date": today.isoformat(),
                "items": sum(counts.values()),
                "counts": counts,
                **sections,
                "team": team if recipient.sees_team else None,
            }
        )
    return reports


def recipients_for(
    session: Session, *, owner: User | None = None, everyone: bool = False
) -> list[Recipient]:
    """The one user asked for, or every active user (by login)."""
    if not everyone:
        assert owner is not None
        return [Recipient.of(owner)]
    users: Iterable[User] = session.execute(
        select(User).where(US.active.is_(True)).order_by(US.login)
    ).scalars()
    return [Recipient.of(u) for u in users]


__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "Recipient",
    "build_daily",
    "is_empty",
    "notice_trigger",
    "recipients_for",
]
