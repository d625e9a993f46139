"""Customers' own phone, email, website, address and unified social credit code

Revision ID: 0014_customer_company
Revises: 0009_approval_flows
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_customer_company"
down_revision = "0006_controls"
branch_labels = None
depends_on = None

COLUMNS = (
    ("phone", 40),
    ("email", 254),
    ("website", 200),
    ("address", 300),
    ("credit_code", 18),
)


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))
        batch.create_index("ix_customers_credit_code", ["credit_code"])


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_index("ix_customers_credit_code")
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
