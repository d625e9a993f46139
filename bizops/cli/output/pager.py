"""Long output on a terminal goes through a pager, as git and gh do: ``BIZOPS_PAGER`` if
set (empty: none), else ``$PAGER``, else ``less -FRX`` (which quits at once when the text
fits on one screen, keeps colours and leaves the text on the screen). ``--no-pager`` turns
it off; piped output never pages."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_PAGER = "less -FRX"


def pager_command(*, disabled: bool = False) -> list[str] | None:
    """The pager to run, split into words; None when paging is off."""
    if disabled:
        return None
    chosen = os.environ.get("BIZOPS_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER") or DEFAULT_PAGER
    try:
        words = shlex.split(chosen)
    except ValueError:
        return None
    return words or None


def page_text(text: str, command: list[str] | None) -> None:
    """Write ``text`` to the terminal, through ``command`` when it is longer than the
    screen. A pager that cannot start, or fails, leaves the text printed as it is."""
    height = shutil.get_terminal_size(fallback=(80, 24)).lines
    if command is None or text.count("\n") < height - 1:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), env=env, check=False)
    except OSError:
        done = None
    if done is None or done.returncode not in (0, 1):
        sys.stdout.write(text)
        sys.stdout.flush()


@contextmanager
def paged(con: Any, *, disabled: bool = False) -> Iterator[Any]:
    """Draw on ``con`` (a Rich console on the terminal); what is drawn is shown through the
    pager when it does not fit on the screen."""
    command = pager_command(disabled=disabled)
    if command is None:
        yield con
        return
    with con.capture() as captured:
        yield con
    page_text(captured.get(), command)
