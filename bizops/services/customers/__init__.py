"""Customers and the pipeline.

Who may write: an active user with the role sales, manager or admin. A sales rep changes only
the customers they own; managers and admins change any. Reading is open to every user.
Every write records one audit event (``customer.*``) in the caller's transaction, and every
change that affects scheduling (stage, grade, cadence, archive, restore) reschedules the
customer's open follow-up so that each active customer has exactly one.

One way to create a customer: `customer add` and `customer import` check fields by the same
rules (``bizops.domain.customer_fields``) and write the rows of the same pure builder
(``bizops.domain.customer_rows``), through the ORM one at a time or in bulk.

The modules, by seam: ``permissions``, ``duplicates``, ``views`` (the declared shapes of
every result), ``profile``, ``adding``, ``updating``, ``stages``, ``grading``, ``contacts``,
``archiving``, ``pool`` (the shared pool: release, claim, return), ``queries`` (list, show),
``needs`` (needs analysis), ``import_files`` (reading), ``import_rows``
(checking), ``import_writer`` (bulk writing), ``importing``, ``exporting``. Their public
names are re-exported here and load on first use, so that the command line can read the
declared views at start-up without loading the database layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bizops.domain.customer_fields import *  # noqa: F403
    from bizops.services.customers.adding import *  # noqa: F403
    from bizops.services.customers.archiving import *  # noqa: F403
    from bizops.services.customers.contacts import *  # noqa: F403
    from bizops.services.customers.duplicates import *  # noqa: F403
    from bizops.services.customers.exporting import *  # noqa: F403
    from bizops.services.customers.grading import *  # noqa: F403
    from bizops.services.customers.import_files import *  # noqa: F403
    from bizops.services.customers.import_rows import *  # noqa: F403
    from bizops.services.customers.import_writer import *  # noqa: F403
    from bizops.services.customers.importing import *  # noqa: F403
    from bizops.services.customers.invoicing import *  # noqa: F403
    from bizops.services.customers.needs import *  # noqa: F403
    from bizops.services.customers.permissions import *  # noqa: F403
    from bizops.services.customers.pool import *  # noqa: F403
    from bizops.services.customers.profile import *  # noqa: F403
    from bizops.services.customers.queries import *  # noqa: F403
    from bizops.services.customers.stages import *  # noqa: F403
    from bizops.services.customers.updating import *  # noqa: F403
    from bizops.services.customers.views import *  # noqa: F403

# Where the re-exported names live (each module's ``__all__``), in the order searched.
MODULES: tuple[str, ...] = (
    "bizops.domain.customer_fields",
    f"{__name__}.adding",
    f"{__name__}.archiving",
    f"{__name__}.contacts",
    f"{__name__}.duplicates",
    f"{__name__}.exporting",
    f"{__name__}.grading",
    f"{__name__}.import_files",
    f"{__name__}.import_rows",
    f"{__name__}.import_writer",
    f"{__name__}.importing",
    f"{__name__}.invoicing",
    f"{__name__}.needs",
    f"{__name__}.permissions",
    f"{__name__}.pool",
    f"{__name__}.profile",
    f"{__name__}.queries",
    f"{__name__}.stages",
    f"{__name__}.updating",
    f"{__name__}.views",
)


# Where the commands' names live, so that the first use of one imports its module alone
# (walking MODULES in order would import the bulk import's and the export's modules before
# `customer show` finds its function). A name not listed here is still found through
# MODULES; tests/unit check that each listed name is in its module's ``__all__``.
HOMES: dict[str, tuple[str, ...]] = {
    "adding": ("add_customer", "insert_customer_rows"),
    "archiving": ("archive_customer", "restore_customer"),
    "contacts": ("add_contact", "list_contacts", "remove_contact"),
    "duplicates": ("check_email_free", "check_name_free", "describe"),
    "exporting": ("export_rows", "flatten_for_csv"),
    "grading": ("regrade", "regrade_row", "set_grade", "suggest_grade"),
    "import_files": (
        "CONTACT_SEPARATOR",
        "HEADER_ALIASES",
        "REJECT_COLUMNS",
        "REQUIRED",
        "TAG_SEPARATOR",
        "RawRow",
        "Table",
        "accepted_headers",
        "decode_text",
        "read_csv_text",
        "read_json_text",
        "read_table",
        "read_xlsx",
        "write_rejects",
    ),
    "import_rows": ("Owners", "RowChecker", "check_row", "contacts_of_row"),
    "import_writer": ("BATCH", "Inserted", "insert_customers", "large_cache"),
    "importing": ("ImportResult", "Progress", "import_customers"),
    "invoicing": ("set_invoicing",),
    "permissions": (
        "WRITER_ROLES",
        "active_owner",
        "require_active",
        "require_may_change",
        "require_writer",
    ),
    "profile": ("customer_view",),
    "queries": ("RECENT", "SCOPES", "SORTS", "list_customers", "show_customer"),
    "stages": ("apply_contract_stage", "has_signed_contract", "move_stage"),
    "updating": ("update_customer",),
    "views": (
        "ContactView",
        "ContractItem",
        "CustomerListRow",
        "CustomerShow",
        "CustomerView",
        "ExportRow",
        "FollowUpItem",
        "GradeChangeView",
        "GradeSuggestion",
        "ImportSummary",
        "InteractionItem",
        "InvoicingView",
        "NextFollowUp",
        "RegradeChange",
        "RegradeRow",
        "StageHistoryItem",
        "StageMoveView",
    ),
}
_HOME = {name: module for module, names in HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if not name.startswith("_"):
        home = _HOME.get(name)
        for module_name in (f"{__name__}.{home}",) if home else MODULES:
            module = importlib.import_module(module_name)
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
