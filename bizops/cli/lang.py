"""Choosing the interface language for one run, and speaking it in Click's and Typer's own
words (usage, options, errors) and in every command's help."""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Sequence
from typing import Any

from bizops.i18n import N_, _, language_from_locale, ngettext, normalise_language, set_language

# Click's and Typer's own words that people see, so that the catalog holds them.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Usage: "),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Error"),
    N_("Show this message and exit."),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Missing option '{param_hint}'."),
    N_("Missing argument '{param_hint}'."),
    N_("No such command {name!r}."),
    N_("No such option: {name}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Got unexpected extra argument ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid integer."),
    N_("{value!r} is not a valid boolean."),
    N_("{value!r} is not a valid float."),
    N_("{value!r} is not in the range {range}."),
    N_("{value!r} is not a valid {choice_kind}."),
    N_("Did you mean {possibility}?"),
    N_("Try '{command} {option}' for help."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Aborted!"),
    N_("Aborted."),
    N_("(deprecated) "),
    N_("Show the version and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

_CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "types",
    "termui",
    "utils",
)
_TYPER_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
}


def _option_value(args: Sequence[str], name: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _personal_language() -> str | None:
    """``[ui] language`` of the personal config file, when there is one."""
    from bizops.services.prefs import personal_config_path

    path = personal_config_path(os.environ.get("BIZOPS_CONFIG"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    ui = data.get("ui")
    return normalise_language(str(ui.get("language"))) if isinstance(ui, dict) else None


def choose_language(args: Sequence[str]) -> str:
    """``--lang``, else ``BIZOPS_LANG``, else the personal config, else the locale; English
    when none says."""
    for value in (_option_value(args, "--lang"), os.environ.get("BIZOPS_LANG")):
        language = normalise_language(value)
        if language:
            return language
    return _personal_language() or language_from_locale() or "en"


def speak(args: Sequence[str]) -> str:
    """Set the language of this run, in bizops's messages and in Click's and Typer's."""
    language = set_language(choose_language(args))
    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is not None:
            if hasattr(module, "_"):
                module._ = _  # type: ignore[attr-defined]
            if hasattr(module, "ngettext"):
                module.ngettext = ngettext  # type: ignore[attr-defined]
    typer_core = sys.modules.get("typer.core")
    if typer_core is not None:
        typer_core._ = _  # type: ignore[attr-defined]
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        rich_utils._ = _  # type: ignore[attr-defined]
        for constant, text in _TYPER_CONSTANTS.items():
            setattr(rich_utils, constant, _(text))
    return language


def translate_tree(command: Any) -> Any:
    """Translate a built command's help, and its parameters', and its subcommands'."""
    if command is None:
        return None
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if isinstance(text, str) and text:
            setattr(command, attr, _(text))
    for param in getattr(command, "params", ()):
        text = getattr(param, "help", None)
        if isinstance(text, str) and text:
            param.help = _(text)
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub)
    return command
