"""The personal config file: one person's preferences (output, colour, language)."""

from __future__ import annotations

import os
from pathlib import Path

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
