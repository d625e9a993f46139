"""Where a daily report goes: a mail to the user, or a message to their team's group robot.

A channel says where each report would go (or why it cannot go anywhere), opens what it
needs once (the SMTP connection), and delivers one report, returning the id that the
delivery record keeps. The once-a-day rules around it (claim, send, confirm) are the
reports service's, the same for every channel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from bizops.domain.errors import Invalid
from bizops.domain.policy import MailSettings
from bizops.domain.policy.model import DELIVERY_CHANNELS, ROBOT_CHANNELS
from bizops.i18n import _
from bizops.reports.daily import DailyReport
from bizops.reports.mailer import (
    Mailer,
    MailError,
    Outgoing,
    Uncertain,
    build_message,
    check_settings,
)
from bizops.reports.robots import RobotError, RobotPoster, RobotUncertain

# What a failed delivery raises: the report is recorded as failed and the others go on.
DELIVERY_ERRORS = (MailError, RobotError)
# What a delivery raises when it may or may not have arrived: recorded as uncertain, and
# not sent again without --force.
UNCERTAIN_ERRORS = (Uncertain, RobotUncertain)


@dataclass(frozen=True)
class Delivered:
    """What a delivery record keeps: our id of the message, and the server's answer."""

    id: str
    reply: str | None = None


Subject = Callable[[MailSettings, DailyReport], str]


class Channel(Protocol):
    via: str

    def address(self, report: DailyReport) -> str | None:
        """Where the report goes (an email address, a robot's name); None: nowhere."""

    def why_not(self, report: DailyReport) -> str:
        """Why ``address`` is None, as the skipped reason."""

    def deliver(self, report: DailyReport) -> Delivered:
        """Send it; return what the delivery record keeps."""

    def __enter__(self) -> Channel: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class EmailChannel:
    via = "email"

    def __init__(self, mail: MailSettings, password: str | None, subject: Subject) -> None:
        self.mail = mail
        self.subject = subject
        self.mailer = Mailer(mail, password)

    def address(self, report: DailyReport) -> str | None:
        return report["email"] or None

    def why_not(self, report: DailyReport) -> str:
        return "no email address"

    def deliver(self, report: DailyReport) -> Delivered:
        from bizops.reports.render import render_daily

        assert report["email"]
        message = build_message(
            self.mail,
            Outgoing(
                to=report["email"],
                to_name=report["name"],
                subject=self.subject(self.mail, report),
                text=render_daily([report], "text"),
                html=render_daily([report], "html"),
            ),
        )
        accepted = self.mailer.send(message)
        return Delivered(str(message["Message-ID"]), accepted.reply)

    def __enter__(self) -> EmailChannel:
        self.mailer.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.mailer.close()


class RobotChannel:
    """Each user's report to the ``via`` robot that names them, else to the default one."""

    def __init__(
        self, mail: MailSettings, via: str, subject: Subject, poster: RobotPoster | None = None
    ) -> None:
        self.mail = mail
        self.via = via
        self.subject = subject
        self.poster = poster or RobotPoster(timeout=mail.timeout)

    def address(self, report: DailyReport) -> str | None:
        robot = self.mail.robot_for(report["user"], self.via)
        return robot.name if robot is not None and robot.url else None

    def why_not(self, report: DailyReport) -> str:
        robot = self.mail.robot_for(report["user"], self.via)
        if robot is None:
            return f"no {self.via} robot"
        return f"robot {robot.name} has no url"

    def deliver(self, report: DailyReport) -> Delivered:
        from bizops.reports.render import render_daily

        robot = self.mail.robot_for(report["user"], self.via)
        assert robot is not None
        return Delivered(
            self.poster.send(
                robot, title=self.subject(self.mail, report), text=render_daily([report], "md")
            )
        )

    def __enter__(self) -> RobotChannel:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def check_channel(mail: MailSettings, via: str) -> str | None:
    """Refuse a channel that cannot deliver anything, before anything happens; return the
    SMTP password for mail (or None)."""
    if via not in DELIVERY_CHANNELS:
        raise Invalid(
            _("--via: unknown value {value}; accepted: {accepted}").format(
                value=repr(via), accepted=", ".join(DELIVERY_CHANNELS)
            )
        )
    if via == "email":
        return check_settings(mail)
    if not any(r.via == via and r.url for r in mail.robots):
        raise Invalid(
            _(
                "--send --via {via} needs a {via} robot with a url in the policy file "
                '([[mail.robots]] via = "{via}", url = ...); see `bizops config check`'
            ).format(via=via)
        )
    return None


def open_channel(
    mail: MailSettings, via: str, subject: Subject, *, poster: RobotPoster | None = None
) -> Channel:
    """The channel ``via`` delivers through, its settings checked."""
    password = check_channel(mail, via)
    if via in ROBOT_CHANNELS:
        return RobotChannel(mail, via, subject, poster)
    return EmailChannel(mail, password, subject)
