"""Domain exceptions. The CLI maps each to an exit code in one place (cli/errors.py)."""

from __future__ import annotations


class BizopsError(Exception):
    """Base of every error the user is meant to read. ``exit_code`` is the CLI's exit code."""

    exit_code = 1

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])


class Invalid(BizopsError):
    """Bad input or usage (exit 2)."""

    exit_code = 2


class NotFound(BizopsError):
    """A record that does not exist (exit 3)."""

    exit_code = 3


class NotPermitted(BizopsError):
    """The acting user may not do this: role, approval limit, segregation of duties (exit 4)."""

    exit_code = 4


class Conflict(BizopsError):
    """An illegal state change or a duplicate (exit 5)."""

    exit_code = 5


class StorageError(BizopsError):
    """The database cannot be opened, is corrupt, or has an unknown schema (exit 1)."""

    exit_code = 1
