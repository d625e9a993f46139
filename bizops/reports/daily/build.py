"""Putting the daily report together: one report per recipient from each section's rows.

The builder reads nothing: the service fetches every section's rows for all recipients at
once (so a report for the whole team costs the same handful of queries as one for a single
person) and hands them over here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.reports.daily.approvals import PendingStepRow, approval_sections
from bizops.reports.daily.common import SECTIONS, PerUser, Recipient, per_user
from bizops.reports.daily.contracts import milestone_section, notice_section
from bizops.reports.daily.copies import copied_section
from bizops.reports.daily.followups import followup_sections, new_customer_section
from bizops.reports.daily.items import DailyReport, ReturnedItem, TeamSummary
from bizops.reports.daily.money import FINANCE, money_sections


@dataclass(frozen=True)
class DailyRows:
    """Each section's rows, for every recipient at once (rows of other users are ignored)."""

    followups: Sequence[Mapping[str, Any]]  # followups.due_rows up to today
    new_customers: Sequence[Mapping[str, Any]]  # followups.never_contacted_rows
    approvals: Sequence[PendingStepRow]  # approvals.pending_steps
    notices: Sequence[Mapping[str, Any]]  # contracts.notice_reminders
    milestones: Sequence[Mapping[str, Any]]  # contracts.due_milestones, a week ahead
    team: TeamSummary | None = None  # followups.team_section, for those who see the team
    # A recipient's own team section, when their visibility narrows it (by recipient id).
    teams: Mapping[int, TeamSummary] = field(default_factory=dict)
    receipts: Sequence[Mapping[str, Any]] = ()  # money.overdue_receivables
    invoices: Sequence[Mapping[str, Any]] = ()  # money.invoices_to_issue
    copies: Sequence[Mapping[str, Any]] = ()  # approvals.copied_rows, since yesterday
    returned: Sequence[Mapping[str, Any]] = ()  # customers.returned_rows of today


def returned_section(
    rows: Sequence[Mapping[str, Any]], *, recipients: Sequence[Recipient]
) -> PerUser[ReturnedItem]:
    """``returned_to_pool`` of each former owner."""
    ids = {r.login: r.id for r in recipients}
    out: PerUser[ReturnedItem] = per_user(recipients)
    for row in rows:
        uid = ids.get(row["owner"])
        if uid is None:
            continue
        last = row["last_contact"]
        out[uid].append(
            {
                "id": row["id"],
                "code": row["code"],
                "customer": row["customer"],
                "last_contact": last.isoformat() if last else None,
                "idle_days": row["idle_days"],
                "action": _(
                    "{code} {customer} went back to the shared pool after {days} days without "
                    "a logged contact; `bizops customer claim {code}` takes it back"
                ).format(code=row["code"], customer=row["customer"], days=row["idle_days"]),
            }
        )
    return out


def is_empty(report: Mapping[str, Any]) -> bool:
    """Nothing to do: no item in any section and (for managers) no overdue in the team."""
    team = report.get("team")
    returned = report.get("returned_to_pool")
    return report["items"] == 0 and not (team and team["overdue"]) and not returned


def _by(
    rows: Sequence[Mapping[str, Any]], key: str, ids: Mapping[Any, int]
) -> dict[int, list[Mapping[str, Any]]]:
    """``rows`` by recipient id, by each row's ``key`` (a login or a user id, as ``ids``
    has them); rows of no recipient are left out."""
    out: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        uid = ids.get(row[key])
        if uid is not None:
            out.setdefault(uid, []).append(row)
    return out


