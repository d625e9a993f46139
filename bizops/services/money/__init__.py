"""Money in and out of contracts.

- ``invoices``: invoice requests by the owner, issued or voided by finance.
- ``receipts``: money received (回款), spread over the payment milestones, advances.
- ``payments``: purchase payments through approval.payment_rules, paid by finance.
- ``writeoffs``: write-offs through approval.writeoff_rules, and what a closed request of a
  payment or a write-off does (``close_money_request``, called by the contracts service).
- ``receivables``: `report receivables` and `report payables`.
- ``common``: who may act, totals per contract, settling milestones.

Money knows approvals (it opens requests) but not the contracts service: the contracts
service asks it what is outstanding and hands it closed requests.

Each name below is imported from its module on first use, so that a command loads only the
modules it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bizops.services.money.bank_import import (
        import_receipts,
        parse_bank_map,
        read_bank_file,
    )
    from bizops.services.money.common import Totals, outstanding_text, totals
    from bizops.services.money.invoices import (
        invoices_to_issue,
        issue_invoice,
        list_invoices,
        request_invoice,
        void_invoice,
    )
    from bizops.services.money.payments import list_payments, pay_payment, request_payment
    from bizops.services.money.receipts import add_receipt, list_receipts
    from bizops.services.money.receivables import money_report, overdue_receivables
    from bizops.services.money.writeoffs import close_money_request, request_writeoff
    from bizops.services.views.money import (
        BankLine,
        InvoiceRow,
        PaymentRow,
        ReceiptRow,
        ReceivableRow,
        ReceivablesReport,
        ReceivableTotal,
        WriteOffRow,
    )

# Name -> the module it is defined in.
_HOMES: dict[str, str] = {
    "import_receipts": "bizops.services.money.bank_import",
    "parse_bank_map": "bizops.services.money.bank_import",
    "read_bank_file": "bizops.services.money.bank_import",
    "Totals": "bizops.services.money.common",
    "outstanding_text": "bizops.services.money.common",
    "totals": "bizops.services.money.common",
    "invoices_to_issue": "bizops.services.money.invoices",
    "issue_invoice": "bizops.services.money.invoices",
    "list_invoices": "bizops.services.money.invoices",
    "request_invoice": "bizops.services.money.invoices",
    "void_invoice": "bizops.services.money.invoices",
    "list_payments": "bizops.services.money.payments",
    "pay_payment": "bizops.services.money.payments",
    "request_payment": "bizops.services.money.payments",
    "add_receipt": "bizops.services.money.receipts",
    "list_receipts": "bizops.services.money.receipts",
    "money_report": "bizops.services.money.receivables",
    "overdue_receivables": "bizops.services.money.receivables",
    "close_money_request": "bizops.services.money.writeoffs",
    "request_writeoff": "bizops.services.money.writeoffs",
    "BankLine": "bizops.services.views.money",
    "InvoiceRow": "bizops.services.views.money",
    "PaymentRow": "bizops.services.views.money",
    "ReceiptRow": "bizops.services.views.money",
    "ReceivableRow": "bizops.services.views.money",
    "ReceivablesReport": "bizops.services.views.money",
    "ReceivableTotal": "bizops.services.views.money",
    "WriteOffRow": "bizops.services.views.money",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BankLine",
    "InvoiceRow",
    "PaymentRow",
    "ReceiptRow",
    "ReceivableRow",
    "ReceivableTotal",
    "ReceivablesReport",
    "Totals",
    "WriteOffRow",
    "add_receipt",
    "close_money_request",
    "invoices_to_issue",
    "import_receipts",
    "parse_bank_map",
    "issue_invoice",
    "list_invoices",
    "list_payments",
    "list_receipts",
    "money_report",
    "outstanding_text",
    "overdue_receivables",
    "pay_payment",
    "request_invoice",
    "request_payment",
    "read_bank_file",
    "request_writeoff",
    "totals",
    "void_invoice",
]
