"""The shipped default policy, and reading a policy file over it (to check or apply it).

The policy in force lives in the database (see ``bizops.services.policy_versions``); a file is
only what an admin applies.
"""

from __future__ import annotations

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


def read_policy_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Invalid(_("policy file {path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise Invalid(_("policy file {path} is a directory").format(path=path)) from None
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


def policy_data(path: Path) -> dict[str, Any]:
    """The file merged over the shipped defaults: what applying it would put in force."""
    return merge_policy(default_policy_data(), read_policy_file(path))


def check_policy_data(data: dict[str, Any], *, where: str) -> Policy:
    """The policy ``data`` makes, or ``Invalid`` listing every problem."""
    try:
        return build_policy(data)
    except Invalid as exc:
        raise Invalid(
            _("policy {file} has {count} problem(s)").format(file=where, count=len(exc.details)),
            details=exc.details,
        ) from None


def check_policy_file(path: Path) -> Policy:
    return check_policy_data(policy_data(path), where=str(path))


def default_policy() -> Policy:
    return build_policy(default_policy_data())
