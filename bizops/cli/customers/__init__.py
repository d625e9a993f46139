"""bizops customer: add, find, grade, move, archive, import and export customers.

The group is defined in ``group``; each module registers its commands on it when imported,
and `--help` lists them in that order: records (add, list, show, update, archive, restore),
pipeline (stage, grade, regrade), transfer (import, export), contacts (`customer contact`), needs (`customer needs`).
"""

from __future__ import annotations

from bizops.cli.customers.group import app, contact_app

# isort: off
from bizops.cli.customers import records
from bizops.cli.customers import pipeline
from bizops.cli.customers import transfer
from bizops.cli.customers import contacts
from bizops.cli.customers import needs

# isort: on

__all__ = ["app", "contact_app", "contacts", "needs", "pipeline", "records", "transfer"]
