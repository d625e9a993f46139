"""Team mode: the visibility rule enforced by PostgreSQL's row-level security.

The same rule as ``bizops.services.visibility`` (where it is explained), computed in the
database for a member login: ``session_user`` -> the active user whose ``db_login`` it is ->
the widest reach of their roles under the policy in force (``policy_versions.visibility``
of the newest version; NULL there means the shipped defaults: sales own, manager team, every
other role all) -> the users whose customers they see (``bizops_visible_users``). Customers
of the shared pool (no owner) are seen by everyone; contacts, interactions, follow-ups, tags
stage changes and needs records are seen with their customer; a contract or a quote with its
customer or by its owner; a contract's milestones, disputes, attachments, drafts, notes,
amendments, invoices, receipts, payments and write-offs with their contract; a quote's lines
with the quote, and a milestone's allocations with the milestone.

Reads are narrowed (SELECT, UPDATE and DELETE see only visible rows). Writes keep the
services' rules: INSERT and the new row of an UPDATE are not narrowed (a manager may
reassign a customer; a release puts it in the pool). Rules that need the whole table (a
duplicate name or contact email) ask ``bizops_customer_duplicate``, which runs as the owner
and returns only what the message may say (the customer's owner, not the record); a
customer asked for by id or code that exists but is hidden is told apart from one that does
not exist by ``bizops_hidden_customer`` (exit 4, as on SQLite, rather than 3).

A login that maps to no active user sees only the pool. Superusers and the owner role
bypass row-level security (they are trusted: see docs/security.md).
"""

from __future__ import annotations

# The reach of each role when the stored version carries no visibility (the shipped defaults).
_DEFAULT_REACH = "CASE r WHEN 'sales' THEN 'own' WHEN 'manager' THEN 'team' ELSE 'all' END"

FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION bizops_visible_users() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    WITH me AS (
        SELECT id, team, roles FROM users WHERE db_login = session_user AND active LIMIT 1
    ), stored AS (
        SELECT (SELECT visibility FROM policy_versions ORDER BY version DESC LIMIT 1) AS v
    ), reach AS (
        SELECT coalesce(max(CASE coalesce(
                CASE WHEN stored.v IS NULL THEN """
    + _DEFAULT_REACH
    + """
                     ELSE stored.v::json ->> r END, 'own')
            WHEN 'all' THEN 3 WHEN 'team' THEN 2 ELSE 1 END), 1) AS n
        FROM me CROSS JOIN stored CROSS JOIN unnest(string_to_array(me.roles, ',')) AS r
    )
    SELECT o.id FROM users o CROSS JOIN me CROSS JOIN reach
    WHERE reach.n = 3 OR o.id = me.id
       OR (reach.n = 2 AND o.team IS NOT DISTINCT FROM me.team)
$fn$;

CREATE OR REPLACE FUNCTION bizops_visible_customers() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT id FROM customers
    WHERE owner_id IS NULL OR owner_id IN (SELECT bizops_visible_users())
$fn$;

CREATE OR REPLACE FUNCTION bizops_visible_contracts() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT id FROM contracts
    WHERE owner_id IN (SELECT bizops_visible_users())
       OR customer_id IN (SELECT bizops_visible_customers())
$fn$;

CREATE OR REPLACE FUNCTION bizops_customer_duplicate(
    by_name text, by_email text, exclude_id integer
) RETURNS TABLE (id integer, owner_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT c.id, c.owner_id FROM customers c
    WHERE c.id IS DISTINCT FROM exclude_id
      AND ((by_name IS NOT NULL AND c.name_key = by_name)
        OR (by_email IS NOT NULL AND EXISTS (
              SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND k.email_key = by_email)))
    ORDER BY c.id LIMIT 1
$fn$;

CREATE OR REPLACE FUNCTION bizops_hidden_customer(by_id integer, by_code text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT code FROM customers WHERE id = by_id OR code = by_code ORDER BY id LIMIT 1
$fn$;
"""
)

MEMBER_FUNCTIONS = (
    "bizops_visible_users()",
    "bizops_visible_customers()",
    "bizops_visible_contracts()",
    "bizops_customer_duplicate(text, text, integer)",
    "bizops_hidden_customer(integer, text)",
)

_USERS = "owner_id IS NULL OR owner_id IN (SELECT bizops_visible_users())"
_CUSTOMER = "customer_id IN (SELECT bizops_visible_customers())"
_CONTRACTS = f"owner_id IN (SELECT bizops_visible_users()) OR {_CUSTOMER}"
_CONTRACT = "contract_id IN (SELECT bizops_visible_contracts())"
# Rows under a visible row of another table (which row-level security has already narrowed).
_UNDER = "{column} IN (SELECT id FROM {table})"

# Each table and who sees its rows.
VISIBLE: dict[str, str] = {
    "customers": _USERS,
    "contacts": _CUSTOMER,
    "customer_tags": _CUSTOMER,
    "stage_changes": _CUSTOMER,
    "interactions": _CUSTOMER,
    "followups": _CUSTOMER,
    "contracts": _CONTRACTS,
    "milestones": _CONTRACT,
    "disputes": _CONTRACT,
    "attachments": _CONTRACT,
    "drafts": _CONTRACT,
    "contract_notes": _CONTRACT,
    "amendments": _CONTRACT,
    "invoices": _CONTRACT,
    "receipts": _CONTRACT,
    "payments": _CONTRACT,
    "writeoffs": _CONTRACT,
    "allocations": _UNDER.format(column="milestone_id", table="milestones"),
    "needs_records": _CUSTOMER,
    "quotes": _CONTRACTS,
    "quote_lines": _UNDER.format(column="quote_id", table="quotes"),
}


def policies() -> tuple[tuple[str, str, str, str | None, str | None], ...]:
    """(table, name, command, USING, WITH CHECK) of every visibility policy."""
    out: list[tuple[str, str, str, str | None, str | None]] = []
    for table, seen in VISIBLE.items():
        out += [
            (table, "bizops_see", "SELECT", seen, None),
            (table, "bizops_add", "INSERT", None, "true"),
            (table, "bizops_change", "UPDATE", seen, "true"),
            (table, "bizops_remove", "DELETE", seen, None),
        ]
    return tuple(out)
