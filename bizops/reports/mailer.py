"""Sending reports over SMTP with the policy's mail settings (smtplib, EmailMessage).

One connection is opened before anything is claimed, so that an unreachable server is one
error and nothing is marked as sent; if the server drops the connection between messages,
the next message reconnects once.
"""

from __future__ import annotations

import contextlib
import os
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

    def send(self, message: EmailMessage) -> None:
        """Send one message; a dropped connection is retried once on a fresh one."""
        for attempt in (1, 2):
            if self._smtp is None:
                self.connect()
            assert self._smtp is not None
            try:
                self._smtp.send_message(message)
                return
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # The connection is gone (timeouts are OSErrors too): drop it, try a fresh one.
                self._drop()
                if attempt == 2:
                    raise MailError(
                        _("SMTP server {where}: {why}").format(where=self.where, why=_describe(exc))
                    ) from exc
            except smtplib.SMTPException as exc:
                # Refused sender, recipient or data: smtplib has reset the session already.
                raise MailError(_describe(exc)) from exc

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
