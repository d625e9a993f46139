"""The one place where errors become exit codes and one line on stderr.

Exit codes: 0 ok, 2 invalid input or usage, 3 not found, 4 not permitted, 5 conflict,
1 anything unexpected. Nothing shows a traceback unless ``BIZOPS_DEBUG`` is set.

The line starts ``Error: `` in every language, and the exit codes are the same in every
language: scripts and log searches rely on both. What follows the prefix speaks the interface
language.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from bizops.cli.lang import translate_usage
from bizops.domain.errors import BizopsError
from bizops.domain.text import has_surrogates
from bizops.i18n import _


def error_line(message: str) -> str:
    """``Error: message``: the prefix is the same in every language."""
    return f"Error: {message}"


def report_error(exc: BizopsError) -> None:
    sys.stderr.write(error_line(exc.message) + "\n")
    for detail in exc.details:
        sys.stderr.write(f"  - {detail}\n")
    sys.stderr.flush()


def _quiet_stdout() -> None:
    """The reader (head, less) went away: send what is left nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@contextmanager
def exit_codes() -> Iterator[None]:
    """Run a command: domain errors become their exit code, anything else exit 1."""
    try:
        yield
    except BizopsError as exc:
        report_error(exc)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # The reader has what it wanted (`bizops audit log | head -1`): not an error.
        _quiet_stdout()
        raise typer.Exit(0) from None
    except Exception as exc:
        if type(exc).__module__.startswith(("typer", "click")):
            raise
        if os.environ.get("BIZOPS_DEBUG"):
            raise
        text = _("unexpected {kind}: {error} (set BIZOPS_DEBUG=1 to see the traceback)")
        sys.stderr.write(error_line(text.format(kind=type(exc).__name__, error=exc)) + "\n")
        raise typer.Exit(1) from None


def undecodable_argument(args: Any) -> str | None:
    """Why the command line cannot be read, if an argument is not valid UTF-8 (Python keeps
    such bytes as lone surrogates, which no database, file or terminal can store)."""
    for position, arg in enumerate(args or (), start=1):
        if isinstance(arg, str) and has_surrogates(arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return _(
                "argument {position} ('{text}') is not valid UTF-8; check the terminal's "
                "encoding (a UTF-8 locale such as zh_CN.UTF-8 or en_US.UTF-8)"
            ).format(position=position, text=shown)
    return None


def usage_errors(run: Callable[[], Any]) -> int:
    """Click's usage errors (unknown option, bad value) as one ``Error:`` line, exit 2."""
    # Typer may vendor its own copy of click: take the exception classes from the copy it
    # actually raises, whichever that is.
    errors = sys.modules[typer.BadParameter.__module__]
    no_args = getattr(errors, "NoArgsIsHelpError", None)
    aborts = (typer.Abort, getattr(errors, "Abort", typer.Abort))
    try:
        code = run()
    except errors.ClickException as exc:
        if no_args is not None and isinstance(exc, no_args):
            exc.show()
            return 0
        ctx = getattr(exc, "ctx", None)
        message = translate_usage(exc.format_message())
        if isinstance(exc, errors.UsageError) and ctx is not None:
            message = _("{message} (see: {command} --help)").format(
                message=message, command=ctx.command_path
            )
        sys.stderr.write(error_line(message) + "\n")
        return int(exc.exit_code)
    except aborts:
        sys.stderr.write(error_line(_("aborted")) + "\n")
        return 1
    return code if isinstance(code, int) else 0
