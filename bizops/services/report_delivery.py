"""Delivering the daily report once a day, by mail or to a group robot.

Delivery is the one place in bizops that needs several short transactions instead of one:
for each user, (1) claim the ``report_deliveries`` row for (user, day) in its own write
transaction (state ``claimed``, naming the run), (2) send outside any transaction, (3) record
the outcome: ``sent`` with the message id and the server's answer (one audit event,
``report.sent``), ``failed`` with the error (the next run retries), or ``uncertain`` when the
connection died after the message went out (not resent without ``--force``, because the
recipient may have it already). Two runs at once cannot both claim a row (writes are
serialised and the row is unique per user and day). A claim left behind by a run that was
killed is taken over by the next run at once when that run is known to be gone (same
machine, process no longer there), else after ``CLAIM_TIMEOUT``; only a ``sent`` row ever
counts as "already sent".
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bizops.domain.policy import MailSettings, Policy
from bizops.i18n import N_
from bizops.reports import daily as daily_report
from bizops.reports.daily import DailyReport
from bizops.store import audit
from bizops.store.engine import Database
from bizops.store.models import ReportDelivery

if TYPE_CHECKING:
    from bizops.reports.channels import Channel, Delivered
    from bizops.reports.robots import RobotPoster

CLAIM_TIMEOUT = timedelta(minutes=15)
CLAIMED, SENT, FAILED, UNCERTAIN_STATE = "claimed", "sent", "failed", "uncertain"


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
        "status": row.status,
        "server_reply": row.server_reply,
    }


def this_run() -> str:
    """Who holds a claim: this machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _claimant_gone(claimed_by: str | None) -> bool:
    """Is the run that made a claim known to be gone (same machine, no such process)?"""
    if not claimed_by or ":" not in claimed_by:
        return False
    host, _sep, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _take(session: Session, row: ReportDelivery, now: datetime, run: str) -> Claim:
    row.status, row.claimed_by, row.sent_at, row.error = CLAIMED, run, now, None
    session.add(row)
    session.flush()
    assert row.id is not None
    return Claim(row.id, fresh=True)


def claim_delivery(
    session: Session,
    *,
    user_id: int,
    day: date,
    recipient: str,
    items: int,
    now: datetime,
    force: bool = False,
    run: str | None = None,
) -> Claim | str:
    """Claim (user, day) before sending. Returns a ``Claim``, or why not: ``"sent"`` (already
    delivered today), ``"uncertain"`` (perhaps delivered; only ``force`` sends it again) or
    ``"busy"`` (another run is sending it right now)."""
    run = run or this_run()
    row = session.execute(
        select(ReportDelivery).where(
            col(ReportDelivery.user_id) == user_id, col(ReportDelivery.day) == day
        )
    ).scalar_one_or_none()
    if row is None:
        row = ReportDelivery(
            user_id=user_id, day=day, sent_at=now, recipient=recipient, items=items
        )
        return _take(session, row, now, run)
    assert row.id is not None
    if row.status == FAILED:
        return _take(session, row, now, run)
    if row.status == CLAIMED:
        if _aware(row.sent_at) > now - CLAIM_TIMEOUT and not _claimant_gone(row.claimed_by):
            return "busy"
        # Left behind by a run that died between claiming and recording: take it over.
        return _take(session, row, now, run)
    if not force:
        return "sent" if row.status == SENT else "uncertain"
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
    server_reply: str | None = None,
) -> ReportDelivery:
    """Mark the claimed row as sent; the one audit event of a delivery."""
    row = session.get(ReportDelivery, claim.delivery_id)
    assert row is not None
    row.sent_at = now
    row.recipient = recipient
    row.items = items
    row.message_id = message_id
    row.server_reply = server_reply
    row.status, row.error = SENT, None
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
    """Give a claim up unsent: a fresh claim disappears; an earlier delivery stays."""
    if not claim.fresh:
        return
    row = session.get(ReportDelivery, claim.delivery_id)
    if row is not None and row.status == CLAIMED:
        session.delete(row)
        session.flush()


def mark_failed(session: Session, *, claim: Claim, error: str) -> None:
    """The send failed: recorded with its error, and retried by the next run. A failed
    ``--force`` re-send leaves the earlier delivery as it was."""
    if not claim.fresh:
        return
    row = session.get(ReportDelivery, claim.delivery_id)
    if row is not None and row.status == CLAIMED:
        row.status, row.error, row.claimed_by = FAILED, error, None
        session.add(row)
        session.flush()


def mark_uncertain(
    session: Session, *, claim: Claim, actor: str, error: str, message_id: str | None, now: datetime
) -> None:
    """The message went out but its acceptance was never confirmed: not resent by itself."""
    row = session.get(ReportDelivery, claim.delivery_id)
    assert row is not None
    before = _snapshot(row)
    row.status, row.error, row.claimed_by = UNCERTAIN_STATE, error, None
    row.message_id = message_id or row.message_id
    row.sent_at = now
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="report.uncertain",
        entity_type="report_delivery",
        entity_id=claim.delivery_id,
        before=before,
        after=_snapshot(row),
        now=now,
    )


