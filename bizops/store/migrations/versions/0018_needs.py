"""Needs analysis: a customer's dated answer sets to a needs framework

Revision ID: 0018_needs
Revises: 0010_quotes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_needs"
down_revision = "0010_quotes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "needs_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=100), nullable=False),
        sa.Column("framework_version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_needs_records_customer_id", "needs_records", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_needs_records_customer_id", table_name="needs_records")
    op.drop_table("needs_records")
