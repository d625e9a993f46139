"""Money in and out: invoices, receipts, purchase payments, write-offs, their allocation to
payment milestones, and approval requests about a payment or a write-off

Revision ID: 0008_money
Revises: 0005_customer_pinyin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_money"
down_revision = "0012_report_delivery_states"
branch_labels = None
depends_on = None


def _money(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=nullable)


def _who(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=64), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("milestone_id", sa.Integer(), sa.ForeignKey("milestones.id"), nullable=True),
        sa.Column("type", sa.String(length=12), nullable=False),
        _money("amount"),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        _who("requested_by"),
        sa.Column("number", sa.String(length=40), nullable=True, unique=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        _who("issued_by", True),
        sa.Column("tax_rate", sa.Numeric(6, 4), nullable=True),
        _money("tax_amount", True),
        sa.Column("void_on", sa.Date(), nullable=True),
        _who("void_by", True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_invoices_contract_id", "invoices", ["contract_id"])
    op.create_index("ix_invoices_status", "invoices", ["status"])
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("contracts.id"), nullable=False),
        _money("amount"),
        _money("applied"),
        _money("advance"),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("bank_ref", sa.String(length=80), nullable=True, unique=True),
        sa.Column("payer", sa.String(length=200), nullable=True),
        sa.Column("maturity", sa.Date(), nullable=True),
        sa.Column("paid_currency", sa.String(length=3), nullable=True),
        _money("paid_amount", True),
        sa.Column("rate", sa.Numeric(18, 6), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        _who("recorded_by"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_receipts_contract_on", "receipts", ["contract_id", "received_on"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("milestone_id", sa.Integer(), sa.ForeignKey("milestones.id"), nullable=True),
        _money("amount"),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        _who("requested_by"),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        _who("paid_by", True),
        sa.Column("bank_ref", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payments_contract_id", "payments", ["contract_id"])
    op.create_index("ix_payments_status", "payments", ["status"])
    op.create_table(
        "writeoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("contracts.id"), nullable=False),
        _money("amount"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        _who("requested_by"),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_writeoffs_contract_id", "writeoffs", ["contract_id"])
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), sa.ForeignKey("milestones.id"), nullable=False),
        sa.Column("receipt_id", sa.Integer(), sa.ForeignKey("receipts.id"), nullable=True),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payments.id"), nullable=True),
        sa.Column("writeoff_id", sa.Integer(), sa.ForeignKey("writeoffs.id"), nullable=True),
        _money("amount"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_allocations_milestone_id", "allocations", ["milestone_id"])
    op.create_index("ix_allocations_receipt_id", "allocations", ["receipt_id"])
    with op.batch_alter_table("approval_requests") as batch:
        batch.add_column(sa.Column("payment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("writeoff_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_approval_requests_payment_id", "payments", ["payment_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_approval_requests_writeoff_id", "writeoffs", ["writeoff_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("approval_requests") as batch:
        batch.drop_constraint("fk_approval_requests_writeoff_id", type_="foreignkey")
        batch.drop_constraint("fk_approval_requests_payment_id", type_="foreignkey")
        batch.drop_column("writeoff_id")
        batch.drop_column("payment_id")
    for table in ("allocations", "writeoffs", "payments", "receipts", "invoices"):
        op.drop_table(table)
