"""Choosing the interface language for one run, and speaking it in Click's and Typer's own
words (usage, options, errors) and in every command's help."""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import tomllib
from collections.abc import Sequence
from typing import Any

from bizops.i18n import (
    N_,
    _,
    is_chinese,
    language_from_locale,
    ngettext,
    normalise_language,
    set_language,
)

# Click's and Typer's own words that people see, so that the catalog holds them. Click (and
# Typer before it vendored Click) passes them through ``_``; the vendored copy writes them in
# English, and ``translate_usage`` reads its error messages back into these words.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Usage: "),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Error"),
    N_("Show this message and exit."),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Missing option '{param_hint}'."),
    N_("Missing argument '{param_hint}'."),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such command {name!r}."),
    N_("No such option: {name}"),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Got unexpected extra argument ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid integer."),
    N_("{value!r} is not a valid boolean."),
    N_("{value!r} is not a valid float."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value!r} is not in the range {range}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid {choice_kind}."),
    N_("Did you mean {possibility}?"),
    N_("Try '{command} {option}' for help."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("Error: {message}"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Aborted!"),
    N_("Aborted."),
    N_("(deprecated) "),
    N_("deprecated"),
    N_("Show the version and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Value must be an iterable."),
)


def _click_plurals() -> None:
    """Never called: marks Click's plural messages for the catalog."""
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)


# Error messages of the vendored Click (and of the validation Typer runs on values), in
# English, and the catalog's message for each: its named groups fill the placeholders, and a
# ``message`` group is itself read again (``Invalid value for '--by': Value error, ...``).
_USAGE_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        r"Invalid value for (?P<param_hint>.+?): (?P<message>.+)",
        N_("Invalid value for {param_hint}: {message}"),
    ),
    (r"Invalid value: (?P<message>.+)", N_("Invalid value: {message}")),
    (r"Value error, (?P<message>.+)", "{message}"),
    (r"Missing option (?P<param_hint>.+)\.", N_("Missing option {param_hint}.")),
    (r"Missing argument (?P<param_hint>.+)\.", N_("Missing argument {param_hint}.")),
    (r"Missing parameter (?P<param_hint>.+)\.", N_("Missing parameter {param_hint}.")),
    (r"Missing command\.", N_("Missing command.")),
    (
        r"No such command (?P<name>'.*?')\. Did you mean (?P<possibility>.+)\?",
        N_("No such command {name}. Did you mean {possibility}?"),
    ),
    (r"No such command (?P<name>'.*?')\.", N_("No such command {name}.")),
    # Typer adds a suggestion to Click's message, whichever language that is in.
    (
        r"(?P<message>.+?)\.? Did you mean (?P<possibility>.+)\?",
        N_("{message} Did you mean {possibility}?"),
    ),
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<possibilities>.+)\)",
        N_("No such option: {name} (Possible options: {possibilities})"),
    ),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (
        r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)",
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (r"Option (?P<name>'.*?') requires an argument\.", N_("Option {name} requires an argument.")),
    (
        r"Option (?P<name>'.*?') requires (?P<nargs>\d+) arguments\.",
        N_("Option {name} requires {nargs} arguments."),
    ),
    (r"Option (?P<name>'.*?') does not take a value\.", N_("Option {name} does not take a value.")),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"Input should be a valid integer.*", N_("Input should be a whole number")),
    (r"Input should be a valid number.*", N_("Input should be a number")),
    (r"Input should be a valid boolean.*", N_("Input should be true or false")),
    (
        r"Input should be greater than or equal to (?P<limit>\S+)",
        N_("Input should be at least {limit}"),
    ),
    (r"Input should be greater than (?P<limit>\S+)", N_("Input should be greater than {limit}")),
    (
        r"Input should be less than or equal to (?P<limit>\S+)",
        N_("Input should be at most {limit}"),
    ),
    (r"Input should be less than (?P<limit>\S+)", N_("Input should be less than {limit}")),
    (r"(?i:file|directory|path) (?P<file>'.*') is a directory\.", N_("{file} is a directory.")),
    (r"(?i:file|directory|path) (?P<file>'.*') is a file\.", N_("{file} is a file.")),
    (r"(?i:file|directory|path) (?P<file>'.*') does not exist\.", N_("{file} does not exist.")),
    (r"(?i:file|directory|path) (?P<file>'.*') is not readable\.", N_("{file} is not readable.")),
    (r"(?i:file|directory|path) (?P<file>'.*') is not writable\.", N_("{file} is not writable.")),
)


