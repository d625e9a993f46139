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


def _tidy(command: Any) -> Any:
    """Give each command a one-line summary: its first help paragraph with the docstring's
    line breaks joined (Typer's rich listing would otherwise keep them mid-sentence)."""
    if command is None:
        return None
    if command.help and not command.short_help:
        first = command.help.strip().split("\n\n")[0]
        command.short_help = " ".join(first.split())
    for sub in getattr(command, "commands", {}).values():
        _tidy(sub)
    return command


class BizopsGroup(TyperGroup):
    """Root group: maps domain errors to exit codes; nothing else shows a traceback.

    Command groups are built lazily: running `bizops followups due` builds only the
    follow-ups group, and the root `--help` lists every group by name and help text without
    building the others' commands (Typer reads every command's signature to build one).
    """

    # name -> modules to import; the first defines the group's Typer `app`.
    lazy_groups: dict[str, tuple[str, ...]] = {}
    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        return own + [name for name in self.lazy_groups if name not in own]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        modules = self.lazy_groups.get(cmd_name)
        if modules is None:
            return _tidy(super().get_command(ctx, cmd_name))
        built: dict[str, Any] = self.__dict__.setdefault("_built", {})
        if cmd_name in built:
            return built[cmd_name]
        import importlib

        sub = importlib.import_module(modules[0]).app
        for extra in modules[1:]:
            importlib.import_module(extra)
        if self._listing:
            from typer.models import DefaultPlaceholder

            text = sub.info.help
            if isinstance(text, DefaultPlaceholder):
                text = text.value
            return _tidy(TyperGroup(name=cmd_name, help=text))
        from typer.main import get_group

        group = get_group(sub)
        group.name = cmd_name
        built[cmd_name] = _tidy(group)
        return group

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

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
