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
    "0010_quotes",
)
HEAD = REVISIONS[-1]
