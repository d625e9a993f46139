"""Team controls: users get a database login, the audit chain is keyed from here on

Revision ID: 0007_team_controls
Revises: 0005_customer_pinyin

Events written before this revision keep their plain SHA-256 hashes and stay verifiable as
they were, up to the recorded boundary (``audit_chain.keyed_after``); every later event
carries an HMAC. On PostgreSQL the key is generated here, inside the database (pgcrypto), and
an insert trigger that runs as the table's owner links and seals each event, so that a
member login never sees the key. On SQLite the key is a file in the user's data directory,
created with the first keyed event.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_team_controls"
down_revision = "0011_invoicing_details"
branch_labels = None
depends_on = None

# The key of the advisory lock every bizops write takes (bizops.store.engine.WRITE_LOCK_KEY).
WRITE_LOCK_KEY = 0x6B1205

# The message an event's HMAC covers, built the same way as bizops.store.audit.keyed_message.
MESSAGE_SQL = """
CREATE OR REPLACE FUNCTION bizops_audit_message(
    prev_hash text, at timestamptz, actor text, action text, entity_type text,
    entity_id text, before text, after text, acting_admin text, db_login text
) RETURNS bytea LANGUAGE sql IMMUTABLE AS $fn$
    SELECT convert_to(concat_ws(chr(31), 'bizops-audit-v2', prev_hash,
        ((extract(epoch FROM at) * 1000000)::bigint)::text, actor, action, entity_type,
        entity_id, coalesce(before, ''), coalesce(after, ''), coalesce(acting_admin, ''),
        coalesce(db_login, '')), 'UTF8')
$fn$
"""

SEAL_SQL = """
CREATE OR REPLACE FUNCTION bizops_audit_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $fn$
DECLARE
    k bytea;
BEGIN
    -- One chain: whoever inserts, events are linked one after another.
    PERFORM pg_advisory_xact_lock({lock});
    SELECT key INTO k FROM audit_chain WHERE id = 1;
    IF k IS NULL THEN
        RAISE EXCEPTION 'bizops: the audit chain has no key (run bizops db upgrade)';
    END IF;
    NEW.id := nextval(pg_get_serial_sequence('audit_events', 'id'));
    NEW.db_login := session_user;
    NEW.prev_hash := coalesce(
        (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), repeat('0', 64));
    NEW.hash := encode(hmac(bizops_audit_message(NEW.prev_hash, NEW.at, NEW.actor,
        NEW.action, NEW.entity_type, NEW.entity_id, NEW.before, NEW.after, NEW.acting_admin,
        NEW.db_login), k, 'sha256'), 'hex');
    RETURN NEW;
END
$fn$
"""

BAD_EVENTS_SQL = """
CREATE OR REPLACE FUNCTION bizops_audit_unsealed(after_id integer DEFAULT 0)
RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT e.id FROM audit_events e CROSS JOIN audit_chain c
    WHERE c.id = 1 AND e.id > greatest(c.keyed_after, after_id)
      AND e.hash IS DISTINCT FROM encode(hmac(bizops_audit_message(e.prev_hash, e.at,
          e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after, e.acting_admin,
          e.db_login), c.key, 'sha256'), 'hex')
    ORDER BY e.id
$fn$
"""


def _postgres_seal() -> None:
    conn = op.get_bind()
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    ext_schema = conn.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto'"
        )
    ).scalar_one()
    schemas = [schema] + ([ext_schema] if ext_schema != schema else [])
    path = ", ".join(f'"{s}"' for s in schemas) + ", pg_temp"
    op.execute("UPDATE audit_chain SET key = gen_random_bytes(32) WHERE id = 1")
    op.execute(MESSAGE_SQL)
    op.execute(SEAL_SQL.format(path=path, lock=WRITE_LOCK_KEY))
    op.execute(BAD_EVENTS_SQL.format(path=path))
    for fn in ("bizops_audit_seal()", "bizops_audit_unsealed(integer)"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER bizops_audit_seal BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION bizops_audit_seal()"
    )


def upgrade() -> None:
    # A unique index rather than a constraint: SQLite adds it without rebuilding the table
    # (which other tables' foreign keys point to).
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("db_login", sa.String(length=63), nullable=True))
    op.create_index("uq_users_db_login", "users", ["db_login"], unique=True)
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("acting_admin", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("db_login", sa.String(length=63), nullable=True))
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keyed_after", sa.Integer(), nullable=False),
        sa.Column("key_check", sa.String(length=64), nullable=True),
        sa.Column("key", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO audit_chain (id, keyed_after) SELECT 1, coalesce(max(id), 0) FROM audit_events"
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres_seal()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS bizops_audit_seal ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS bizops_audit_seal()")
        op.execute("DROP FUNCTION IF EXISTS bizops_audit_unsealed(integer)")
        op.execute(
            "DROP FUNCTION IF EXISTS bizops_audit_message(text, timestamptz, text, text, "
            "text, text, text, text, text, text)"
        )
    op.drop_table("audit_chain")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("db_login")
        batch_op.drop_column("acting_admin")
    op.drop_index("uq_users_db_login", table_name="users")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("db_login")