def translate_usage(message: str) -> str:
    """A usage error of Click or Typer in the interface language (as it is in English, or
    when it is not one of the known messages)."""
    if not is_chinese():
        return message
    for pattern, text in _USAGE_MESSAGES:
        found = re.fullmatch(pattern, message, re.S)
        if found is None:
            continue
        parts = found.groupdict()
        if parts.get("message"):
            parts["message"] = translate_usage(parts["message"])
        return (_(text) if text != "{message}" else text).format(**parts)
    return message


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
    _speak_rich_help()
    _speak_vendored_click()
    return language


def _speak_rich_help() -> None:
    """Typer's rich help (panel titles, ``[default: ...]``) in the interface language. Typer
    imports it only to draw a help page: it is translated then (see ``_formatter``)."""
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        rich_utils._ = _  # type: ignore[attr-defined]
        for constant, text in _TYPER_CONSTANTS.items():
            setattr(rich_utils, constant, _(text))


def _speak_vendored_click() -> None:
    """The words of the Click vendored in Typer, written in English without ``_``: the usage
    line's ``Usage:`` and the help option's help. Patched once; each reads the language when
    it is shown."""
    if "typer._click.core" not in sys.modules:
        return  # a Typer on Click itself: Click's ``_`` is patched above
    try:
        decorators = importlib.import_module("typer._click.decorators")
        core = importlib.import_module("typer._click.core")
        formatting = importlib.import_module("typer._click.formatting")
    except ImportError:
        return
    make = getattr(decorators, "help_option", None)
    if make is not None and not getattr(make, "_bizops", False):
        setattr(decorators, "help_option", _translated_help_option(make))  # noqa: B010
    base = getattr(formatting, "HelpFormatter", None)
    context = getattr(core, "Context", None)
    if base is not None and context is not None and context.formatter_class is base:
        context.formatter_class = _formatter(base)


def _translated_help_option(make: Any) -> Any:
    def help_option(param_decls: Any) -> Any:
        add = make(param_decls)

        def apply(command: Any) -> Any:
            command = add(command)
            option = command.params[-1] if command.params else None
            if option is not None:
                _translate(option, "help")
            return command

        return apply

    help_option._bizops = True  # type: ignore[attr-defined]
    return help_option


def _formatter(base: type) -> type:
    class Formatter(base):
        """Click's help formatter, with ``Usage:`` in the interface language; made when a
        help page or a usage line is drawn, when Typer's rich help is translated too."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Without rich, Typer draws Click's plain help, which this formatter writes.
            with contextlib.suppress(ImportError):
                importlib.import_module("typer.rich_utils")
            _speak_rich_help()

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    return Formatter


def _translate(obj: Any, attr: str) -> None:
    """Set ``obj.attr`` to its English source in the interface language. The source is kept
    on the object, so that a tree built once is shown in whichever language a run speaks."""
    sources: dict[str, str] = obj.__dict__.setdefault("_bizops_source", {})
    if attr not in sources:
        text = getattr(obj, attr, None)
        if not isinstance(text, str) or not text:
            return
        sources[attr] = text
    setattr(obj, attr, _(sources[attr]))


def first_paragraph(text: str | None) -> str | None:
    """A help text's first paragraph on one line: a command's summary in a listing."""
    if not text:
        return text
    return " ".join(text.strip().split("\n\n")[0].split())


def translate_tree(command: Any) -> Any:
    """Translate a built command's help, and its parameters', and its subcommands'."""
    if command is None:
        return None
    for attr in ("help", "epilog"):
        _translate(command, attr)
    if command.__dict__.get("_bizops_short_from_help"):
        command.short_help = first_paragraph(command.help)
    else:
        _translate(command, "short_help")
    for param in getattr(command, "params", ()):
        _translate(param, "help")
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub)
    return command