@dataclass(frozen=True)
class Sections:
    """Every section but the follow-ups, for every recipient: the rows, read once for all of
    them and grouped by recipient in one pass; each recipient's items are built with their
    report (``report_for``) and dropped with it, so that no more than one recipient's items
    are held at a time (the follow-ups, which grow with the customers, are read one
    recipient at a time)."""

    rows: DailyRows
    mine: Mapping[int, DailyRows]  # each recipient's share of the rows kept by owner
    policy: Policy
    today: date

    @classmethod
    def of(
        cls, *, recipients: Sequence[Recipient], policy: Policy, today: date, rows: DailyRows
    ) -> Sections:
        """From each section's rows (``rows.followups`` is not read)."""
        logins = {r.login: r.id for r in recipients}
        ids = {r.id: r.id for r in recipients}
        new = _by(rows.new_customers, "owner", logins)
        notices = _by(rows.notices, "owner_id", ids)
        milestones = _by(rows.milestones, "owner_id", ids)
        receipts = _by(rows.receipts, "owner", logins)
        copies = _by(rows.copies, "login", logins)
        returned = _by(rows.returned, "owner", logins)
        mine = {
            r.id: replace(
                rows,
                new_customers=new.get(r.id, ()),
                notices=notices.get(r.id, ()),
                milestones=milestones.get(r.id, ()),
                receipts=rows.receipts if FINANCE in r.roles else receipts.get(r.id, ()),
                copies=copies.get(r.id, ()),
                returned=returned.get(r.id, ()),
            )
            for r in recipients
        }
        return cls(rows, mine, policy, today)

    def items(self, r: Recipient) -> tuple[dict[str, list[Any]], list[ReturnedItem]]:
        """``r``'s items of each section (by name) and what went back to the pool."""
        rows, policy, today, only = self.mine[r.id], self.policy, self.today, [r]
        waiting, late = approval_sections(
            rows.approvals, recipients=only, today=today, calendar=policy.calendar
        )
        receipts, invoices = money_sections(
            rows.receipts, rows.invoices, recipients=only, today=today
        )
        new = new_customer_section(rows.new_customers, recipients=only, policy=policy, today=today)
        per: dict[str, list[Any]] = {
            "approvals_waiting": waiting[r.id],
            "approvals_overdue": late[r.id],
            "approvals_copied": copied_section(rows.copies, recipients=only, today=today)[r.id],
            "contracts_notice": notice_section(rows.notices, recipients=only, today=today)[r.id],
            "milestones": milestone_section(rows.milestones, recipients=only, today=today)[r.id],
            "new_customers": new[r.id],
            "receipts_overdue": receipts[r.id],
            "invoices_to_issue": invoices[r.id],
        }
        return per, returned_section(rows.returned, recipients=only)[r.id]


def report_for(
    r: Recipient,
    *,
    sections: Sections,
    followups: Iterable[Mapping[str, Any]],
    policy: Policy,
    today: date,
) -> DailyReport:
    """``r``'s report: their follow-ups (``followups.due_rows`` up to today; rows of other
    owners are left out) and their share of ``sections``."""
    overdue, due_today = followup_sections(followups, recipients=[r], policy=policy, today=today)
    mine, returned = sections.items(r)
    per = {"followups_overdue": overdue[r.id], "followups_due_today": due_today[r.id], **mine}
    counts = {name: len(per[name]) for name in SECTIONS}
    rows = sections.rows
    return {
        "user": r.login,
        "user_id": r.id,
        "name": r.name,
        "email": r.email,
        "roles": list(r.roles),
        "date": today.isoformat(),
        "items": sum(counts.values()),
        "counts": counts,
        "followups_overdue": per["followups_overdue"],
        "followups_due_today": per["followups_due_today"],
        "approvals_waiting": per["approvals_waiting"],
        "approvals_overdue": per["approvals_overdue"],
        "approvals_copied": per["approvals_copied"],
        "contracts_notice": per["contracts_notice"],
        "milestones": per["milestones"],
        "new_customers": per["new_customers"],
        "receipts_overdue": per["receipts_overdue"],
        "invoices_to_issue": per["invoices_to_issue"],
        "returned_to_pool": returned,
        "team": rows.teams.get(r.id, rows.team) if r.sees_team else None,
    }


def build_daily(
    *, recipients: Sequence[Recipient], policy: Policy, today: date, rows: DailyRows
) -> list[DailyReport]:
    """One report per recipient, in the order given, from every section's rows at once."""
    sections = Sections.of(recipients=recipients, policy=policy, today=today, rows=rows)
    mine: dict[str | None, list[Mapping[str, Any]]] = {r.login: [] for r in recipients}
    for row in rows.followups:
        if (found := mine.get(row["owner"])) is not None:
            found.append(row)
    return [
        report_for(r, sections=sections, followups=mine[r.login], policy=policy, today=today)
        for r in recipients
    ]
