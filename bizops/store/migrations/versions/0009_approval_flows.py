"""Approval flows: group steps (会签/或签), hand-over and added signers, copies (抄送),
absences, the limits option, the approved draft's hash, and the seal register (用印)

Revision ID: 0009_approval_flows
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_approval_flows"
down_revision = "0013_invisible_name_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approval_requests") as batch_op:
        batch_op.add_column(
            sa.Column("limits", sa.String(length=8), nullable=False, server_default="every")
        )
        batch_op.add_column(sa.Column("draft_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("draft", sa.JSON(), nullable=True))
    with op.batch_alter_table("approval_steps") as batch_op:
        batch_op.add_column(sa.Column("mode", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("assignee", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("added_by", sa.String(length=64), nullable=True))
    op.create_table(
        "approval_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["approval_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "login", name="uq_approval_copy"),
    )
    op.create_index("ix_approval_copies_request_id", "approval_copies", ["request_id"])
    op.create_index("ix_approval_copies_login", "approval_copies", ["login"])
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("delegate", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_absences_login", "absences", ["login"])
    op.create_table(
        "seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=16), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("draft_sha256", sa.String(length=64), nullable=True),
        sa.Column("sealed_on", sa.Date(), nullable=False),
        sa.Column("sealed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_seals_contract_id", "seals", ["contract_id"])


def downgrade() -> None:
    op.drop_index("ix_seals_contract_id", table_name="seals")
    op.drop_table("seals")
    op.drop_index("ix_absences_login", table_name="absences")
    op.drop_table("absences")
    op.drop_index("ix_approval_copies_login", table_name="approval_copies")
    op.drop_index("ix_approval_copies_request_id", table_name="approval_copies")
    op.drop_table("approval_copies")
    with op.batch_alter_table("approval_steps") as batch_op:
        batch_op.drop_column("added_by")
        batch_op.drop_column("assignee")
        batch_op.drop_column("mode")
    with op.batch_alter_table("approval_requests") as batch_op:
        batch_op.drop_column("draft")
        batch_op.drop_column("draft_sha256")
        batch_op.drop_column("limits")
