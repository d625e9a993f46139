"""The money sections of the daily report: receipts overdue (逾期回款) for the contract's
owner and for finance, and invoices to issue (待开票) for finance.

The rows come from the money service (``money.overdue_receivables`` and
``money.invoices_to_issue``); this module words each item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bizops.domain.money import money_str
from bizops.i18n import _
from bizops.reports.daily.common import PerUser, Recipient, amount, contract_words, days, per_user
from bizops.reports.daily.items import InvoiceToIssueItem, ReceiptOverdueItem

FINANCE = "finance"


def _receipt_item(row: Mapping[str, Any], today: date) -> ReceiptOverdueItem:
    oldest: date = row["oldest_due"]
    late = (today - oldest).days
    what = contract_words(
        row["contract"], row["title"], row["customer"], amount(row["amount"], row["currency"])
    )
    return {
        "contract": row["contract"],
        "title": row["title"],
        "customer": row["customer"],
        "owner": row["owner"],
        "currency": row["currency"],
        "overdue": money_str(row["overdue"]) or "0.00",
        "outstanding": money_str(row["outstanding"]) or "0.00",
        "oldest_due": oldest.isoformat(),
        "days_overdue": late,
        "action": _(
            "Chase {overdue} overdue on {what}: the oldest was due {date}, {days} ago"
        ).format(
            overdue=amount(row["overdue"], row["currency"]),
            what=what,
            date=oldest.isoformat(),
            days=days(late),
        ),
    }


def _invoice_item(row: Mapping[str, Any], today: date) -> InvoiceToIssueItem:
    waiting = (today - row["requested_on"]).days
    return {
        "id": row["id"],
        "contract": row["contract"],
        "customer": row["customer"],
        "type": row["type"],
        "amount": money_str(row["amount"]) or "0.00",
        "currency": row["currency"],
        "requested_on": row["requested_on"].isoformat(),
        "requested_by": row["requested_by"],
        "action": _(
            "Issue invoice request {id}: {amount} for {contract} ({customer}), requested by "
            "{who} on {date}: `bizops contract invoice issue {id} --number N --tax-rate R`"
        ).format(
            id=row["id"],
            amount=amount(row["amount"], row["currency"]),
            contract=row["contract"],
            customer=row["customer"],
            who=row["requested_by"],
            date=row["requested_on"].isoformat(),
        )
        + (_(" (waiting {days})").format(days=days(waiting)) if waiting > 0 else ""),
    }


def money_sections(
    receipts: Sequence[Mapping[str, Any]],
    invoices: Sequence[Mapping[str, Any]],
    *,
    recipients: Sequence[Recipient],
    today: date,
) -> tuple[PerUser[ReceiptOverdueItem], PerUser[InvoiceToIssueItem]]:
    """Receipts overdue: the owner's contracts, and every contract for finance. Invoices to
    issue: for finance."""
    overdue: PerUser[ReceiptOverdueItem] = per_user(recipients)
    to_issue: PerUser[InvoiceToIssueItem] = per_user(recipients)
    # Each item is put into words once, when a recipient first needs it (the daily report
    # asks for one recipient at a time: the owner's few, or everything for finance).
    receipt_items: dict[int, ReceiptOverdueItem] = {}
    invoice_items: list[InvoiceToIssueItem] | None = None
    for r in recipients:
        finance = FINANCE in r.roles
        for n, row in enumerate(receipts):
            if finance or row["owner"] == r.login:
                item = receipt_items.get(n)
                if item is None:
                    item = receipt_items[n] = _receipt_item(row, today)
                overdue[r.id].append(item)
        if finance:
            if invoice_items is None:
                invoice_items = [_invoice_item(row, today) for row in invoices]
            to_issue[r.id] = list(invoice_items)
    return overdue, to_issue
