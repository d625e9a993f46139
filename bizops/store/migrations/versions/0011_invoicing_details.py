"""Customers' invoicing details (开票信息); contracts without an amount (NDAs)

Revision ID: 0011_invoicing_details
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_invoicing_details"
down_revision = "0008_money"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("invoicing", sa.JSON(), nullable=True))
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.alter_column("amount", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE contracts SET amount = 0 WHERE amount IS NULL")
    with op.batch_alter_table("contracts") as batch_op:
        batch_op.alter_column("amount", existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("invoicing")
