"""The entry point, and the one place where errors become exit codes.

Exit codes (PRODUCT section 2): 0 ok, 2 invalid input or usage, 3 not found, 4 not
permitted, 5 conflict, 1 anything unexpected. Errors are one line on stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from bizops.domain.errors import BizopsError


def report_error(exc: BizopsError) -> None:
    sys.stderr.write(f"Error: {exc.message}\n")
    for detail in exc.details:
        sys.stderr.write(f"  - {detail}\n")
    sys.stderr.flush()


class BizopsGroup(TyperGroup):
    """Root group: maps domain errors to exit codes; nothing else shows a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Usage errors (unknown option, bad --format) as one ``Error:`` line, exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        # Typer may vendor its own copy of click: take the exception classes from the copy
        # it actually raises, whichever that is.
        errors = sys.modules[typer.BadParameter.__module__]
        no_args = getattr(errors, "NoArgsIsHelpError", None)
        aborts = (typer.Abort, getattr(errors, "Abort", typer.Abort))
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        except errors.ClickException as exc:
            if no_args is not None and isinstance(exc, no_args):
                exc.show()
                sys.exit(0)
            ctx = getattr(exc, "ctx", None)
            hint = ""
            if isinstance(exc, errors.UsageError) and ctx is not None:
                hint = f" (see: {ctx.command_path} --help)"
            sys.stderr.write(f"Error: {exc.format_message()}{hint}\n")
            sys.exit(exc.exit_code)
        except aborts:
            sys.stderr.write("Error: aborted\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        from bizops.cli.context import state

        try:
            return super().invoke(ctx)
        except BizopsError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader (head, less) went away: stop quietly, as other Unix tools do.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise typer.Exit(1) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):
                raise
            if os.environ.get("BIZOPS_DEBUG"):
                raise
            sys.stderr.write(
                f"Error: unexpected {type(exc).__name__}: {exc} "
                "(set BIZOPS_DEBUG=1 to see the traceback)\n"
            )
            raise typer.Exit(1) from None
        finally:
            state().close()


def main() -> None:
    from bizops.cli.app import app

    app()
