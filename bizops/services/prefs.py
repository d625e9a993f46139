"""The personal config file: one person's preferences (output, colour, language, columns).

The department's rules are not personal: they live in the database (`bizops config apply`).
A personal file that sets one of their sections is refused, so that nobody runs under a
private approval matrix or cadence.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from bizops.domain.errors import Invalid
from bizops.i18n import _
from bizops.library import read_text

FILE_NAME = "config.toml"
TEMPLATE = "config.toml"


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


def personal_template() -> str:
    """What `bizops config init` writes: every preference, commented out."""
    return read_text(TEMPLATE)


def read_personal_file(explicit: str | Path | None = None) -> dict[str, Any]:
    """The personal preferences; empty when there is no file (preferences are only
    preferences: `config init` writes one). A file that sets a section of the department's
    policy is refused."""
    path = personal_config_path(explicit)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise Invalid(
            _("config file {path} cannot be read: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from None
    except UnicodeDecodeError:
        raise Invalid(_("config file {path} is not UTF-8 text").format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(
            _("config file {path}: TOML error: {error}").format(path=path, error=exc)
        ) from None
    refuse_controlled(data, path)
    return data


def refuse_controlled(data: dict[str, Any], path: Path) -> None:
    if not data:
        return
    # The policy package, only for a file that sets something: every command reads the file.
    from bizops.domain.policy.controls import CONTROLLED_SECTIONS

    found = [name for name in CONTROLLED_SECTIONS if name in data]
    if found:
        raise Invalid(
            _(
                "config file {path} sets [{section}], part of the department's policy; "
                "a personal file holds only your preferences. An admin applies policy "
                "changes with `bizops config apply FILE`"
            ).format(path=path, section="], [".join(found))
        )


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
