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
"""

from __future__ import annotations

from bizops.services.money.bank_import import import_receipts, read_bank_file
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
