"""Reports: the daily reminder report and the metrics of the standard. Delivering the daily
report once a day (by mail or to a group robot) is ``bizops.services.report_delivery``'s;
its names are re-exported here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.reports import daily as daily_report
from bizops.reports import metrics
from bizops.reports.daily import DailyReport, Recipient
from bizops.reports.metric_rows import ComplianceRow, ContractsReport, FunnelRow
from bizops.services import approvals, contracts, followups, money
from bizops.services.customers.pool import returned_rows
from bizops.services.report_delivery import (
    ALREADY_SENT,
    BEING_SENT,
    CLAIM_TIMEOUT,
    NO_EMAIL,
    NOTHING_TO_REPORT,
    UNCERTAIN,
    Claim,
    SendOutcome,
    claim_delivery,
    confirm_delivery,
    deliveries_on,
    mark_failed,
    mark_uncertain,
    release_claim,
    send_daily,
    subject_for,
    with_anchor,
)
from bizops.services.visibility import scope_for
from bizops.store.models import User

__all__ = [
    "ALREADY_SENT",
    "BEING_SENT",
    "CLAIM_TIMEOUT",
    "NOTHING_TO_REPORT",
    "NO_EMAIL",
    "UNCERTAIN",
    "with_anchor",
    "Claim",
    "SendOutcome",
    "claim_delivery",
    "compliance_report",
    "confirm_delivery",
    "contracts_report",
    "daily_reports",
    "iter_daily_reports",
    "deliveries_on",
    "funnel_report",
    "mark_failed",
    "mark_uncertain",
    "release_claim",
    "send_daily",
    "subject_for",
]
# Who may read other people's reports (``--owner`` someone else, ``--all``).
OVERSEER_ROLES = frozenset({"manager", "gm", "admin"})
DEFAULT_PERIOD_DAYS = 30


# --------------------------------------------------------------------------- daily report


def recipients_for(
    session: Session, *, owner: User | None = None, everyone: bool = False
) -> list[Recipient]:
    """The one user asked for, or every active user (by login)."""
    if not everyone:
        assert owner is not None
        return [Recipient.of(owner)]
    users = session.execute(
        select(User).where(col(User.active).is_(True)).order_by(col(User.login))
    ).scalars()
    return [Recipient.of(u) for u in users]


def _team_sections(
    session: Session, recipients: Sequence[Recipient], *, policy: Policy, today: date
) -> tuple[daily_report.TeamSummary, dict[int, daily_report.TeamSummary]]:
    """The team's overdue follow-ups for those who see everyone, and a narrower section for
    each recipient whose visibility (a manager's team) does not reach everyone. Counted per
    owner by the database: no follow-up is held."""
    users = session.execute(select(col(User.id), col(User.login), col(User.name))).all()
    names = {login: name for _id, login, name in users}
    logins = {uid: login for uid, login, _name in users}
    counted = followups.overdue_by_owner(session, today=today)
    overdue = {logins[uid]: figures for uid, figures in counted.items() if uid in logins}
    everyone = daily_report.team_summary(overdue, names=names, today=today)
    narrow: dict[int, daily_report.TeamSummary] = {}
    for r in recipients:
        if not r.sees_team:
            continue
        scope = scope_for(session, session.get(User, r.id), policy)
        if scope.user_ids is None:
            continue
        mine = {logins[uid]: f for uid, f in counted.items() if uid in scope.user_ids}
        narrow[r.id] = daily_report.team_summary(mine, names=names, today=today)
    return everyone, narrow


class _DueByRecipient:
    """Every recipient's due follow-ups up to today, with their last contact's details, read
    in one query recipient by recipient (in the recipients' order) and handed out one
    recipient at a time: only the recipient being reported on has theirs in memory."""

    def __init__(
        self, session: Session, recipients: Sequence[Recipient], *, policy: Policy, today: date
    ) -> None:
        self.rows = followups.due_rows_with_details(
            session, owner_ids=[r.id for r in recipients], until=today, today=today, policy=policy
        )
        self.next = next(self.rows, None)

    def take(self, recipient: Recipient) -> list[dict[str, Any]]:
        """The recipient's rows; the recipients are asked for in the order given."""
        due: list[dict[str, Any]] = []
        while self.next is not None and self.next[0]["owner"] == recipient.login:
            row, details = self.next
            # Each row is a dict of its own, made for this read: completed in place, not copied.
            item = cast(dict[str, Any], row)
            item["last_details"] = details
            due.append(item)
            self.next = next(self.rows, None)
        return due


def iter_reports(
    session: Session,
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
    new_days: int = daily_report.NEW_CUSTOMER_DAYS,
    whole_team: bool = False,
) -> Iterator[DailyReport]:
    """One daily report per recipient, in the order given, each built when it is asked for,
    so that a caller who writes or sends each before taking the next holds one at a time.

    Every section but the follow-ups is one query for all recipients, read before this
    returns; ``whole_team`` says that the recipients are every active user, so those queries
    need no owner filter. The follow-ups, which grow with the customers, are read in one
    query, recipient by recipient, as the reports are taken (the session must stay open till
    then); the team's overdue summary is counted per owner by the database."""
    if not recipients:
        return iter(())
    owner_ids = None if whole_team else [r.id for r in recipients]
    team = None
    teams: dict[int, daily_report.TeamSummary] = {}
    if any(r.sees_team for r in recipients):
        team, teams = _team_sections(session, recipients, policy=policy, today=today)
    rows = daily_report.DailyRows(
        followups=(),
        new_customers=followups.never_contacted_rows(
            session, owner_ids=owner_ids, since=today - timedelta(days=new_days), today=today
        ),
        approvals=approvals.pending_steps(session, today=today),
        notices=contracts.notice_reminders(
            session, policy=policy, today=today, owner_ids=owner_ids
        ),
        milestones=contracts.due_milestones(
            session,
            today=today,
            within_days=daily_report.MILESTONE_HORIZON_DAYS,
            owner_ids=owner_ids,
        ),
        team=team,
        teams=teams,
        receipts=money.overdue_receivables(session, today=today),
        invoices=money.invoices_to_issue(session),
        copies=approvals.copied_rows(
            session,
            since=today - timedelta(days=1),
            logins=None if whole_team else [r.login for r in recipients],
        ),
        returned=returned_rows(session, on=today, owner_ids=owner_ids),
    )
    sections = daily_report.Sections.of(
        recipients=recipients, policy=policy, today=today, rows=rows
    )
    due = _DueByRecipient(session, recipients, policy=policy, today=today)
    return (
        daily_report.report_for(
            r,
            sections=sections,
            followups=due.take(r),
            policy=policy,
            today=today,
        )
        for r in recipients
    )


def build_reports(
    session: Session,
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
    new_days: int = daily_report.NEW_CUSTOMER_DAYS,
    whole_team: bool = False,
) -> list[DailyReport]:
    """``iter_reports``, all of them (to send them, or to render them as one document)."""
    return list(
        iter_reports(
            session,
            recipients=recipients,
            policy=policy,
            today=today,
            new_days=new_days,
            whole_team=whole_team,
        )
    )


def iter_daily_reports(
    session: Session,
    *,
    actor: User,
    policy: Policy,
    today: date,
    owner: str | None = None,
    everyone: bool = False,
    new_days: int = daily_report.NEW_CUSTOMER_DAYS,
) -> Iterator[DailyReport]:
    """The acting user's report, ``owner``'s, or (``everyone``) one per active user, each
    built as it is taken (``iter_reports``); who may read them is checked before this
    returns.

    Reading someone else's report needs a manager, gm or admin role.
    """
    from bizops.services.users import find_user

    if owner and everyone:
        raise Invalid(_("--owner and --all cannot be used together; give one of them"))
    if new_days < 0:
        raise Invalid(
            _("--new-days: {days} is negative; give 0 or more days").format(days=new_days)
        )
    overseer = bool(OVERSEER_ROLES.intersection(actor.role_list))
    if everyone:
        if not overseer:
            raise NotPermitted(
                _(
                    "--all: only a manager, gm or admin reads everyone's report; {login} is {roles}"
                ).format(login=actor.login, roles=", ".join(actor.role_list))
            )
        recipients = recipients_for(session, everyone=True)
        return iter_reports(
            session,
            recipients=recipients,
            policy=policy,
            today=today,
            new_days=new_days,
            whole_team=True,
        )
    user = find_user(session, owner, field="--owner") if owner else actor
    if user.id != actor.id and not overseer:
        raise NotPermitted(
            _(
                "--owner: only a manager, gm or admin reads another user's report; "
                "{login} is {roles}"
            ).format(login=actor.login, roles=", ".join(actor.role_list))
        )
    return iter_reports(
        session, recipients=[Recipient.of(user)], policy=policy, today=today, new_days=new_days
    )


def daily_reports(
    session: Session,
    *,
    actor: User,
    policy: Policy,
    today: date,
    owner: str | None = None,
    everyone: bool = False,
    new_days: int = daily_report.NEW_CUSTOMER_DAYS,
) -> list[DailyReport]:
    """``iter_daily_reports``, all of them."""
    return list(
        iter_daily_reports(
            session,
            actor=actor,
            policy=policy,
            today=today,
            owner=owner,
            everyone=everyone,
            new_days=new_days,
        )
    )


# --------------------------------------------------------------------------- metrics


def period(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """``--from``/``--to``: default the 30 days up to today; ``--from`` after ``--to`` is invalid."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        raise Invalid(
            _(
                "--from {start} is after --to {end}; give a period that starts before it ends"
            ).format(start=start.isoformat(), end=end.isoformat())
        )
    return start, end


def funnel_report(
    session: Session, *, today: date, start: date | None = None, end: date | None = None
) -> list[FunnelRow]:
    first, last = period(start, end, today=today)
    return metrics.funnel(session, start=first, end=last)


def compliance_report(
    session: Session,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    by: str = "owner",
) -> list[ComplianceRow]:
    if by not in metrics.COMPLIANCE_GROUPS:
        raise Invalid(
            _("--by: unknown value {value!r}; accepted: {accepted}").format(
                value=by, accepted=", ".join(metrics.COMPLIANCE_GROUPS)
            )
        )
    first, last = period(start, end, today=today)
    return metrics.compliance(session, start=first, end=last, today=today, by=by)


def contracts_report(
    session: Session, *, today: date, start: date | None = None, end: date | None = None
) -> ContractsReport:
    first, last = period(start, end, today=today)
    return metrics.contracts(session, start=first, end=last, today=today)
