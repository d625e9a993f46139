"""What the policy commands return: the stored versions, and the changes one applies."""

from __future__ import annotations

from typing import Any, TypedDict


class PolicyVersionRow(TypedDict):
    """A row of `config history`."""

    version: int
    applied_by: str
    applied_at: str
    source: str | None
    in_force: bool


class PolicyChangeRow(TypedDict):
    """A row of `config apply`: one key whose value the new version changes (None: absent)."""

    key: str
    before: Any
    after: Any
