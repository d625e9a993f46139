"""Well-formed emails, phone numbers, logins and free text."""

from __future__ import annotations

import re

from bizops.domain.errors import Invalid
from bizops.domain.text import has_control_chars, is_invisible, line_problem
from bizops.i18n import N_, _

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-()./]+(?:\s*(?:ext\.?|x|转)\s*\d{1,6})?$", re.IGNORECASE)
_URL = re.compile(
    r"^(?:https?://)?[^\s/:@]+\.[^\s/:@.]{2,}(?::\d{1,5})?(?:[/?#]\S*)?$", re.IGNORECASE
)
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_NON_DIGIT = re.compile(r"\D")


def check_email(value: str | None, field: str = "email") -> str | None:
    text = value.strip() if value else ""
    if not text:
        return None
    if not _EMAIL.match(text) or ".." in text:
        raise Invalid(
            _("{field}: {value} is not a valid email address (name@example.com)").format(
                field=field, value=repr(value)
            )
        )
    return text


def check_phone(value: str | None, field: str = "phone") -> str | None:
    text = value.strip() if value else ""
    if not text:
        return None
    digits = _NON_DIGIT.sub("", text.split("转")[0].split("x")[0].split("ext")[0])
    if not _PHONE_CHARS.match(text) or not 5 <= len(digits) <= 20:
        raise Invalid(
            _(
                "{field}: {value} is not a valid phone number (digits, spaces, +, -, "
                "parentheses; 5 to 20 digits)"
            ).format(field=field, value=repr(value))
        )
    return text


def check_url(value: str | None, field: str = "website") -> str | None:
    """A web address: a host name with a dot (``www.example.com``), optionally with
    http(s)://, a port and a path; no spaces."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > 200 or not _URL.match(text):
        raise Invalid(
            _("{field}: {value} is not a web address (e.g. www.example.com)").format(
                field=field, value=repr(value)
            )
        )
    return text


def check_login(value: str) -> str:
    text = value.strip().lower()
    if not _LOGIN.match(text):
        raise Invalid(
            _(
                "login: {value} is not a valid login; use 1-64 lower-case letters, digits, "
                "'.', '_' or '-', starting with a letter or digit"
            ).format(value=repr(value))
        )
    return text


def check_text(
    value: str | None, field: str, *, required: bool = False, max_length: int = 2000
) -> str | None:
    """Free text: trimmed, no control characters, bounded length; empty is None."""
    text = value.strip() if value else ""
    if not text:
        if required:
            raise Invalid(_("{field}: must not be empty").format(field=field))
        return None
    if has_control_chars(text):
        raise Invalid(_("{field}: contains control characters").format(field=field))
    if len(text) > max_length:
        raise Invalid(
            _("{field}: is {length} characters long; the limit is {limit}").format(
                field=field, length=len(text), limit=max_length
            )
        )
    return text


# Longer than any name, email or phone number; SQLite refuses LIKE patterns over 50,000 bytes
# ("LIKE or GLOB pattern too complex"), and a search needs no more than a few words.
MAX_SEARCH = 200


def check_search(value: str, field: str = "--search") -> str:
    """A search text: no control characters, at most MAX_SEARCH characters."""
    text = value.strip()
    if has_control_chars(text):
        raise Invalid(_("{field}: contains control characters").format(field=field))
    if len(text) > MAX_SEARCH:
        raise Invalid(
            _("{field}: is {length} characters long; the limit is {limit}").format(
                field=field, length=len(text), limit=MAX_SEARCH
            )
        )
    return text


_LINE_PROBLEMS = {
    "control": N_("{field}: contains control characters"),
    "line break": N_("{field}: contains a line break; it must fit on one line"),
    "bidi": N_(
        "{field}: contains a bidirectional override (U+202A-U+202E, U+2066-U+2069), "
        "which would show the text in another order than it is stored"
    ),
}


def check_line(
    value: str | None, field: str, *, required: bool = False, max_length: int = 300
) -> str | None:
    """Text shown on one line (a name, a value that reaches a mail header or a table cell):
    trimmed, bounded, no control characters, line breaks or bidi overrides, and not made only
    of invisible characters. Empty is None."""
    text = value.strip() if value else ""
    if not text:
        if required:
            raise Invalid(_("{field}: must not be empty").format(field=field))
        return None
    problem = line_problem(text)
    if problem is not None:
        raise Invalid(_(_LINE_PROBLEMS[problem]).format(field=field))
    if is_invisible(text):
        raise Invalid(
            _("{field}: {value} has no visible characters").format(field=field, value=repr(text))
        )
    if len(text) > max_length:
        raise Invalid(
            _("{field}: is {length} characters long; the limit is {limit}").format(
                field=field, length=len(text), limit=max_length
            )
        )
    return text
