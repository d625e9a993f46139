"""Controls: the policy stored in the database, versioned; users' teams; the shared pool
(customers without an owner, and the moves in and out of it); the policy version each
approval request was routed under; each version's visibility as JSON for PostgreSQL's
row-level security

Revision ID: 0006_controls
Revises: 0009_approval_flows
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006_controls"
down_revision = "0009_approval_flows"
branch_labels = None
depends_on = None


def _import_policy() -> None:
    """An existing database keeps the policy it ran under: the file it read until now becomes
    version 1 (else the shipped defaults). A new database gets its version 1 from `init`."""
    conn = op.get_bind()
    if not conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar():
        return
    from bizops.store.policies import legacy_policy

    text, source = legacy_policy()
    versions = sa.table(
        "policy_versions",
        sa.column("version", sa.Integer),
        sa.column("data", sa.Text),
        sa.column("applied_by", sa.String),
        sa.column("applied_at", sa.DateTime(timezone=True)),
        sa.column("source", sa.Text),
    )
    conn.execute(
        versions.insert().values(
            version=1,
            data=text,
            applied_by="upgrade",
            applied_at=datetime.now(UTC),
            source=source,
        )
    )


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("applied_by", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("visibility", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("version"),
    )
    op.create_table(
        "pool_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pool_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pool_moves_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index("ix_pool_moves_user_kind_on", ["user_id", "kind", "on"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=64), nullable=True))
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_version", sa.Integer(), nullable=True))
    _import_policy()


def downgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_column("policy_version")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("team")
    op.drop_table("pool_moves")
    op.drop_table("policy_versions")
