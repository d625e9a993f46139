"""The policy file a database ran under before the policy was stored in it.

Until then every command read ``BIZOPS_CONFIG`` (when set) or ``policy.toml`` in the user
config directory (``BIZOPS_HOME`` when set) over the shipped defaults. Upgrading a database
imports that file once, as version 1 of its stored policy.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from bizops.domain.errors import Invalid
from bizops.domain.policy import build_policy, merge_policy
from bizops.domain.policy.controls import CONTROLLED_SECTIONS
from bizops.library import read_text

LEGACY_FILE = "policy.toml"


def legacy_policy_file() -> Path:
    """``BIZOPS_CONFIG`` if it names a policy file, else the old default location."""
    env = os.environ.get("BIZOPS_CONFIG")
    if env:
        path = Path(env).expanduser()
        if set(_read(path) or {}) & set(CONTROLLED_SECTIONS):
            return path
    home = os.environ.get("BIZOPS_HOME")
    if home:
        return Path(home).expanduser() / LEGACY_FILE
    from platformdirs import user_config_dir

    return Path(user_config_dir("bizops", appauthor=False)) / LEGACY_FILE


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def legacy_policy() -> tuple[str, str]:
    """The policy to store as version 1 on upgrade, as TOML text, and where it came from: the
    old file merged over the defaults when it exists and holds a working policy, else the
    shipped defaults."""
    defaults = tomllib.loads(read_text("policy.toml"))
    path = legacy_policy_file()
    data = _read(path) if path.is_file() else None
    if data is not None:
        merged = merge_policy(defaults, data)
        try:
            build_policy(merged)
        except Invalid:
            return tomli_w.dumps(defaults), f"defaults ({path} had problems)"
        return tomli_w.dumps(merged), str(path)
    return tomli_w.dumps(defaults), "defaults"
