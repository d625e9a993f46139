"""Team mode's roles, grants and policies on PostgreSQL.

Two roles hold everything: ``bizops_owner`` (NOLOGIN, CREATEROLE) owns the tables and the
SECURITY DEFINER functions; ``bizops_member`` (NOLOGIN) is granted what the members' logins
need and nothing more. Each person's login is a member of ``bizops_member``, and bizops maps
``session_user`` to the bizops user whose ``db_login`` it is.

What the database enforces for a member login, even from psql:
- the audit table is INSERT-only (and the insert trigger seals each event);
- ``audit_chain`` (the key) is not readable, except the boundary column;
- ``users`` is written only by a login whose user is an active admin (row-level security);
- an approval step records a decision only by a decider who holds the step's role, is not
  the request's submitter, and is the login's own user (or an admin acting for them);
- logins are created and disabled only through SECURITY DEFINER functions that check the
  caller is an admin; the owner role's CREATEROLE never reaches a member directly;
- only an admin's login stores a new policy version;
- customers, contracts and their records are visible by the policy's ``[visibility]``
  (``bizops.store.pgvisibility``).

``setup_roles`` creates the roles (race-free: several databases of one cluster may run it at
once); ``apply_privileges`` (re)applies ownership, grants and policies to the current
database, and runs after every migration once the roles exist.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from bizops.store import pgvisibility

OWNER = "bizops_owner"
MEMBER = "bizops_member"

# What a member may do with each table; tables not named get the default.
DEFAULT_GRANT = "SELECT, INSERT, UPDATE"
MEMBER_GRANTS: dict[str, str] = {
    "alembic_version": "SELECT",
    "audit_events": "SELECT, INSERT",
    "audit_chain": "SELECT (id, keyed_after, key_check)",
    "approval_steps": (
        "SELECT, INSERT, UPDATE (status, pending_since, due, decided_by, decided_on, comment)"
    ),
    "contacts": "SELECT, INSERT, UPDATE, DELETE",
    "policy_versions": "SELECT, INSERT",
    "customer_tags": "SELECT, INSERT, UPDATE, DELETE",
    "quote_lines": "SELECT, INSERT, UPDATE, DELETE",
    "report_deliveries": "SELECT, INSERT, UPDATE, DELETE",
}

_ROLES = (
    f"CREATE ROLE {OWNER} NOLOGIN CREATEROLE",
    f"CREATE ROLE {MEMBER} NOLOGIN",
)
_ROLE_FIXES = (
    f"ALTER ROLE {OWNER} NOLOGIN CREATEROLE",
    f"GRANT {MEMBER} TO {OWNER} WITH ADMIN OPTION",
)

FUNCTIONS = """
CREATE OR REPLACE FUNCTION bizops_login() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT login FROM users WHERE db_login = session_user AND active
$fn$;

