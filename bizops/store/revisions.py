"""The schema revisions this package knows, oldest first.

Start-up compares the database's stored revision with ``HEAD`` without importing Alembic;
a test checks that this list matches the migration scripts.
"""

REVISIONS: tuple[str, ...] = (
    "0001_foundation",
    "0002_customers",
    "0003_contracts",
    "0004_reports",
    "0005_customer_pinyin",
    "0012_report_delivery_states",
    "0008_money",
    "0011_invoicing_details",
    "0007_team_controls",
    "0013_invisible_name_keys",
    "0009_approval_flows",
    "0006_controls",
    "0014_customer_company",
    "0010_quotes",
    "0018_needs",
    "0015_followup_details",
    "0019_amount_in_base",
)
HEAD = REVISIONS[-1]
