"""The policy: cadence, grading, the approval matrix and the rest, validated as a whole.

The policy arrives as a plain dict: the shipped defaults (``bizops/library/policy.toml``,
the only place defaults live) with the department's changes merged over them.
``build_policy`` checks every key, one section at a time, and returns a frozen ``Policy``
or raises ``Invalid`` listing every problem.
"""

from __future__ import annotations

from typing import Any

from bizops.domain.errors import Invalid
from bizops.domain.policy import sections
from bizops.domain.policy.check import Problems
from bizops.domain.policy.model import (
    ApprovalRule,
    CcRule,
    GradingRule,
    MailSettings,
    Policy,
    RobotSettings,
)
from bizops.domain.policy.sections import WEEKDAY_NAMES, WEEKEND_RULES
from bizops.i18n import _

__all__ = [
    "WEEKDAY_NAMES",
    "WEEKEND_RULES",
    "ApprovalRule",
    "CcRule",
    "GradingRule",
    "MailSettings",
    "Policy",
    "RobotSettings",
    "build_policy",
    "merge_policy",
]


def merge_policy(defaults: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Changes override the defaults key by key; a list (e.g. the matrix) replaces whole."""
    out = dict(defaults)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_policy(out[key], value)
        else:
            out[key] = value
    return out


def build_policy(data: dict[str, Any]) -> Policy:
    """Check the whole policy; raise ``Invalid`` with every problem listed."""
    problems = Problems()
    fields: dict[str, Any] = {}
    for read_section in sections.ALL:
        fields.update(read_section(data, problems))
    if problems.items:
        message = _("the policy has {count} problem(s)").format(count=len(problems.items))
        raise Invalid(message, details=problems.items)
    return Policy(**fields, raw=data)
