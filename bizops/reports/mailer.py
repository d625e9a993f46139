"""Sending reports over SMTP with the policy's mail settings (smtplib, EmailMessage).

One connection is opened before anything is claimed, so that an unreachable server is one
error and nothing is marked as sent; if the server drops the connection before a message's
data went out, the message is tried once more on a fresh connection. Once the data has been
transmitted, a dropped connection cannot tell whether the server kept the message: that is
``Uncertain``, and the message is not sent again automatically.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType

from bizops.domain.errors import BizopsError, Invalid
from bizops.domain.policy import MailSettings
from bizops.i18n import _


class MailError(BizopsError):
    """The mail server could not be reached or refused a message (exit 1)."""

    exit_code = 1


class Uncertain(MailError):
    """The message data went out but the server's answer never came: it may have been
    delivered. Not retried automatically."""


@dataclass(frozen=True)
class Accepted:
    """What the server answered to the message's data (``250 2.0.0 Ok: queued as ...``)."""

    code: int
    reply: str


@dataclass(frozen=True)
class Outgoing:
    to: str
    to_name: str
    subject: str
    text: str
    html: str


def check_settings(mail: MailSettings) -> str | None:
    """Refuse incomplete settings before anything happens; return the password (or None)."""
    missing = mail.missing()
    if missing:
        raise Invalid(
            _(
                "--send needs mail settings; missing {keys} in the policy file "
                "([mail] host = ..., from = ...); see `bizops config path`"
            ).format(keys=", ".join(missing))
        )
    if mail.user:
        password = os.environ.get(mail.password_env)
        if not password:
            raise Invalid(
                _(
                    "mail.user is set but the environment variable {env} "
                    "(mail.password_env) that holds the SMTP password is empty"
                ).format(env=mail.password_env)
            )
        return password
    return None


def build_message(mail: MailSettings, out: Outgoing) -> EmailMessage:
    """multipart/alternative: the plain text first, the HTML second; UTF-8 headers."""
    assert mail.sender is not None
    msg = EmailMessage()
    msg["Subject"] = out.subject
    msg["From"] = mail.sender
    msg["To"] = Address(display_name=out.to_name, addr_spec=out.to) if out.to_name else out.to
    msg["Date"] = formatdate(localtime=True)
    domain = mail.sender.rsplit("@", 1)[-1].strip("> ") or "bizops.local"
    msg["Message-ID"] = make_msgid(idstring="bizops", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(out.text, subtype="plain", charset="utf-8")
    msg.add_alternative(out.html, subtype="html", charset="utf-8")
    return msg


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt}: {code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
    return str(exc) or type(exc).__name__


class Mailer:
    """``with Mailer(settings, password) as m: m.send(message)``."""

    def __init__(self, mail: MailSettings, password: str | None) -> None:
        self.mail = mail
        self.password = password
        self._smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.mail.host}:{self.mail.port}"

    def connect(self) -> None:
        mail = self.mail
        assert mail.host is not None
        try:
            smtp: smtplib.SMTP
            if mail.ssl:
                smtp = smtplib.SMTP_SSL(
                    mail.host, mail.port, timeout=mail.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
                if mail.starttls:
                    smtp.ehlo()
                    if not smtp.has_extn("starttls"):
                        smtp.quit()
                        raise MailError(
                            _(
                                "SMTP server {where} does not offer STARTTLS; set "
                                "mail.starttls = false (or mail.ssl = true) if that is intended"
                            ).format(where=self.where)
                        )
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
            if mail.user:
                smtp.login(mail.user, self.password or "")
        except MailError:
            raise
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            raise MailError(
                _("cannot reach SMTP server {where}: {why}").format(
                    where=self.where, why=_describe(exc)
                )
            ) from exc
        self._smtp = smtp

    def send(self, message: EmailMessage) -> Accepted:
        """Send one message; a connection dropped before its data went out is retried once
        on a fresh one, one dropped after that is ``Uncertain``."""
        for attempt in (1, 2):
            if self._smtp is None:
                self.connect()
            assert self._smtp is not None
            stage = _Stage()
            try:
                return _transmit(self._smtp, message, stage)
            except smtplib.SMTPServerDisconnected as exc:
                self._lost(exc, stage, last=attempt == 2)
            except smtplib.SMTPException as exc:
                # Refused sender, recipient or data (smtplib's errors are OSErrors too, so
                # they come first): reset the session for the next message.
                with contextlib.suppress(OSError, smtplib.SMTPException):
                    self._smtp.rset()
                raise MailError(_describe(exc)) from exc
            except OSError as exc:
                # The connection is gone (timeouts are OSErrors too).
                self._lost(exc, stage, last=attempt == 2)
        raise AssertionError("unreachable")

    def _lost(self, exc: BaseException, stage: _Stage, *, last: bool) -> None:
        """The connection died: drop it; after the data went out that is ``Uncertain``,
        before it a second failure is a ``MailError`` (the first is retried)."""
        self._drop()
        if stage.data_sent:
            raise Uncertain(
                _(
                    "SMTP server {where}: the connection dropped after the message "
                    "was transmitted ({why}); it may have been delivered"
                ).format(where=self.where, why=_describe(exc))
            ) from exc
        if last:
            raise MailError(
                _("SMTP server {where}: {why}").format(where=self.where, why=_describe(exc))
            ) from exc

    def _drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> Mailer:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass
class _Stage:
    data_sent: bool = False


_EOL = re.compile(rb"\r\n|\n|\r(?!\n)")
_DOT = re.compile(rb"(?m)^\.")


def _transmit(smtp: smtplib.SMTP, message: EmailMessage, stage: _Stage) -> Accepted:
    """MAIL, RCPT, DATA step by step (what ``send_message`` does), noting in ``stage`` the
    moment the message's data has been written to the connection."""
    sender = str(message["From"])
    from email.utils import getaddresses

    recipients = [addr for _name, addr in getaddresses([str(message["To"])]) if addr]
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(getaddresses([sender])[0][1] or sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for rcpt in recipients:
        code, reply = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
    if len(refused) == len(recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    data = _DOT.sub(
        b"..", _EOL.sub(b"\r\n", message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    )
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    smtp.send(data + b".\r\n")
    stage.data_sent = True
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return Accepted(code, f"{code} {text}".strip())
