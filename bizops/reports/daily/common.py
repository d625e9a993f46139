"""Who a report is for, its sections, and the words the items share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from bizops.domain.money import format_money
from bizops.domain.workdays import WorkCalendar
from bizops.i18n import ngettext

if TYPE_CHECKING:
    from bizops.store.models import User

# Roles that see the whole team: the team's overdue summary and every overdue approval.
TEAM_ROLES: frozenset[str] = frozenset({"manager", "gm"})
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


T = TypeVar("T")
# A section's items per recipient (by user id), in the order the report shows them.
PerUser = dict[int, list[T]]


def per_user(recipients: Sequence[Recipient]) -> dict[int, list[T]]:
    return {r.id: [] for r in recipients}


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def when(due: date, today: date) -> str:
    """ "overdue 3 days, was due 2026-11-24" / "due today" / "due in 4 days (2026-12-01)"."""
    delta = (today - due).days
    if delta > 0:
        return f"overdue {days(delta)}, was due {due.isoformat()}"
    if delta == 0:
        return f"due today ({due.isoformat()})"
    return f"due in {days(-delta)} ({due.isoformat()})"


def when_working(due: date, today: date, calendar: WorkCalendar) -> str:
    """As ``when``, but a deadline still ahead is counted in working days (an SLA's unit):
    "due in 2 working days (2026-10-09)"."""
    if due <= today:
        return when(due, today)
    n = calendar.working_days_between(today, due)
    return ngettext("due in {n} working day ({day})", "due in {n} working days ({day})", n).format(
        n=n, day=due.isoformat()
    )


def amount(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return ""
    return f"{format_money(value)} {currency or ''}".strip()
