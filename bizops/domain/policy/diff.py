"""What changed between two versions of the policy, key by key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One key (dotted: ``cadence.A.negotiation``) whose value differs; ``None`` on one side
    means the key is absent there. A list (such as the approval matrix) is one value."""

    key: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "before": self.before, "after": self.after}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def policy_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every key added, removed or changed, in key order."""
    old, new = _flatten(before), _flatten(after)
    return [
        Change(key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key) or (key in old) != (key in new)
    ]
