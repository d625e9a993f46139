"""Interactions get a purpose, a place and a next action (拜访目的, 地点, 下一步) and the time
they were logged; stage changes get the cause of an automatic move

Existing interactions keep no logging time (NULL: logged when they happened, as far as
bizops knows); existing stage changes have no cause (moved by hand, or by a contract before
causes were recorded).

Revision ID: 0015_followup_details
Revises: 0009_approval_flows
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_followup_details"
down_revision = "0018_needs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("purpose", sa.Text(), nullable=True))
        batch.add_column(sa.Column("place", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("next_action", sa.Text(), nullable=True))
        batch.add_column(sa.Column("logged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("stage_changes") as batch:
        batch.add_column(sa.Column("cause", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stage_changes") as batch:
        batch.drop_column("cause")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("logged_at")
        batch.drop_column("next_action")
        batch.drop_column("place")
        batch.drop_column("purpose")