CREATE OR REPLACE FUNCTION bizops_user_holds(who text, wanted text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT EXISTS (SELECT 1 FROM users WHERE login = who AND active
                   AND wanted = ANY (string_to_array(roles, ',')))
$fn$;

CREATE OR REPLACE FUNCTION bizops_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT coalesce(bizops_user_holds(bizops_login(), 'admin'), false)
$fn$;

CREATE OR REPLACE FUNCTION bizops_is_dba() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR pg_has_role(session_user, '{owner}', 'MEMBER')
$fn$;

CREATE OR REPLACE FUNCTION bizops_submitter(request integer) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT submitted_by FROM approval_requests WHERE id = request
$fn$;

CREATE OR REPLACE FUNCTION bizops_may_decide(decider text, step_role text, request integer)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT bizops_user_holds(decider, step_role)
       AND decider IS DISTINCT FROM bizops_submitter(request)
       AND (decider = bizops_login() OR bizops_is_admin())
$fn$;

CREATE OR REPLACE FUNCTION bizops_may_cancel(decider text, request integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT decider = bizops_submitter(request)
       AND (decider = bizops_login() OR bizops_is_admin())
$fn$;

CREATE OR REPLACE FUNCTION bizops_create_login(name text, secret text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $fn$
BEGIN
    IF NOT (bizops_is_admin() OR bizops_is_dba()) THEN
        RAISE EXCEPTION 'only a bizops admin may create database logins'
            USING ERRCODE = '42501';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = name)
           OR pg_has_role(name, '{owner}', 'MEMBER') THEN
            RAISE EXCEPTION 'database role % is privileged; it cannot be a member login', name
                USING ERRCODE = '42501';
        END IF;
        EXECUTE format('GRANT {member} TO %I', name);
        RETURN 'linked';
    END IF;
    IF secret IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE {member}', name);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE {member}', name, secret);
    END IF;
    RETURN 'created';
END
$fn$;

CREATE OR REPLACE FUNCTION bizops_set_login(name text, enabled boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $fn$
BEGIN
    IF NOT (bizops_is_admin() OR bizops_is_dba()) THEN
        RAISE EXCEPTION 'only a bizops admin may change database logins'
            USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
        RETURN;
    END IF;
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = name)
       OR pg_has_role(name, '{owner}', 'MEMBER')
       OR NOT pg_has_role(name, '{member}', 'MEMBER') THEN
        RAISE EXCEPTION 'database role % is not a bizops member login', name
            USING ERRCODE = '42501';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', name, CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
END
$fn$;
"""

# Functions members may call; the others run only inside policies and triggers.
MEMBER_FUNCTIONS = (
    "bizops_login()",
    "bizops_user_holds(text, text)",
    "bizops_is_admin()",
    "bizops_is_dba()",
    "bizops_submitter(integer)",
    "bizops_may_decide(text, text, integer)",
    "bizops_may_cancel(text, integer)",
    "bizops_create_login(text, text)",
    "bizops_set_login(text, boolean)",
    "bizops_audit_unsealed(integer)",
    *pgvisibility.MEMBER_FUNCTIONS,
)
OWNER_ONLY_FUNCTIONS = (
    "bizops_audit_seal()",
    "bizops_audit_message(text, timestamptz, text, text, text, text, text, text, text, text)",
)

# Row-level security: (table, policy name, command, USING, WITH CHECK).
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("users", "bizops_read", "SELECT", "true", None),
    ("users", "bizops_admin_insert", "INSERT", None, "bizops_is_admin()"),
    ("users", "bizops_admin_update", "UPDATE", "bizops_is_admin()", "bizops_is_admin()"),
    # Only an admin's login puts a new policy version in force.
    ("policy_versions", "bizops_read", "SELECT", "true", None),
    ("policy_versions", "bizops_admin_apply", "INSERT", None, "bizops_is_admin()"),
    ("approval_steps", "bizops_read", "SELECT", "true", None),
    (
        "approval_steps",
        "bizops_open",
        "INSERT",
        None,
        "decided_by IS NULL AND status IN ('pending', 'waiting')",
    ),
    (
        "approval_steps",
        "bizops_decide",
        "UPDATE",
        "true",
        "(decided_by IS NULL AND status IN ('waiting', 'pending', 'cancelled'))"
        " OR (status IN ('approved', 'rejected')"
        " AND bizops_may_decide(decided_by, role, request_id))"
        " OR (status = 'cancelled' AND bizops_may_cancel(decided_by, request_id))",
    ),
    # Who may see which customers, contracts and their records: the visibility rule.
    *pgvisibility.policies(),
)


@dataclass(frozen=True)
class Login:
    """Who the connection is: its login, and whether it may act for anyone (DBA)."""

    name: str
    privileged: bool
    member: bool


def roles_exist(conn: Connection) -> bool:
    found = conn.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname IN (:o, :m)"), {"o": OWNER, "m": MEMBER}
    ).scalar_one()
    return int(found) == 2


def current_login(conn: Connection) -> Login:
    row = conn.execute(
        text(
            "SELECT session_user, r.rolsuper, "
            "  EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = :o "
            "          AND pg_has_role(session_user, o.oid, 'MEMBER')), "
            "  EXISTS (SELECT 1 FROM pg_roles m WHERE m.rolname = :m "
            "          AND pg_has_role(session_user, m.oid, 'MEMBER')) "
            "FROM pg_roles r WHERE r.rolname = session_user"
        ),
        {"o": OWNER, "m": MEMBER},
    ).one()
    return Login(name=row[0], privileged=bool(row[1] or row[2]), member=bool(row[3]))


def _retry(conn: Connection, statement: str) -> None:
    """Roles are cluster-wide: another database may be creating the same one right now."""
    for attempt in range(20):
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(statement)
            return
        except DBAPIError as exc:
            message = str(exc.orig).lower()
            if "already exists" in message or "is already a member" in message:
                return
            if "concurrently" not in message and "duplicate key" not in message:
                raise
            time.sleep(0.05 * (attempt + 1))
    conn.exec_driver_sql(statement)


def create_roles(conn: Connection) -> None:
    for statement in _ROLES:
        _retry(conn, statement)
    for statement in _ROLE_FIXES:
        _retry(conn, statement)


def _search_path(conn: Connection) -> str:
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    ext = conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pgcrypto'"
        )
    ).scalar_one_or_none()
    schemas = [schema] + ([ext] if ext and ext != schema else [])
    return ", ".join(f'"{s}"' for s in schemas) + ", pg_temp"


def _tables(conn: Connection) -> list[str]:
    from bizops.store.models import all_tables

    present = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    return [t for t in [*all_tables().tables, "alembic_version"] if t in present]


def _grant_tables(conn: Connection, schema: str) -> None:
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {MEMBER}")
    conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {OWNER}")
    for table in _tables(conn):
        conn.exec_driver_sql(f'ALTER TABLE "{table}" OWNER TO {OWNER}')
        conn.exec_driver_sql(f'REVOKE ALL ON TABLE "{table}" FROM PUBLIC, {MEMBER}')
        grant = MEMBER_GRANTS.get(table, DEFAULT_GRANT)
        conn.exec_driver_sql(f'GRANT {grant} ON TABLE "{table}" TO {MEMBER}')
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {MEMBER}")


def _functions(conn: Connection, path: str) -> None:
    sql = (FUNCTIONS + pgvisibility.FUNCTIONS).format(path=path, owner=OWNER, member=MEMBER)
    # A database part-way through its revisions may lack a table a body reads: the bodies are
    # checked when they run, at head.
    conn.exec_driver_sql("SET LOCAL check_function_bodies = off")
    conn.exec_driver_sql(sql.replace("%", "%%"))  # the driver would read %I as a placeholder
    for fn in (*MEMBER_FUNCTIONS, *OWNER_ONLY_FUNCTIONS):
        conn.exec_driver_sql(f"ALTER FUNCTION {fn} OWNER TO {OWNER}")
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in MEMBER_FUNCTIONS:
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {MEMBER}")


def _policies(conn: Connection) -> None:
    present = set(_tables(conn))
    for table in sorted({p[0] for p in POLICIES} & present):
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for table, name, command, using, check in POLICIES:
        if table not in present:
            continue
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
        clause = f" USING ({using})" if using else ""
        clause += f" WITH CHECK ({check})" if check else ""
        conn.exec_driver_sql(f"CREATE POLICY {name} ON {table} FOR {command} TO {MEMBER}{clause}")


def apply_privileges(conn: Connection) -> None:
    """Ownership, grants, functions and policies of this database; idempotent."""
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    _grant_tables(conn, schema)
    _functions(conn, _search_path(conn))
    _policies(conn)


def setup_roles(conn: Connection) -> None:
    """Create the two roles if needed, then apply everything to this database."""
    if not roles_exist(conn):
        create_roles(conn)
    else:
        for statement in _ROLE_FIXES:
            if current_login(conn).privileged:
                _retry(conn, statement)
    apply_privileges(conn)


def create_login(conn: Connection, name: str, password: str | None) -> str:
    """Create (or link) the member login ``name``; returns "created" or "linked".

    The password travels as a SCRAM verifier computed here, never in clear text.
    """
    secret = None
    if password:
        raw = conn.connection.driver_connection
        pgconn = raw.pgconn  # type: ignore[union-attr]
        secret = pgconn.encrypt_password(
            password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
        ).decode("ascii")
    return str(
        conn.execute(
            text("SELECT bizops_create_login(:n, :s)"), {"n": name, "s": secret}
        ).scalar_one()
    )


def set_login_enabled(conn: Connection, name: str, enabled: bool) -> None:
    conn.execute(text("SELECT bizops_set_login(:n, :e)"), {"n": name, "e": enabled})
