"""Storage: tables, the engine and sessions, migrations, the audit hash chain."""
