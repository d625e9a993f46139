"""The entry point, and the one place where errors become exit codes.

Exit codes (PRODUCT section 2): 0 ok, 2 invalid input or usage, 3 not found, 4 not
permitted, 5 conflict, 1 anything unexpected. Errors are one line on stderr.
"""

from __future__ import annotations

import os
import sys
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

    def invoke(self, ctx: Any) -> Any:
        from bizops.cli.context import state

        try:
            return super().invoke(ctx)
        except BizopsError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
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
