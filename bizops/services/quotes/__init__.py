"""Products and quotations (报价单), with their approval.

- ``products``: the price list, with floor prices seen by managers and finance only.
- ``editing``: `quote new`, `quote line add|remove`, `quote update`.
- ``lifecycle``: `quote route|submit|send|accept|reject`, and ``apply_outcome`` for the
  approvals' decisions.
- ``listing``: `quote list`, `quote show`.
- ``records``: finding a quote and the figures of its lines.
- ``stats``: `report quotes`.
"""

from __future__ import annotations

from bizops.services.quotes.drafting import QuoteDraft, draft_quote
from bizops.services.quotes.editing import add_line, new_quote, remove_line, update_quote
from bizops.services.quotes.lifecycle import (
    accept_quote,
    apply_outcome,
    mark_contracted,
    reject_quote,
    route,
    send_quote,
    submit_quote,
)
from bizops.services.quotes.listing import list_quotes, show_quote
from bizops.services.quotes.products import (
    PRODUCT_COLUMNS,
    ProductImport,
    add_product,
    archive_product,
    import_products,
    list_products,
    sees_floor,
    show_product,
    update_product,
)
from bizops.services.quotes.records import find_quote, lines_of
from bizops.services.quotes.stats import quote_stats
from bizops.services.views.quotes import (
    ProductRow,
    ProductRowWithFloor,
    QuoteLineView,
    QuoteRouteView,
    QuoteRow,
    QuoteView,
)

__all__ = [
    "PRODUCT_COLUMNS",
    "ProductImport",
    "ProductRow",
    "ProductRowWithFloor",
    "QuoteDraft",
    "QuoteLineView",
    "QuoteRouteView",
    "QuoteRow",
    "QuoteView",
    "accept_quote",
    "add_line",
    "add_product",
    "apply_outcome",
    "archive_product",
    "draft_quote",
    "find_quote",
    "import_products",
    "lines_of",
    "list_products",
    "list_quotes",
    "mark_contracted",
    "new_quote",
    "quote_stats",
    "reject_quote",
    "remove_line",
    "route",
    "send_quote",
    "sees_floor",
    "show_product",
    "show_quote",
    "submit_quote",
    "update_product",
    "update_quote",
]
