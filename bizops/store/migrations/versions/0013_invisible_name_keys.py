"""Customers' name keys recomputed without invisible characters (zero-width spaces, joiners,
BOM): "Acme" and "Ac<U+200B>me" are the same name for duplicate detection and lookup

Revision ID: 0013_invisible_name_keys
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bizops.domain.text import name_key

revision = "0013_invisible_name_keys"
down_revision = "0007_team_controls"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    """Every key that the current rule computes differently (only names that hold format
    characters change), in batches."""
    conn = op.get_bind()
    customers = sa.table(
        "customers",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    update = (
        sa.update(customers)
        .where(customers.c.id == sa.bindparam("row_id"))
        .values(name_key=sa.bindparam("key"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(customers.c.id, customers.c.name, customers.c.name_key)
            .where(customers.c.id > last)
            .order_by(customers.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {"row_id": row_id, "key": name_key(name)}
            for row_id, name, key in rows
            if name_key(name) != key
        ]
        if changed:
            conn.execute(update, changed)
        last = rows[-1][0]


def downgrade() -> None:
    """Nothing to undo: the older rule reads the same keys (it only kept invisible ones)."""
