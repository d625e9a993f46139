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
``archiving``, ``queries`` (list, show), ``needs`` (needs analysis), ``import_files`` (reading), ``import_rows``
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
    f"{__name__}.profile",
    f"{__name__}.queries",
    f"{__name__}.stages",
    f"{__name__}.updating",
    f"{__name__}.views",
)


def __getattr__(name: str) -> Any:
    if not name.startswith("_"):
        for module_name in MODULES:
            module = importlib.import_module(module_name)
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
