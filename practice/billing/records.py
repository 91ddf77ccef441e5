"""Plain input forms and read models for billing: tax rates, services, invoices, payments, reports.

Money is `Decimal` in the practice currency, exact to the cent; the database keeps integer cents.
Tax is worked out per line and per rate and rounded half up to the cent (`money.line_tax`), then
summed; the invoice total is the sum of the rounded line amounts, so every printed figure adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from practice.billing.money import from_cents

ZERO = Decimal("0.00")


class ServiceKind(StrEnum):
    TREATMENT = "treatment"  # a visit or anything billed once
    PACKAGE = "package"  # a prepaid bundle of visits of another service


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"  # voids one issued invoice in full; its own number sequence


class InvoiceStatus(StrEnum):
    DRAFT = "draft"  # editable, no number yet
    ISSUED = "issued"  # numbered and immutable, nothing paid yet
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    VOID = "void"  # cancelled by a credit note

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "issued": "Issued",
            "partly_paid": "Partly paid",
            "paid": "Paid",
            "void": "Void",
        }[self]


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    E_TRANSFER = "e_transfer"
    INSURER = "insurer"  # paid by the client's insurer directly
    GIFT_CERTIFICATE = "gift_certificate"  # redeemed; the reference is the certificate number
    PACKAGE_CREDIT = "package_credit"  # drawn from a prepaid package (not new money)
    ACCOUNT_CREDIT = "account_credit"  # the client's credit applied (not new money)

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]

    @property
    def is_money(self) -> bool:
        """Money received; the two credit methods only move credit the client already has."""
        return self not in (PaymentMethod.PACKAGE_CREDIT, PaymentMethod.ACCOUNT_CREDIT)


METHOD_LABELS = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.CARD: "Card",
    PaymentMethod.CHEQUE: "Cheque",
    PaymentMethod.E_TRANSFER: "E-transfer",
    PaymentMethod.INSURER: "Insurer",
    PaymentMethod.GIFT_CERTIFICATE: "Gift certificate",
    PaymentMethod.PACKAGE_CREDIT: "Package credit",
    PaymentMethod.ACCOUNT_CREDIT: "Account credit",
}
MONEY_METHODS = tuple(m for m in PaymentMethod if m.is_money)


class UnitRule(StrEnum):
    CMS = "cms"  # 8-minute rule over the day's total timed minutes (Medicare)
    PER_CODE = "per_code"  # each code on its own minutes (midpoint rule of some payers)

    @property
    def label(self) -> str:
        return {
            "cms": "CMS 8-minute rule (total timed minutes)",
            "per_code": "Per code (each code needs 8 minutes)",
        }[self]


# ---------------------------------------------------------------- tax rates and services


@dataclass(frozen=True, slots=True)
class TaxRateForm:
    name: str  # "HST", "VAT", "GST"
    rate: Decimal  # a percentage: Decimal("13") is 13 %, up to 3 decimals (9.975)
    registration: str = ""  # the practice's number for this tax, printed on receipts


@dataclass(frozen=True, slots=True)
class TaxRate(TaxRateForm):
    id: int = 0
    archived: bool = False

    @property
    def label(self) -> str:
        """'HST 13%', 'QST 9.975%'."""
        return f"{self.name} {self.rate.normalize():f}%"


@dataclass(frozen=True, slots=True)
class ServiceForm:
    name: str
    price: Decimal  # before tax; for a package, the price of the whole bundle
    duration_minutes: int | None = None  # None for things that take no time (a package)
    tax_rate_ids: tuple[int, ...] = ()  # empty: not taxed
    billing_codes: tuple[str, ...] = ()  # CPT codes, e.g. ("97124",)
    modifier: str = ""  # e.g. "59" or "GP", printed on the superbill next to the codes
    description: str = ""
    kind: ServiceKind = ServiceKind.TREATMENT
    package_visits: int | None = None  # packages only: how many visits the bundle holds
    package_service_id: int | None = None  # packages only: the service each visit is


@dataclass(frozen=True, slots=True)
class Service(ServiceForm):
    id: int = 0
    archived: bool = False
    tax_rates: tuple[TaxRate, ...] = ()

    def form(self) -> ServiceForm:
        return ServiceForm(
            self.name,
            self.price,
            self.duration_minutes,
            self.tax_rate_ids,
            self.billing_codes,
            self.modifier,
            self.description,
            self.kind,
            self.package_visits,
            self.package_service_id,
        )


# ---------------------------------------------------------------- settings


DEFAULT_INVOICE_PREFIX = "{year}-"
DEFAULT_CREDIT_NOTE_PREFIX = "CN-"
DEFAULT_RECEIPT_WORDING = "Massage therapy treatment"


@dataclass(frozen=True, slots=True)
class BillingSettings:
    """`{year}` in a prefix is replaced by the year of issue; each prefix numbers from 1."""

    invoice_prefix: str = DEFAULT_INVOICE_PREFIX
    credit_note_prefix: str = DEFAULT_CREDIT_NOTE_PREFIX
    number_digits: int = 4  # 2026-0007
    payment_terms_days: int = 30
    unit_rule: UnitRule = UnitRule.CMS
    place_of_service: str = "11"  # CMS place-of-service code (visits.records.PLACES_OF_SERVICE)
    receipt_wording: str = DEFAULT_RECEIPT_WORDING
    invoice_notes: str = ""  # default notes printed on new invoices


# ---------------------------------------------------------------- invoices


@dataclass(frozen=True, slots=True)
class LineForm:
    """One invoice line as typed. Leave unit_price None to take the service's price."""

    description: str = ""  # empty: the service's name
    service_id: int | None = None
    quantity: int = 1
    unit_price: Decimal | None = None
    discount: Decimal = ZERO  # an amount off the line, before tax
    tax_rate_ids: tuple[int, ...] | None = None  # None: the service's tax treatment
    visit_id: int | None = None
    service_date: date | None = None  # the date of service; the visit's day when billed


