"""Approval requests keep the amount they were routed and limited on, in the policy's base
currency (the contract's amount converted with the policy's rates when submitted)

Existing requests keep none (NULL): they were submitted in the base currency, so their amount
is the one the limits compare.

Revision ID: 0019_amount_in_base
Revises: 0015_followup_details
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_amount_in_base"
down_revision = "0015_followup_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approval_requests") as batch:
        batch.add_column(sa.Column("amount_in_base", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approval_requests") as batch:
        batch.drop_column("amount_in_base")
