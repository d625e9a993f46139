"""Putting the daily report together: one report per recipient from each section's rows.

The builder reads nothing: the service fetches every section's rows for all recipients at
once (so a report for the whole team costs the same handful of queries as one for a single
person) and hands them over here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bizops.domain.policy import Policy
from bizops.reports.daily.approvals import PendingStepRow, approval_sections
from bizops.reports.daily.common import SECTIONS, PerUser, Recipient
from bizops.reports.daily.contracts import milestone_section, notice_section
from bizops.reports.daily.followups import followup_sections, new_customer_section
from bizops.reports.daily.items import DailyReport, TeamSummary
from bizops.reports.daily.money import money_sections


@dataclass(frozen=True)
class DailyRows:
    """Each section's rows, for every recipient at once (rows of other users are ignored)."""

    followups: Sequence[Mapping[str, Any]]  # followups.due_rows up to today
    new_customers: Sequence[Mapping[str, Any]]  # followups.never_contacted_rows
    approvals: Sequence[PendingStepRow]  # approvals.pending_steps
    notices: Sequence[Mapping[str, Any]]  # contracts.notice_reminders
    milestones: Sequence[Mapping[str, Any]]  # contracts.due_milestones, a week ahead
    team: TeamSummary | None = None  # followups.team_section, for those who see the team
    receipts: Sequence[Mapping[str, Any]] = ()  # money.overdue_receivables
    invoices: Sequence[Mapping[str, Any]] = ()  # money.invoices_to_issue


def is_empty(report: Mapping[str, Any]) -> bool:
    """Nothing to do: no item in any section and (for managers) no overdue in the team."""
    team = report.get("team")
    return report["items"] == 0 and not (team and team["overdue"])


def build_daily(
    *, recipients: Sequence[Recipient], policy: Policy, today: date, rows: DailyRows
) -> list[DailyReport]:
    """One report per recipient, in the order given."""
    overdue, due_today = followup_sections(
        rows.followups, recipients=recipients, policy=policy, today=today
    )
    waiting, late = approval_sections(
        rows.approvals, recipients=recipients, today=today, calendar=policy.calendar
    )
    notices = notice_section(rows.notices, recipients=recipients, today=today)
    milestones = milestone_section(rows.milestones, recipients=recipients, today=today)
    new = new_customer_section(
        rows.new_customers, recipients=recipients, policy=policy, today=today
    )
    receipts, invoices = money_sections(
        rows.receipts, rows.invoices, recipients=recipients, today=today
    )
    per: dict[str, PerUser[Any]] = {
        "followups_overdue": overdue,
        "followups_due_today": due_today,
        "approvals_waiting": waiting,
        "approvals_overdue": late,
        "contracts_notice": notices,
        "milestones": milestones,
        "new_customers": new,
        "receipts_overdue": receipts,
        "invoices_to_issue": invoices,
    }
    reports: list[DailyReport] = []
    for r in recipients:
        counts = {name: len(per[name][r.id]) for name in SECTIONS}
        reports.append(
            {
                "user": r.login,
                "user_id": r.id,
                "name": r.name,
                "email": r.email,
                "roles": list(r.roles),
                "date": today.isoformat(),
                "items": sum(counts.values()),
                "counts": counts,
                "followups_overdue": overdue[r.id],
                "followups_due_today": due_today[r.id],
                "approvals_waiting": waiting[r.id],
                "approvals_overdue": late[r.id],
                "contracts_notice": notices[r.id],
                "milestones": milestones[r.id],
                "new_customers": new[r.id],
                "receipts_overdue": receipts[r.id],
                "invoices_to_issue": invoices[r.id],
                "team": rows.team if r.sees_team else None,
            }
        )
    return reports
