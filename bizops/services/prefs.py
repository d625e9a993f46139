"""The personal config file: one person's preferences (output, colour, language)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

FILE_NAME = "config.toml"


def personal_config_path(explicit: str | Path | None = None) -> Path:
    """``--config``, else ``BIZOPS_CONFIG``, else ``config.toml`` in the user config dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("BIZOPS_CONFIG")
    if env:
        return Path(env).expanduser()
    home = os.environ.get("BIZOPS_HOME")
    if home:
        return Path(home).expanduser() / FILE_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("bizops", appauthor=False)) / FILE_NAME


def personal_settings(explicit: str | Path | None = None) -> dict[str, Any]:
    """The personal config file's tables; empty when there is none or it cannot be read
    (a preference never stops a command)."""
    path = personal_config_path(explicit)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return data


def listing_columns(name: str, explicit: str | Path | None = None) -> Any:
    """``[columns] <name> = [...]``: one's own choice of columns for a listing, or None."""
    columns = personal_settings(explicit).get("columns")
    return columns.get(name) if isinstance(columns, dict) else None
