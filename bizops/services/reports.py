"""Reports: the daily reminder report, its mailing, and the metrics of the standard.

Mailing is the one place in bizops that needs several short transactions instead of one:
for each user, (1) claim the ``report_deliveries`` row for (user, day) in its own write
transaction, (2) send the mail outside any transaction, (3) confirm the row (one audit
event, ``report.sent``) or, if the send failed, release the claim. Two runs at once cannot
both claim a row (writes are serialised and the row is unique per user and day), and a
failed send leaves nothing marked as sent. A claim left behind by a crashed run (no
message id yet) is taken over after ``CLAIM_TIMEOUT``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bizops.domain.errors import Invalid, NotPermitted
from bizops.domain.policy import MailSettings, Policy
from bizops.i18n import N_, _
from bizops.reports import daily as daily_report
from bizops.reports import metrics
from bizops.reports.daily import DailyReport, Recipient
from bizops.reports.metric_rows import ComplianceRow, ContractsReport, FunnelRow
from bizops.services import approvals, contracts, followups
from bizops.services.visibility import scope_for
from bizops.store import audit
from bizops.store.engine import Database
from bizops.store.models import ReportDelivery, User

if TYPE_CHECKING:
    from bizops.reports.channels import Channel
    from bizops.reports.robots import RobotPoster

CLAIM_TIMEOUT = timedelta(minutes=15)
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
    session: Session,
    due: Sequence[Mapping[str, Any]],
    recipients: Sequence[Recipient],
    *,
    policy: Policy,
    today: date,
) -> tuple[daily_report.TeamSummary, dict[int, daily_report.TeamSummary]]:
    """The team's overdue follow-ups for those who see everyone, and a narrower section for
    each recipient whose visibility (a manager's team) does not reach everyone."""
    users = session.execute(select(col(User.id), col(User.login), col(User.name))).all()
    names = {login: name for _id, login, name in users}
    everyone = daily_report.team_section(due, names=names, today=today)
    narrow: dict[int, daily_report.TeamSummary] = {}
    for r in recipients:
        if not r.sees_team:
            continue
        scope = scope_for(session, session.get(User, r.id), policy)
        if scope.user_ids is None:
            continue
        logins = {login for uid, login, _name in users if uid in scope.user_ids}
        mine = [row for row in due if row.get("owner") in logins]
        narrow[r.id] = daily_report.team_section(mine, names=names, today=today)
    return everyone, narrow


def build_reports(
    session: Session,
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
    new_days: int = daily_report.NEW_CUSTOMER_DAYS,
    whole_team: bool = False,
) -> list[DailyReport]:
    """One daily report per recipient, in the order given. Each section is one query for all
    of them; ``whole_team`` says that the recipients are every active user, so the queries
    need no owner filter. Someone who sees the team gets everyone's overdue follow-ups
    counted, so then the due follow-ups are read for everyone."""
    if not recipients:
        return []
    owner_ids = None if whole_team else [r.id for r in recipients]
    sees_team = any(r.sees_team for r in recipients)
    due = list(
        followups.due_rows(
            session,
            owner_ids=None if sees_team else owner_ids,
            until=today,
            today=today,
            policy=policy,
        )
    )
    team = None
    teams: dict[int, daily_report.TeamSummary] = {}
    if sees_team:
        team, teams = _team_sections(session, due, recipients, policy=policy, today=today)
    rows = daily_report.DailyRows(
        followups=due,
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
    )
    return daily_report.build_daily(recipients=recipients, policy=policy, today=today, rows=rows)


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
    """The acting user's report, ``owner``'s, or (``everyone``) one per active user.

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
        return build_reports(
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
    return build_reports(
        session, recipients=[Recipient.of(user)], policy=policy, today=today, new_days=new_days
    )


# --------------------------------------------------------------------------- deliveries


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    fresh: bool  # False: a --force re-send over an earlier delivery
    before: dict[str, Any] | None = None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _snapshot(row: ReportDelivery) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "day": row.day.isoformat(),
        "sent_at": _aware(row.sent_at).isoformat(),
        "recipient": row.recipient,
        "items": row.items,
        "message_id": row.message_id,
    }


def claim_delivery(
    session: Session,
    *,
    user_id: int,
    day: date,
    recipient: str,
    items: int,
    now: datetime,
    force: bool = False,
) -> Claim | str:
    """Claim (user, day) before sending. Returns a ``Claim``, or why not: ``"sent"`` (already
    delivered today) or ``"busy"`` (another run is sending it right now)."""
    row = session.execute(
        select(ReportDelivery).where(
            col(ReportDelivery.user_id) == user_id, col(ReportDelivery.day) == day
        )
    ).scalar_one_or_none()
    if row is None:
        row = ReportDelivery(
            user_id=user_id, day=day, sent_at=now, recipient=recipient, items=items
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return Claim(row.id, fresh=True)
    assert row.id is not None
    if row.message_id is None:
        if _aware(row.sent_at) > now - CLAIM_TIMEOUT:
            return "busy"
        # Left behind by a run that died between claiming and confirming: take it over.
        row.sent_at = now
        session.add(row)
        session.flush()
        return Claim(row.id, fresh=True)
    if not force:
        return "sent"
    return Claim(row.id, fresh=False, before=_snapshot(row))


def confirm_delivery(
    session: Session,
    *,
    claim: Claim,
    actor: str,
    recipient: str,
    items: int,
    message_id: str,
    now: datetime,
) -> ReportDelivery:
    """Mark the claimed row as sent; the one audit event of a delivery."""
    row = session.get(ReportDelivery, claim.delivery_id)
    assert row is not None
    row.sent_at = now
    row.recipient = recipient
    row.items = items
    row.message_id = message_id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="report.resent" if not claim.fresh else "report.sent",
        entity_type="report_delivery",
        entity_id=claim.delivery_id,
        before=claim.before,
        after=_snapshot(row),
        now=now,
    )
    return row


def release_claim(session: Session, *, claim: Claim) -> None:
    """The send failed: a fresh claim disappears; an earlier delivery (``--force``) stays."""
    if not claim.fresh:
        return
    row = session.get(ReportDelivery, claim.delivery_id)
    if row is not None and row.message_id is None:
        session.delete(row)
        session.flush()


def deliveries_on(session: Session, *, day: date) -> dict[int, ReportDelivery]:
    rows = session.execute(select(ReportDelivery).where(col(ReportDelivery.day) == day)).scalars()
    return {row.user_id: row for row in rows}


# --------------------------------------------------------------------------- sending


@dataclass
class SendOutcome:
    """Per user: sent (with the message id), skipped (with the reason) or failed (the error)."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)


def subject_for(mail: MailSettings, report: DailyReport) -> str:
    """The policy's subject (placeholders {date}, {user}, {name}, {items}) plus who and how many."""
    values = {
        "date": report["date"],
        "user": report["user"],
        "name": report["name"],
        "items": report["items"],
    }
    try:
        subject = mail.subject.format(**values)
    except (KeyError, IndexError, ValueError):
        subject = mail.subject
    if "{items}" not in mail.subject:
        subject += f" — {report['name']}: {report['items']} 项待办 / item(s)"
    return subject


def _who(report: DailyReport) -> dict[str, Any]:
    return {"user": report["user"], "email": report["email"], "items": report["items"]}


# Why a report is not mailed. The reason stays in English (scripts and `--quiet-if-empty`
# compare it); it is translated where it is shown.
NOTHING_TO_REPORT = N_("nothing to report")
NO_EMAIL = N_("no email address")
ALREADY_SENT = N_("already sent today")
BEING_SENT = N_("being sent by another run")


def _to_send(
    reports: Sequence[DailyReport],
    *,
    channel: Channel,
    sent_today: set[int],
    force: bool,
    outcome: SendOutcome,
) -> list[DailyReport]:
    """The reports to deliver; the others are skipped, and why."""
    chosen = []
    for report in reports:
        if daily_report.is_empty(report):
            outcome.skipped.append({**_who(report), "reason": NOTHING_TO_REPORT})
        elif channel.address(report) is None:
            outcome.skipped.append({**_who(report), "reason": channel.why_not(report)})
        elif not force and report["user_id"] in sent_today:
            outcome.skipped.append({**_who(report), "reason": ALREADY_SENT})
        else:
            chosen.append(report)
    return chosen


@dataclass(frozen=True)
class _Sending:
    db: Database
    actor: str
    today: date
    force: bool
    clock: Callable[[], datetime]


def _claim(run: _Sending, report: DailyReport, recipient: str) -> Claim | str:
    try:
        with run.db.write() as session:
            return claim_delivery(
                session,
                user_id=report["user_id"],
                day=run.today,
                recipient=recipient,
                items=report["items"],
                now=run.clock(),
                force=run.force,
            )
    except IntegrityError:
        return "busy"


def _send_one(run: _Sending, channel: Channel, report: DailyReport, outcome: SendOutcome) -> None:
    """Claim, send, confirm (or release the claim if the send failed)."""
    from bizops.reports.channels import DELIVERY_ERRORS

    recipient = channel.address(report)
    assert recipient is not None
    claim = _claim(run, report, recipient)
    if not isinstance(claim, Claim):
        reason = ALREADY_SENT if claim == "sent" else BEING_SENT
        outcome.skipped.append({**_who(report), "reason": reason})
        return
    where = {"via": channel.via, "to": recipient}
    try:
        message_id = channel.deliver(report)
    except DELIVERY_ERRORS as exc:
        with run.db.write() as session:
            release_claim(session, claim=claim)
        outcome.failed.append({**_who(report), **where, "error": exc.message})
        return
    with run.db.write() as session:
        confirm_delivery(
            session,
            claim=claim,
            actor=run.actor,
            recipient=recipient,
            items=report["items"],
            message_id=message_id,
            now=run.clock(),
        )
    outcome.sent.append({**_who(report), **where, "message_id": message_id})


def send_daily(
    db: Database,
    *,
    actor: str,
    reports: Sequence[DailyReport],
    policy: Policy,
    today: date,
    force: bool = False,
    now: Callable[[], datetime] | None = None,
    via: str | None = None,
    poster: RobotPoster | None = None,
) -> SendOutcome:
    """Deliver each report to its user, once per day (see the module docstring): by mail, or
    to their team's WeCom or DingTalk robot (``via``, default the policy's ``mail.via``).

    Raises ``Invalid`` for missing settings and ``MailError`` when the mail server cannot be
    reached at all, both before anything is claimed. A report that fails is recorded in
    ``failed`` and the others go on.
    """
    from bizops.reports.channels import open_channel

    channel = open_channel(policy.mail, via or policy.mail.via, subject_for, poster=poster)
    outcome = SendOutcome()
    with db.read() as session:
        sent_today = set(deliveries_on(session, day=today))
    chosen = _to_send(reports, channel=channel, sent_today=sent_today, force=force, outcome=outcome)
    if not chosen:
        return outcome
    run = _Sending(db, actor, today, force, now or (lambda: datetime.now(UTC)))
    with channel:
        for report in chosen:
            _send_one(run, channel, report, outcome)
    return outcome


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
