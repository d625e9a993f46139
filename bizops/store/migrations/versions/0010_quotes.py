"""Products, quotations and their lines; an approval request may be about a quote

SQLite rebuilds approval_requests to change it; the upgrade runs with foreign keys off
(store/migrate.py), so the approval steps, copies and seals that point at it survive.

Revision ID: 0010_quotes
Revises: 0009_approval_flows
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_quotes"
down_revision = "0014_customer_company"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("spec", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("floor_price", sa.BigInteger(), nullable=True),
        sa.Column("tax_rate", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("template_name", sa.String(length=100), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("discount_pct", sa.BigInteger(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("contract_number", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_quotes_customer_id", "quotes", ["customer_id"])
    op.create_index("ix_quotes_owner_id", "quotes", ["owner_id"])
    op.create_index("ix_quotes_status", "quotes", ["status"])
    op.create_table(
        "quote_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("spec", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("list_price", sa.BigInteger(), nullable=True),
        sa.Column("floor_price", sa.BigInteger(), nullable=True),
        sa.Column("tax_rate", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quote_lines_quote_id", "quote_lines", ["quote_id"])
    with op.batch_alter_table("approval_requests") as batch_op:
        batch_op.alter_column("contract_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("quote_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_approval_requests_quote_id", "quotes", ["quote_id"], ["id"])
        batch_op.create_index("ix_approval_requests_quote_id", ["quote_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("approval_requests") as batch_op:
        batch_op.drop_index("ix_approval_requests_quote_id")
        batch_op.drop_constraint("fk_approval_requests_quote_id", type_="foreignkey")
        batch_op.drop_column("quote_id")
        batch_op.alter_column("contract_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_quote_lines_quote_id", table_name="quote_lines")
    op.drop_table("quote_lines")
    op.drop_index("ix_quotes_status", table_name="quotes")
    op.drop_index("ix_quotes_owner_id", table_name="quotes")
    op.drop_index("ix_quotes_customer_id", table_name="quotes")
    op.drop_table("quotes")
    op.drop_table("products")
