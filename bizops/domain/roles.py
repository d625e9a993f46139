"""Roles a user may hold: sales, manager, finance, legal, gm, admin, seal_keeper."""

from __future__ import annotations

import re

from bizops.domain.errors import Invalid
from bizops.domain.vocab import accepted, one_of
from bizops.i18n import _

SALES = "sales"
MANAGER = "manager"
FINANCE = "finance"
LEGAL = "legal"
GM = "gm"
ADMIN = "admin"
SEAL_KEEPER = "seal_keeper"  # keeps the company's seals and records each use (用印)

ROLES: tuple[str, ...] = (SALES, MANAGER, FINANCE, LEGAL, GM, ADMIN, SEAL_KEEPER)
APPROVER_ROLES: tuple[str, ...] = (MANAGER, FINANCE, LEGAL, GM)
# Roles are separated by commas, Chinese ones too (销售，经理 / 销售、经理).
_SEPARATORS = re.compile(r"[,，、]")


def check_role(role: str) -> str:
    """A role's code, from the code or its Chinese name (``销售经理`` -> ``manager``)."""
    try:
        return one_of(role, ROLES, "role", kind="role")
    except Invalid:
        raise Invalid(
            _("unknown role {role}; roles are: {roles}").format(
                role=repr(role), roles=accepted(ROLES, "role")
            )
        ) from None


def parse_roles(values: list[str] | tuple[str, ...]) -> list[str]:
    """Accept repeated or comma-separated roles; keep order, drop repeats."""
    out: list[str] = []
    for value in values:
        for part in _SEPARATORS.split(value):
            if part.strip():
                role = check_role(part)
                if role not in out:
                    out.append(role)
    return out