@dataclass(frozen=True, slots=True)
class LineTax:
    tax_rate_id: int | None
    name: str
    rate: Decimal  # percent
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: int
    position: int
    description: str
    service_id: int | None
    quantity: int
    unit_price: Decimal
    discount: Decimal
    taxes: tuple[LineTax, ...]
    visit_id: int | None
    service_date: date | None
    package_id: int | None = None  # the package this visit is drawn from, if any

    @property
    def gross(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def net(self) -> Decimal:
        """The line after its discount, before tax."""
        return self.gross - self.discount

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), ZERO)

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class TaxLine:
    """One tax on the whole invoice: the sum of the per-line rounded amounts for that rate."""

    name: str
    rate: Decimal
    taxable: Decimal  # the net amount of the lines this tax applies to
    amount: Decimal
    registration: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} {self.rate.normalize():f}%"


@dataclass(frozen=True, slots=True)
class Invoice:
    id: int
    kind: InvoiceKind
    client_id: int
    client_name: str
    number: str | None  # None while a draft
    status: InvoiceStatus
    created_on: date
    issued_on: date | None
    due_on: date | None
    lines: tuple[InvoiceLine, ...]
    tax_lines: tuple[TaxLine, ...]
    subtotal: Decimal  # sum of quantity x unit price
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal  # subtotal - discount_total + tax_total
    paid: Decimal  # applied by payments and credits (0 for a credit note)
    credited: Decimal  # by the credit note that voided it
    balance: Decimal  # what is still owed: total - credited - paid
    currency: str
    notes: str = ""
    terms: str = ""
    credit_note_id: int | None = None  # on a voided invoice: the credit note
    credits_invoice_id: int | None = None  # on a credit note: the invoice it voids
    credits_invoice_number: str | None = None
    void_reason: str = ""
    issued_at: datetime | None = None
    receipts_issued: int = 0
    version: int = 0  # as read: a draft's save passes it back (store.versions)

    @property
    def editable(self) -> bool:
        return self.status is InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind is InvoiceKind.CREDIT_NOTE

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.due_on and self.balance > 0 else 0


