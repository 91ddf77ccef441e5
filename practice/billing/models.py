"""Tables for billing: settings, number sequences, tax rates, services, invoices, payments.

Amounts are integer cents and tax rates integer thousandths of a percent, so SQL sums are exact.
An issued invoice, its lines and their taxes are locked by SQLite triggers (migration 0005):
the one change an issued invoice allows is being voided. Payments, allocations, refunds and
receipts are only ever added; a credit note releases allocations by adding negative ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class BillingSettingsRow(Base):
    """One row: numbering, terms, the unit rule and receipt wording."""

    __tablename__ = "billing_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_prefix: Mapped[str] = mapped_column(String(40))
    credit_note_prefix: Mapped[str] = mapped_column(String(40))
    number_digits: Mapped[int] = mapped_column(Integer)
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    unit_rule: Mapped[str] = mapped_column(String(20))
    place_of_service: Mapped[str] = mapped_column(String(2))
    receipt_wording: Mapped[str] = mapped_column(Text)
    invoice_notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NumberSequenceRow(Base):
    """The next number for one rendered prefix ('invoice:2026-'); gapless, bumped on issue."""

    __tablename__ = "number_sequence"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer)


class TaxRateRow(Base):
    __tablename__ = "tax_rate"
    __table_args__ = (CheckConstraint("rate_milli >= 0 AND rate_milli <= 100000", name="percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    # text.name_key(name); None for a duplicate name from before migration 0008.
    name_key: Mapped[str | None] = mapped_column(String(200), index=True, unique=True)
    rate_milli: Mapped[int] = mapped_column(Integer)  # thousandths of a percent
    registration: Mapped[str] = mapped_column(String(60), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ServiceRow(Base):
    __tablename__ = "service"
    __table_args__ = (CheckConstraint("price_cents >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # text.name_key(name); None for a duplicate name from before migration 0008.
    name_key: Mapped[str | None] = mapped_column(String(400), index=True, unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="treatment")
    price_cents: Mapped[int] = mapped_column(Integer)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    billing_codes: Mapped[str] = mapped_column(String(80), default="")  # "97124 97140"
    modifier: Mapped[str] = mapped_column(String(10), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    package_visits: Mapped[int | None] = mapped_column(Integer)
    package_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="RESTRICT")
    )
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ServiceTaxRow(Base):
    __tablename__ = "service_tax"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    tax_rate_id: Mapped[int] = mapped_column(
        ForeignKey("tax_rate.id", ondelete="RESTRICT"), primary_key=True
    )


class InvoiceRow(Base):
    """An invoice or a credit note (`kind`). Totals are stored when issued, from the lines."""

    __tablename__ = "invoice"
    __table_args__ = (
        Index("ix_invoice_status_issued_on", "status", "issued_on"),
        Index("ix_invoice_client_id_created_on", "client_id", "created_on"),
        Index("ix_invoice_issued_on", "issued_on"),  # revenue by period, drafts and voids too
        CheckConstraint("status IN ('draft', 'issued', 'void')", name="status_known"),
        CheckConstraint("(status = 'draft') = (number IS NULL)", name="numbered_when_issued"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="invoice")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    notes: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    credits_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), unique=True
    )
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Grows with every save: a save made from an older version is refused (store.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class InvoiceLineRow(Base):
    __tablename__ = "invoice_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="price_not_negative"),
        CheckConstraint("discount_cents >= 0", name="discount_not_negative"),
        CheckConstraint("net_cents >= 0", name="net_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    net_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), index=True
    )
    service_date: Mapped[date | None] = mapped_column(Date)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("package.id", ondelete="RESTRICT"))


class InvoiceLineTaxRow(Base):
    """One tax of one line, as worked out on the day (later rate changes do not touch it)."""

    __tablename__ = "invoice_line_tax"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("invoice_line.id", ondelete="RESTRICT"), index=True
    )
    tax_rate_id: Mapped[int | None] = mapped_column(ForeignKey("tax_rate.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(40))
    rate_milli: Mapped[int] = mapped_column(Integer)
    registration: Mapped[str] = mapped_column(String(60), default="")
    amount_cents: Mapped[int] = mapped_column(Integer)


class PackageRow(Base):
    """A prepaid bundle, bought by the one money payment that names it (payment.package_id)
    and drawn down by package-credit payments that name it too."""

    __tablename__ = "package"
    __table_args__ = (CheckConstraint("visits > 0", name="visits_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    visit_service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    visits: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(Integer)  # before tax
    value_cents: Mapped[int] = mapped_column(Integer)  # paid, tax included
    # [[tax_rate_id, name, rate_milli, registration]] as sold: each visit is taxed the same way.
    taxes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    bought_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PaymentRow(Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        Index("ix_payment_client_id_received_on", "client_id", "received_on"),
        Index("ix_payment_received_on", "received_on"),  # money in by period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    method: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # A money payment that bought this package, or a package-credit payment drawn from it.
    package_id: Mapped[int | None] = mapped_column(
        ForeignKey("package.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")


class AllocationRow(Base):
    """Part of a payment applied to an invoice; negative when a credit note releases it."""

    __tablename__ = "payment_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    amount_cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefundRow(Base):
    __tablename__ = "refund"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    refunded_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")


class ReceiptRow(Base):
    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("invoice_id", "number", name="uq_receipt_invoice_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)  # 1 = original, then duplicates
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(120), default="")
