"""Help pages kept as they were printed, so that `bizops --help` does not load Typer.

Drawing a help page imports Typer, Rich and the command tree (about half a second); what is
drawn depends only on the code, the language, the arguments and the terminal. The first
`bizops [COMMAND ...] --help` renders through Typer as always and keeps the exact text in the
user cache directory, under a key made of everything that shapes it: the bizops version, a
fingerprint of the package's files (code and message catalogs) and of Typer's and Rich's, the
arguments, the language, the personal config file, the terminal's width, whether it is a
terminal and its encoding, and the environment variables that Rich, Typer and bizops read.
A change of any of them renders afresh. Nothing here imports Typer.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HELP_FLAGS = ("--help", "-h")
_WORD = re.compile(r"[a-z][a-z0-9-]*\Z")
# What Rich and Typer read to decide on width, colour and style (besides BIZOPS_*, TYPER_*,
# _TYPER_*, LC_* and the locale's LANG/LANGUAGE).
_ENVIRONMENT = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERMINAL_WIDTH",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "DATABRICKS_RUNTIME_VERSION",
    "LANG",
    "LANGUAGE",
)
_PREFIXES = ("BIZOPS_", "TYPER_", "_TYPER_", "LC_")
KEEP = 64  # help pages kept; the oldest go first


def is_help_request(args: Sequence[str]) -> bool:
    """``[--lang L] [COMMAND ...] --help``: a help page and nothing else."""
    words = list(args)
    if words[:1] == ["--lang"]:
        words = words[2:]
    return bool(words) and words[-1] in HELP_FLAGS and all(_WORD.match(word) for word in words[:-1])


def cache_dir() -> Path:
    """``help`` in the user cache directory (under ``BIZOPS_HOME`` when that is set)."""
    home = os.environ.get("BIZOPS_HOME")
    if home:
        return Path(home).expanduser() / "cache" / "help"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bizops", appauthor=False)) / "help"


def _tree_stamp(root: Path) -> list[str]:
    stamps = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            stat = os.stat(os.path.join(folder, name))
            stamps.append(f"{folder}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return stamps


def _file_stamp(path: Path | str | None) -> str:
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return f"{path}:-"
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}" if stat else "-"


def _terminal() -> list[str]:
    sizes = []
    for fd in (0, 1, 2):
        try:
            size = os.get_terminal_size(fd)
        except (OSError, ValueError):
            sizes.append("-")
        else:
            sizes.append(f"{size.columns}x{size.lines}")
    stdout = sys.stdout
    return [*sizes, str(stdout.isatty()), str(getattr(stdout, "encoding", None))]


def page_key(args: Sequence[str]) -> str:
    """The key of the help page ``args`` asks for, in this environment."""
    from bizops import __version__
    from bizops.cli.lang import choose_language
    from bizops.services.prefs import personal_config_path

    package = Path(__file__).resolve().parent.parent
    parts = [__version__, sys.version, sys.platform, choose_language(args), *args, "|"]
    parts += _tree_stamp(package)
    for name in ("typer", "rich", "click"):
        spec = importlib.util.find_spec(name)
        parts.append(_file_stamp(spec.origin if spec else None))
    parts.append(_file_stamp(personal_config_path(os.environ.get("BIZOPS_CONFIG"))))
    parts += _terminal()
    parts += sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if name in _ENVIRONMENT or name.startswith(_PREFIXES)
    )
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class _Tee:
    """Standard output as it is, also keeping what is written to it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        written = self._stream.write(text)  # raises as the stream would (Click probes it)
        self.parts.append(text)
        return int(written)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def show_help(args: Sequence[str], render: Callable[[], Any]) -> None:
    """Print the help page ``args`` asks for: the kept copy, else ``render()``'s, kept when it
    succeeds. A cache that cannot be read or written is only slower."""
    encoding = str(getattr(sys.stdout, "encoding", "")).lower().replace("-", "")
    if encoding != "utf8":
        render()
        return
    try:
        path = cache_dir() / f"{page_key(args)}.txt"
    except OSError:
        render()
        return
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except OSError:
        text = None
    if text is not None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader has what it wanted (`bizops --help | head`): not an error, and
            # nothing more for the interpreter to flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    try:
        render()
    except SystemExit as exc:
        if exc.code in (0, None) and tee.parts:
            _keep(path, "".join(tee.parts))
        raise
    finally:
        sys.stdout = tee._stream


def _keep(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, path)
        kept = sorted(path.parent.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