class InvoiceSummary(NamedTuple):
    """A row of an invoice list, as the database gives it: integer cents, stored codes and ISO
    days (the status is worked out in SQL). A list of thousands is read at the speed of the
    query; the Decimals, dates and enums a screen shows are made when a row is shown (the
    properties below)."""

    id: int
    kind_code: str  # InvoiceKind
    client_id: int
    client_name: str
    number: str | None
    status_code: str  # InvoiceStatus: draft, issued, partly_paid, paid or void
    created_day: str  # ISO days
    issued_day: str | None
    due_day: str | None
    total_cents: int
    paid_cents: int
    balance_cents: int  # what is still owed: total - credited - paid (0 for drafts and notes)

    @property
    def kind(self) -> InvoiceKind:
        return InvoiceKind(self.kind_code)

    @property
    def status(self) -> InvoiceStatus:
        return InvoiceStatus(self.status_code)

    @property
    def created_on(self) -> date:
        return date.fromisoformat(self.created_day)

    @property
    def issued_on(self) -> date | None:
        return date.fromisoformat(self.issued_day) if self.issued_day else None

    @property
    def due_on(self) -> date | None:
        return date.fromisoformat(self.due_day) if self.due_day else None

    @property
    def total(self) -> Decimal:
        return from_cents(self.total_cents)

    @property
    def paid(self) -> Decimal:
        return from_cents(self.paid_cents)

    @property
    def balance(self) -> Decimal:
        return from_cents(self.balance_cents)

    @property
    def outstanding(self) -> bool:
        """Issued (not void, not a draft, not a credit note) with money still owed."""
        return self.balance_cents > 0 and self.status_code in _OWING

    def is_overdue(self, today: date) -> bool:
        """Outstanding past its due day."""
        return bool(self.due_day and self.outstanding and self.due_day < today.isoformat())


_OWING = frozenset({"issued", "partly_paid"})


# ---------------------------------------------------------------- payments and receipts


@dataclass(frozen=True, slots=True)
class PaymentForm:
    """Money or credit put against a client's account.

    `allocations` maps invoice id to the amount applied to it; when empty the amount goes to
    `invoice_id`, or is kept as account credit when `as_credit`. Paying more than an invoice's
    balance is refused unless `as_credit` keeps the rest as account credit.
    """

    amount: Decimal
    method: PaymentMethod
    received_on: date | None = None  # default: today
    invoice_id: int | None = None
    allocations: tuple[tuple[int, Decimal], ...] = ()  # split one payment over invoices
    as_credit: bool = False
    reference: str = ""  # cheque number, card slip, insurer claim number
    note: str = ""


@dataclass(frozen=True, slots=True)
class Allocation:
    invoice_id: int
    invoice_number: str | None
    amount: Decimal  # negative when released by a credit note


@dataclass(frozen=True, slots=True)
class Refund:
    id: int
    payment_id: int
    amount: Decimal
    method: PaymentMethod
    refunded_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Payment:
    id: int
    client_id: int
    amount: Decimal
    method: PaymentMethod
    received_on: date
    reference: str
    note: str
    allocations: tuple[Allocation, ...]
    refunds: tuple[Refund, ...]
    package_id: int | None = None  # bought this package, or (package credit) drew from it

    @property
    def applied(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), ZERO)

    @property
    def unapplied(self) -> Decimal:
        """Left over as credit (on the account, or in the package it bought)."""
        return self.amount - self.applied - self.refunded


@dataclass(frozen=True, slots=True)
class Receipt:
    """One printing of a receipt. The first of an invoice is the original, then duplicates."""

    id: int
    invoice_id: int
    number: int  # 1 for the original, 2 for the first duplicate ...
    issued_at: datetime
    issued_by: str

    @property
    def duplicate(self) -> bool:
        return self.number > 1

    @property
    def issued_on(self) -> date:
        return self.issued_at.astimezone().date()


# ---------------------------------------------------------------- packages and accounts


@dataclass(frozen=True, slots=True)
class Package:
    id: int
    client_id: int
    service_id: int  # the package service sold
    name: str
    visit_service_id: int  # the service each visit is
    visits: int
    used: int
    price: Decimal  # before tax
    value: Decimal  # what the client paid for it, tax included
    remaining_value: Decimal
    bought_on: date
    payment_id: int
    closed: bool = False  # refunded

    @property
    def remaining(self) -> int:
        return 0 if self.closed else self.visits - self.used


@dataclass(frozen=True, slots=True)
class ClientAccount:
    """A client's standing. balance = invoiced - credited - paid + refunded.

    `owed` is what open invoices still need; `credit` is money held for the client (account
    credit plus what is left in packages). balance == owed - credit always holds.
    """

    client_id: int
    invoiced: Decimal
    credited: Decimal
    paid: Decimal  # money received (not credit moved between invoices)
    refunded: Decimal
    owed: Decimal
    account_credit: Decimal
    package_credit: Decimal
    packages: tuple[Package, ...]
    currency: str

    @property
    def balance(self) -> Decimal:
        return self.invoiced - self.credited - self.paid + self.refunded

    @property
    def credit(self) -> Decimal:
        return self.account_credit + self.package_credit


