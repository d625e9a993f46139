"""Customers' names in pinyin, full and initials, for search; existing rows filled in

Revision ID: 0005_customer_pinyin
Revises: 0004_reports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bizops.domain.pinyin import pinyin_keys

revision = "0005_customer_pinyin"
down_revision = "0004_reports"
branch_labels = None
depends_on = None

BATCH = 5000


def _backfill() -> None:
    """Every existing customer's keys, computed as bizops computes them on a name change."""
    conn = op.get_bind()
    customers = sa.table(
        "customers",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_pinyin", sa.Text),
        sa.column("name_initials", sa.Text),
    )
    update = (
        sa.update(customers)
        .where(customers.c.id == sa.bindparam("row_id"))
        .values(name_pinyin=sa.bindparam("full"), name_initials=sa.bindparam("initials"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(customers.c.id, customers.c.name)
            .where(customers.c.id > last)
            .order_by(customers.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = []
        for row_id, name in rows:
            full, initials = pinyin_keys(name)
            values.append({"row_id": row_id, "full": full, "initials": initials})
        conn.execute(update, values)
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("name_pinyin", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("name_initials", sa.Text(), nullable=True))
    _backfill()
    op.create_index(
        "ix_customers_pinyin", "customers", ["name_initials", "name_pinyin"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_customers_pinyin", table_name="customers")
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("name_initials")
        batch_op.drop_column("name_pinyin")
