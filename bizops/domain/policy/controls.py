"""The policy's control sections: who may see what (``[visibility]``) and the shared pool of
customers without an owner (``[pool]``); and which sections a personal file may not set."""

from __future__ import annotations

from typing import Any

from bizops.domain.policy import check
from bizops.domain.policy.check import Problems
from bizops.domain.roles import ROLES
from bizops.i18n import N_, _

# How much of the department a role sees, narrowest first.
OWN = "own"
TEAM = "team"
ALL = "all"
SCOPES: tuple[str, ...] = (OWN, TEAM, ALL)

# The sections of the department's policy. A personal config file may set none of them:
# the policy is applied to the database by an admin (`bizops config apply`).
CONTROLLED_SECTIONS: tuple[str, ...] = (
    "approval",
    "cadence",
    "grading",
    "numbering",
    "currency",
    "calendar",
    "mail",
    "visibility",
    "pool",
    "followups",
    "company",
    "channels",
    "contracts",
)

Fields = dict[str, Any]


def visibility(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "visibility", "visibility", problems)
    for role in raw:
        if role not in ROLES:
            problems.add(
                _("{where}: unknown role; roles are: {roles}").format(
                    where=f"visibility.{role}", roles=", ".join(ROLES)
                )
            )
    out: dict[str, str] = {}
    for role in ROLES:
        where = f"visibility.{role}"
        value = check.required(raw, role, where, problems)
        if value is check.MISSING:
            continue
        if value not in SCOPES:
            problems.add(
                _("{where}: {value} is not one of {scopes}").format(
                    where=where, value=repr(value), scopes=", ".join(SCOPES)
                )
            )
            continue
        out[role] = str(value)
    return {"visibility": out}


def pool(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "pool", "pool", problems)

    def days(key: str, default: int, expected: str = N_("days")) -> int:
        value = check.whole(
            check.required(raw, key, f"pool.{key}", problems),
            f"pool.{key}",
            problems,
            expected=expected,
        )
        return default if value is None else value

    window = days("claim_window_days", 30)
    if window == 0:
        problems.add(_("pool.claim_window_days: must be at least 1 day"))
    return {
        "pool_max_claims": days("max_claims", 10, N_("a whole number")),
        "pool_claim_window_days": window or 30,
        "pool_return_after_days": days("return_after_days", 0),
    }


ALL_SECTIONS = (visibility, pool)
