"""Roles a user may hold (PRODUCT section 3)."""

from __future__ import annotations

from bizops.domain.errors import Invalid

SALES = "sales"
MANAGER = "manager"
FINANCE = "finance"
LEGAL = "legal"
GM = "gm"
ADMIN = "admin"

ROLES: tuple[str, ...] = (SALES, MANAGER, FINANCE, LEGAL, GM, ADMIN)
APPROVER_ROLES: tuple[str, ...] = (MANAGER, FINANCE, LEGAL, GM)


def check_role(role: str) -> str:
    value = role.strip().lower()
    if value not in ROLES:
        raise Invalid(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")
    return value


def parse_roles(values: list[str] | tuple[str, ...]) -> list[str]:
    """Accept repeated or comma-separated roles; keep order, drop repeats."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                role = check_role(part)
                if role not in out:
                    out.append(role)
    return out
