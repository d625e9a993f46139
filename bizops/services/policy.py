"""Where the policy file lives, and reading it over the shipped defaults."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy, build_policy, merge_policy
from bizops.i18n import _
from bizops.library import read_text

DEFAULT_FILE = "policy.toml"


def default_policy_text() -> str:
    return read_text(DEFAULT_FILE)


def default_policy_data() -> dict[str, Any]:
    return tomllib.loads(default_policy_text())


def config_path(explicit: str | Path | None = None) -> Path:
    """``--config``, else ``BIZOPS_CONFIG``, else ``policy.toml`` in the user config dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("BIZOPS_CONFIG")
    if env:
        return Path(env).expanduser()
    home = os.environ.get("BIZOPS_HOME")
    if home:
        return Path(home).expanduser() / DEFAULT_FILE
    from platformdirs import user_config_dir

    return Path(user_config_dir("bizops", appauthor=False)) / DEFAULT_FILE


def read_policy_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Invalid(_("policy file {path} does not exist").format(path=path)) from None
    except OSError as exc:
        raise Invalid(
            _("policy file {path} cannot be read: {error}").format(path=path, error=exc.strerror)
        ) from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid(_("policy file {path} is not UTF-8 text").format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(
            _("policy file {path}: TOML error: {error}").format(path=path, error=exc)
        ) from None


def policy_data(path: str | Path | None = None, *, explicit: bool = False) -> dict[str, Any]:
    """Defaults merged with the user file. A missing file is fine unless it was named."""
    file = config_path(path)
    data = default_policy_data()
    named = explicit or bool(path) or bool(os.environ.get("BIZOPS_CONFIG"))
    if file.exists() or named:
        data = merge_policy(data, read_policy_file(file))
    return data


def load_policy(path: str | Path | None = None) -> Policy:
    data = policy_data(path)
    try:
        return build_policy(data)
    except Invalid as exc:
        raise Invalid(
            _(
                "policy file {path} has {count} problem(s); run `bizops config check` to see them"
            ).format(path=config_path(path), count=len(exc.details)),
            details=exc.details,
        ) from None


def default_policy() -> Policy:
    return build_policy(default_policy_data())
