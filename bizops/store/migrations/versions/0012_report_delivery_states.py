"""Daily-report deliveries get a state: claimed, sent, failed or uncertain

A row without a message id was a claim that was never confirmed: it becomes "claimed" (its
mail was not sent as far as bizops knows, and the next run retries it); every other row
becomes "sent".

Revision ID: 0012_report_delivery_states
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_report_delivery_states"
down_revision = "0005_customer_pinyin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_deliveries") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=12), nullable=False, server_default="sent")
        )
        batch.add_column(sa.Column("claimed_by", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("server_reply", sa.Text(), nullable=True))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
    op.execute("UPDATE report_deliveries SET status = 'claimed' WHERE message_id IS NULL")


def downgrade() -> None:
    op.execute("DELETE FROM report_deliveries WHERE status <> 'sent'")
    with op.batch_alter_table("report_deliveries") as batch:
        batch.drop_column("error")
        batch.drop_column("server_reply")
        batch.drop_column("claimed_by")
        batch.drop_column("status")
