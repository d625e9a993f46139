"""The demo team: the first admin, then every other user of team.toml with their roles."""

from __future__ import annotations

from bizops.services import users
from bizops.services.demo.builder import Builder


def add_team(b: Builder) -> None:
    team = b.scenario["users"]
    admins = [u for u in team if "admin" in u.get("roles", [])]
    if not admins:
        raise ValueError("demo team.toml has no admin")
    first = admins[0]
    users.init_admin(
        b.session, login=first["login"], name=first.get("name"), email=first.get("email")
    )
    admin = users.find_user(b.session, first["login"])
    b.users[admin.login] = admin
    for spec in team:
        if spec is first:
            continue
        users.add_user(
            b.session,
            actor=admin,
            login=spec["login"],
            name=spec.get("name"),
            email=spec.get("email"),
            roles=list(spec["roles"]),
            limit=spec.get("limit"),
        )
        b.users[spec["login"]] = users.find_user(b.session, spec["login"])
    for spec in team:
        for role in spec["roles"]:
            b.role_holders.setdefault(role, []).append(spec["login"])