def deliveries_on(session: Session, *, day: date) -> dict[int, ReportDelivery]:
    rows = session.execute(select(ReportDelivery).where(col(ReportDelivery.day) == day)).scalars()
    return {row.user_id: row for row in rows}


# --------------------------------------------------------------------------- sending


@dataclass
class SendOutcome:
    """Per user: sent (with the message id), skipped (with the reason), failed (the error) or
    uncertain (the error; perhaps delivered)."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    uncertain: list[dict[str, Any]] = field(default_factory=list)


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


# Why a report is not delivered. The reason stays in English (scripts and `--quiet-if-empty`
# compare it); it is translated where it is shown.
NOTHING_TO_REPORT = N_("nothing to report")
NO_EMAIL = N_("no email address")
ALREADY_SENT = N_("already sent today")
BEING_SENT = N_("being sent by another run")
UNCERTAIN = N_("delivery uncertain (the connection dropped after sending); --force sends again")


def _to_send(
    reports: Sequence[DailyReport],
    *,
    channel: Channel,
    done: dict[int, str],
    force: bool,
    outcome: SendOutcome,
) -> list[DailyReport]:
    """The reports to deliver; the others are skipped, and why."""
    chosen = []
    for report in reports:
        state = done.get(report["user_id"])
        if daily_report.is_empty(report):
            outcome.skipped.append({**_who(report), "reason": NOTHING_TO_REPORT})
        elif channel.address(report) is None:
            outcome.skipped.append({**_who(report), "reason": channel.why_not(report)})
        elif not force and state == SENT:
            outcome.skipped.append({**_who(report), "reason": ALREADY_SENT})
        elif not force and state == UNCERTAIN_STATE:
            outcome.skipped.append({**_who(report), "reason": UNCERTAIN})
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


_NOT_CLAIMED = {"sent": ALREADY_SENT, "uncertain": UNCERTAIN, "busy": BEING_SENT}


def _send_one(run: _Sending, channel: Channel, report: DailyReport, outcome: SendOutcome) -> None:
    """Claim, send, record what happened."""
    from bizops.reports.channels import DELIVERY_ERRORS, UNCERTAIN_ERRORS

    recipient = channel.address(report)
    assert recipient is not None
    claim = _claim(run, report, recipient)
    if not isinstance(claim, Claim):
        outcome.skipped.append({**_who(report), "reason": _NOT_CLAIMED[claim]})
        return
    where = {"via": channel.via, "to": recipient}
    try:
        delivered: Delivered = channel.deliver(report)
    except UNCERTAIN_ERRORS as exc:
        with run.db.write() as session:
            mark_uncertain(
                session, claim=claim, actor=run.actor, error=exc.message, message_id=None,
                now=run.clock(),
            )  # fmt: skip
        outcome.uncertain.append({**_who(report), **where, "error": exc.message})
        return
    except DELIVERY_ERRORS as exc:
        with run.db.write() as session:
            mark_failed(session, claim=claim, error=exc.message)
        outcome.failed.append({**_who(report), **where, "error": exc.message})
        return
    with run.db.write() as session:
        confirm_delivery(
            session,
            claim=claim,
            actor=run.actor,
            recipient=recipient,
            items=report["items"],
            message_id=delivered.id,
            server_reply=delivered.reply,
            now=run.clock(),
        )
    outcome.sent.append({**_who(report), **where, "message_id": delivered.id})


# Who gets the audit log's anchor in their mailed report, to keep outside the database.
ANCHOR_ROLES = frozenset({"manager", "admin"})


def with_anchor(report: DailyReport, anchor: str) -> DailyReport:
    """A manager's or admin's report carries the head of the audit log."""
    if not ANCHOR_ROLES.intersection(report["roles"]):
        return report
    return {**report, "audit_anchor": anchor}


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
    ``failed`` (or ``uncertain``) and the others go on.
    """
    from bizops.reports.channels import open_channel

    channel = open_channel(policy.mail, via or policy.mail.via, subject_for, poster=poster)
    outcome = SendOutcome()
    with db.read() as session:
        done = {uid: row.status for uid, row in deliveries_on(session, day=today).items()}
        count, last = audit.head(session)
    chosen = [
        with_anchor(r, f"{count}:{last}")
        for r in _to_send(reports, channel=channel, done=done, force=force, outcome=outcome)
    ]
    if not chosen:
        return outcome
    run = _Sending(db, actor, today, force, now or (lambda: datetime.now(UTC)))
    with channel:
        for report in chosen:
            _send_one(run, channel, report, outcome)
    return outcome
