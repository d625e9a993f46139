"""Who a report is for, its sections, and the words the items share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from bizops.domain.money import format_money
from bizops.domain.workdays import WorkCalendar
from bizops.i18n import N_, _, ngettext

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
    "receipts_overdue",
    "invoices_to_issue",
)
# In English; each is translated where it is shown (``_(SECTION_TITLES[key])``).
SECTION_TITLES: dict[str, str] = {
    "followups_overdue": N_("Overdue follow-ups"),
    "followups_due_today": N_("Follow-ups due today"),
    "approvals_waiting": N_("Approvals waiting on you"),
    "approvals_overdue": N_("Overdue approvals"),
    "contracts_notice": N_("Contracts reaching their notice days"),
    "milestones": N_("Milestones due or overdue"),
    "new_customers": N_("New customers never contacted"),
    "receipts_overdue": N_("Receipts overdue"),
    "invoices_to_issue": N_("Invoices to issue"),
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
    """ "1 day", "3 days"; "3天" in Chinese."""
    return ngettext("{n} day", "{n} days", n).format(n=n)


def when(due: date, today: date) -> str:
    """ "overdue 3 days, was due 2026-11-24" / "due today (2026-11-27)" / "due in 4 days
    (2026-12-01)"; in Chinese "已逾期3天（原定 2026-11-24）" / "今天到期（2026-11-27）" /
    "4天后到期（2026-12-01）"."""
    delta = (today - due).days
    if delta > 0:
        return _("overdue {days}, was due {date}").format(days=days(delta), date=due.isoformat())
    if delta == 0:
        return _("due today ({date})").format(date=due.isoformat())
    return _("due in {days} ({date})").format(days=days(-delta), date=due.isoformat())


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


def contract_words(number: str, title: str, customer: str, money: str) -> str:
    """ "HT-2026-0001 Title (Customer, 120,000.00 CNY)": a contract as items name it."""
    return _("{number} {title} ({customer}, {amount})").format(
        number=number, title=title, customer=customer, amount=money
    )
