"""Billing use cases, one import for every caller; each lives in the module named for it.

Every write runs in one `db.transaction()`, which takes SQLite's write lock up front (BEGIN
IMMEDIATE), so two invoices issued at the same moment are numbered one after the other and
a payment checks the balance it changes. Issued invoices are refused here with
LockedRecordError and, should any other code path try, by the triggers of migration 0005.

The ledger (see `ClientAccount`): balance = invoiced - credited - paid + refunded, where `paid`
is money received. Money not applied to an invoice is credit: account credit, or what is left
in a prepaid package. Package credit and account credit pay invoices without being new money.

catalogue (tax rates, services), numbering (settings, invoice numbers), invoices (drafts, issue,
bill, void), queries (reading invoices), payments (and refunds), packages, accounts, receipts;
below them lines (lines and totals), ledger (the money sums) and rules (limits, shared checks).
"""

from __future__ import annotations

from practice.billing.accounts import client_account
from practice.billing.catalogue import (
    archive_service,
    archive_tax_rate,
    get_service,
    list_services,
    list_tax_rates,
    save_service,
    save_tax_rate,
)
from practice.billing.invoices import (
    add_line,
    bill_visit,
    bill_visits,
    create_invoice,
    delete_draft,
    issue_invoice,
    remove_line,
    update_draft,
    void_invoice,
)
from practice.billing.numbering import get_settings, next_number, render_prefix, save_settings
from practice.billing.packages import packages_for, sell_package
from practice.billing.payments import get_payment, list_payments, record_payment, refund_payment
from practice.billing.queries import (
    get_invoice,
    invoice_by_number,
    invoices_for_visit,
    list_invoices,
)
from practice.billing.receipts import issue_receipt, receipts_for
from practice.billing.rules import (
    MAX_DURATION_MINUTES,
    MAX_NAME,
    MAX_NUMBER_DIGITS,
    MAX_PACKAGE_VISITS,
    MAX_PAYMENT_TERMS_DAYS,
    MAX_QUANTITY,
    MAX_TAX_NAME,
    practice_currency,
)

__all__ = [
    "MAX_DURATION_MINUTES",
    "MAX_NAME",
    "MAX_NUMBER_DIGITS",
    "MAX_PACKAGE_VISITS",
    "MAX_PAYMENT_TERMS_DAYS",
    "MAX_QUANTITY",
    "MAX_TAX_NAME",
    "add_line",
    "archive_service",
    "archive_tax_rate",
    "bill_visit",
    "bill_visits",
    "client_account",
    "create_invoice",
    "delete_draft",
    "get_invoice",
    "get_payment",
    "get_service",
    "get_settings",
    "invoice_by_number",
    "invoices_for_visit",
    "issue_invoice",
    "issue_receipt",
    "list_invoices",
    "list_payments",
    "list_services",
    "list_tax_rates",
    "next_number",
    "packages_for",
    "practice_currency",
    "receipts_for",
    "record_payment",
    "refund_payment",
    "remove_line",
    "render_prefix",
    "save_service",
    "save_settings",
    "save_tax_rate",
    "sell_package",
    "update_draft",
    "void_invoice",
]
