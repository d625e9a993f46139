"""The root command group: builds command groups only when they are used.

Running `bizops followups due` builds only the follow-ups group, and the root `--help`
lists every group by name and help text without building the others' commands (Typer
reads every command's signature to build one).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

from bizops.cli.errors import error_line, exit_codes, undecodable_argument, usage_errors
from bizops.cli.lang import first_paragraph, speak, translate_tree

# Command group -> the module whose Typer `app` is that group.
LAZY_GROUPS: dict[str, str] = {
    "customer": "bizops.cli.customers",
    "followups": "bizops.cli.followups",
    "contract": "bizops.cli.contracts",
    "product": "bizops.cli.products",
    "quote": "bizops.cli.quotes",
    "template": "bizops.cli.templates",
    "approval": "bizops.cli.approvals",
    "invoice": "bizops.cli.money",
    "receipts": "bizops.cli.receipts",
    "seal": "bizops.cli.seals",
    "report": "bizops.cli.reports",
    "user": "bizops.cli.users",
    "config": "bizops.cli.config",
    "db": "bizops.cli.db",
    "audit": "bizops.cli.audit",
}
# Root commands kept out of the root module (name -> module and function), so that no other
# command imports them: listed after the root's own commands, as they were registered.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("bizops.cli.demo", "demo"),
}


def _tidy(command: Any) -> Any:
    """Give each command a one-line summary: its first help paragraph with the docstring's
    line breaks joined (Typer's rich listing would otherwise keep them mid-sentence)."""
    if command is None:
        return None
    if command.help and not command.short_help:
        # The first paragraph, in the language the help was translated into (and again in
        # the language of each later run: see translate_tree).
        command.__dict__["_bizops_short_from_help"] = True
        command.short_help = first_paragraph(command.help)
    for sub in getattr(command, "commands", {}).values():
        _tidy(sub)
    return command


def _flags_without_placeholders() -> None:
    """Help lists a flag as ``--overdue``, not ``--overdue <bool>``: a flag takes no value."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "_bizops", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> Any:
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    display_type_rich._bizops = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_placeholders()


def _command(module: str, function: str, rich_markup_mode: Any) -> Any:
    """A root command built from its function, as the root app would have built it (with
    Typer's defaults, as the root app has them)."""
    from typer.main import get_command_from_info
    from typer.models import CommandInfo

    return get_command_from_info(
        CommandInfo(name=function, callback=getattr(importlib.import_module(module), function)),
        pretty_exceptions_short=True,
        rich_markup_mode=rich_markup_mode,
    )


class BizopsGroup(TyperGroup):
    """Root group: lazy command groups; errors become exit codes (bizops.cli.errors)."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        lazy = [*LAZY_COMMANDS, *LAZY_GROUPS]
        return own + [name for name in lazy if name not in own]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = LAZY_GROUPS.get(cmd_name)
        if module is None and cmd_name not in LAZY_COMMANDS:
            return _tidy(super().get_command(ctx, cmd_name))
        built: dict[str, Any] = self.__dict__.setdefault("_built", {})
        if cmd_name in built:
            return translate_tree(built[cmd_name])
        if module is None:
            built[cmd_name] = _tidy(
                translate_tree(_command(*LAZY_COMMANDS[cmd_name], self.rich_markup_mode))
            )
            return built[cmd_name]
        sub = importlib.import_module(module).app
        if self._listing:
            from typer.models import DefaultPlaceholder

            text = sub.info.help
            if isinstance(text, DefaultPlaceholder):
                text = text.value
            return _tidy(translate_tree(TyperGroup(name=cmd_name, help=text)))
        from typer.main import get_group

        group = get_group(sub)
        group.name = cmd_name
        built[cmd_name] = _tidy(translate_tree(group))
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
        speak(sys.argv[1:] if args is None else args)
        translate_tree(self)
        refused = undecodable_argument(sys.argv[1:] if args is None else args)
        if refused is not None:
            sys.stderr.write(error_line(refused) + "\n")
            sys.exit(2)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        sys.exit(
            usage_errors(
                lambda: super(BizopsGroup, self).main(
                    args, prog_name, complete_var, False, windows_expand_args, **kwargs
                )
            )
        )

    def invoke(self, ctx: Any) -> Any:
        from bizops.cli.context import state

        try:
            with exit_codes():
                return super().invoke(ctx)
        finally:
            state().close()
