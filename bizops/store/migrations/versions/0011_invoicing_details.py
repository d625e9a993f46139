"""Customers' invoicing details (开票信息): name, credit code, address, phone, bank, account

Revision ID: 0011_invoicing_details
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_invoicing_details"
down_revision = "0005_customer_pinyin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("invoicing", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("invoicing")