# ---------------------------------------------------------------- superbill


@dataclass(frozen=True, slots=True)
class SuperbillDiagnosis:
    pointer: int  # 1-12, PlanDiagnosisRow.position; printed as A-L on a CMS-1500
    code: str
    description: str

    @property
    def letter(self) -> str:
        return "ABCDEFGHIJKL"[self.pointer - 1]


@dataclass(frozen=True, slots=True)
class SuperbillLine:
    """One CPT code on one date of service (CMS-1500 box 24)."""

    service_date: date
    cpt: str
    modifier: str
    minutes: int
    units: int
    charge: Decimal
    pointers: tuple[int, ...]  # diagnosis pointers (up to 4)
    place_of_service: str
    description: str = ""

    @property
    def pointer_letters(self) -> str:
        return "".join("ABCDEFGHIJKL"[p - 1] for p in self.pointers)


@dataclass(frozen=True, slots=True)
class SuperbillVisit:
    visit_id: int
    service_date: date
    place_of_service: str
    timed_minutes: int
    lines: tuple[SuperbillLine, ...]
    charge: Decimal  # the visit's invoiced amount (tax excluded)
    paid: Decimal
    invoice_numbers: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # e.g. 97124 and 97140 on the same day
    tax: Decimal = Decimal("0.00")  # sales tax on the visit's lines (HST, VAT), if any


@dataclass(frozen=True, slots=True)
class Superbill:
    client_id: int
    client_name: str
    date_of_birth: date | None
    since: date
    until: date
    diagnoses: tuple[SuperbillDiagnosis, ...]
    referring_physician: str
    referring_physician_npi: str
    unit_rule: UnitRule
    visits: tuple[SuperbillVisit, ...]
    currency: str

    @property
    def lines(self) -> tuple[SuperbillLine, ...]:
        return tuple(line for visit in self.visits for line in visit.lines)

    @property
    def total_charge(self) -> Decimal:
        return sum((v.charge for v in self.visits), ZERO)

    @property
    def total_tax(self) -> Decimal:
        return sum((v.tax for v in self.visits), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((v.paid for v in self.visits), ZERO)

    @property
    def balance(self) -> Decimal:
        """What is still owed for these dates of service: charges plus tax less payments."""
        return self.total_charge + self.total_tax - self.total_paid

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for v in self.visits for w in v.warnings)


# ---------------------------------------------------------------- reports

AGEING_BUCKETS = ("0-30", "31-60", "61-90", "90+")


@dataclass(frozen=True, slots=True)
class AgeingRow:
    client_id: int
    client_name: str
    invoices: int
    current: Decimal  # 0-30 days since issue
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal
    oldest_issued_on: date


@dataclass(frozen=True, slots=True)
class AgeingReport:
    as_of: date
    rows: tuple[AgeingRow, ...]  # largest total first
    current: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class RevenueRow:
    key: str  # "2026-03", a service name, or a payment method label
    invoiced: Decimal  # net of credit notes, before tax (by month and by service)
    tax: Decimal
    received: Decimal  # money received (by month and by method)
    count: int


@dataclass(frozen=True, slots=True)
class RevenueReport:
    since: date
    until: date
    by_month: tuple[RevenueRow, ...]
    by_service: tuple[RevenueRow, ...]
    by_method: tuple[RevenueRow, ...]
    invoiced: Decimal
    tax: Decimal
    received: Decimal
    refunded: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class TaxReportRow:
    name: str
    rate: Decimal
    registration: str
    taxable: Decimal  # net sales the tax applies to, after credit notes
    collected: Decimal  # tax on invoices issued in the period
    credited: Decimal  # tax reversed by credit notes issued in the period
    net: Decimal  # collected - credited


@dataclass(frozen=True, slots=True)
class TaxReport:
    since: date
    until: date
    rows: tuple[TaxReportRow, ...]
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Table:
    """A report flattened for CSV and the command line: a header row and rows of cells."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
