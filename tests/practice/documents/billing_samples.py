"""Billing records for the document tests, built by hand with figures that add up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from practice.billing.money import from_cents, line_tax, rate_to_milli, to_cents
from practice.billing.records import (
    ZERO,
    Allocation,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineTax,
    Payment,
    PaymentMethod,
    Receipt,
    Service,
    Superbill,
    SuperbillDiagnosis,
    SuperbillLine,
    SuperbillVisit,
    TaxLine,
    TaxRate,
    UnitRule,
)

GST = TaxRate("GST", Decimal("5"), "123456789 RT0001", id=1)
QST = TaxRate("QST", Decimal("9.975"), "1234567890 TQ0001", id=2)

MASSAGE_60 = Service("Therapeutic massage, 60 min", Decimal("95.00"), 60, (1, 2), ("97124",), id=1)
MANUAL_45 = Service("Myofascial release, 45 min", Decimal("80.00"), 45, (1, 2), ("97140",), id=2)
PRODUCT = Service("Arnica gel <b>50 ml</b>", Decimal("14.50"), None, (1,), id=3)
SERVICES = (MASSAGE_60, MANUAL_45, PRODUCT)


def line(
    position: int,
    service: Service,
    day: date | None,
    quantity: int = 1,
    discount: str = "0.00",
    taxes: Sequence[TaxRate] | None = None,
    description: str | None = None,
) -> InvoiceLine:
    net = service.price * quantity - Decimal(discount)
    rates = (GST, QST) if taxes is None else taxes
    line_taxes = tuple(
        LineTax(r.id, r.name, r.rate, from_cents(line_tax(to_cents(net), rate_to_milli(r.rate))))
        for r in rates
        if r.id in service.tax_rate_ids
    )
    return InvoiceLine(
        id=position,
        position=position,
        description=service.name if description is None else description,
        service_id=service.id,
        quantity=quantity,
        unit_price=service.price,
        discount=Decimal(discount),
        taxes=line_taxes,
        visit_id=position if day else None,
        service_date=day,
    )


def invoice(
    lines: Sequence[InvoiceLine],
    *,
    number: str | None = "2026-0007",
    status: InvoiceStatus = InvoiceStatus.PARTLY_PAID,
    paid: str = "0.00",
    invoice_id: int = 7,
    kind: InvoiceKind = InvoiceKind.INVOICE,
    credits: str | None = None,
    **extra: object,
) -> Invoice:
    """An invoice whose totals are the sums of its lines, as the billing service stores them."""
    rates = {(t.name, t.rate): t for ln in lines for t in ln.taxes}
    tax_lines = tuple(
        TaxLine(
            name,
            rate,
            sum((ln.net for ln in lines if any(t.name == name for t in ln.taxes)), ZERO),
            sum((t.amount for ln in lines for t in ln.taxes if t.name == name), ZERO),
            {GST.name: GST.registration, QST.name: QST.registration}.get(name, ""),
        )
        for name, rate in rates
    )
    subtotal = sum((ln.gross for ln in lines), ZERO)
    discount = sum((ln.discount for ln in lines), ZERO)
    tax = sum((t.amount for t in tax_lines), ZERO)
    total = subtotal - discount + tax
    credited = total if status is InvoiceStatus.VOID else ZERO
    return Invoice(
        id=invoice_id,
        kind=kind,
        client_id=7,
        client_name="Chloé O'Brien",
        number=number,
        status=status,
        created_on=date(2026, 3, 2),
        issued_on=date(2026, 3, 2) if number else None,
        due_on=date(2026, 4, 1) if number else None,
        lines=tuple(lines),
        tax_lines=tax_lines,
        subtotal=subtotal,
        discount_total=discount,
        tax_total=tax,
        total=total,
        paid=Decimal(paid),
        credited=credited,
        balance=ZERO if kind is InvoiceKind.CREDIT_NOTE else total - credited - Decimal(paid),
        currency="CAD",
        credits_invoice_number=credits,
        **extra,  # type: ignore[arg-type]
    )


def rich_lines() -> list[InvoiceLine]:
    """Eight lines over six treatment days: two services, a discount, a product with one tax."""
    return [
        line(1, MASSAGE_60, date(2026, 2, 2)),
        line(2, MANUAL_45, date(2026, 2, 9)),
        line(3, MASSAGE_60, date(2026, 2, 16), discount="15.00"),
        line(4, MANUAL_45, date(2026, 2, 23)),
        line(5, MASSAGE_60, date(2026, 3, 2)),
        line(6, PRODUCT, None, quantity=2),
        line(7, MANUAL_45, date(2026, 3, 9)),
        line(8, MASSAGE_60, date(2026, 3, 16), description="Follow-up: neck & shoulders"),
    ]


def payment(
    payment_id: int,
    amount: str,
    method: PaymentMethod,
    day: date,
    invoice_id: int = 7,
    reference: str = "",
) -> Payment:
    return Payment(
        id=payment_id,
        client_id=7,
        amount=Decimal(amount),
        method=method,
        received_on=day,
        reference=reference,
        note="",
        allocations=(Allocation(invoice_id, "2026-0007", Decimal(amount)),),
        refunds=(),
    )


PAYMENTS = (
    payment(1, "200.00", PaymentMethod.CARD, date(2026, 3, 2), reference="VISA ••4242"),
    payment(2, "150.00", PaymentMethod.E_TRANSFER, date(2026, 3, 10)),
    payment(3, "99.00", PaymentMethod.CASH, date(2026, 3, 12), invoice_id=99),  # another invoice
)


def receipt(number: int = 1) -> Receipt:
    return Receipt(
        id=number,
        invoice_id=7,
        number=number,
        issued_at=datetime(2026, 3, 20, 15, tzinfo=UTC),
        issued_by="jane",
    )


def superbill(days: int = 6) -> Superbill:
    """Six visits with 97140 and 97110 (8-minute rule), three diagnoses, a referring doctor."""
    diagnoses = (
        SuperbillDiagnosis(1, "M54.50", "Low back pain, unspecified"),
        SuperbillDiagnosis(2, "M62.830", "Muscle spasm of back"),
        SuperbillDiagnosis(3, "G44.209", "Tension-type headache, unspecified, not intractable"),
    )
    visits = []
    for k in range(days):
        day = date(2026, 2, 2 + 7 * (k % 4)) if k < 4 else date(2026, 3, 2 + 7 * (k - 4))
        lines = (
            SuperbillLine(
                day,
                "97140",
                "59",
                30,
                2,
                Decimal("70.00"),
                (1, 2),
                "11",
                "Manual therapy techniques",
            ),
            SuperbillLine(
                day, "97110", "", 15, 1, Decimal("35.00"), (3,), "11", "Therapeutic exercise"
            ),
        )
        visits.append(
            SuperbillVisit(
                visit_id=k + 1,
                service_date=day,
                place_of_service="11",
                timed_minutes=45,
                lines=lines,
                charge=Decimal("105.00"),
                paid=Decimal("105.00") if k < days - 1 else Decimal("50.00"),
                invoice_numbers=(f"2026-{k + 1:04d}",),
            )
        )
    return Superbill(
        client_id=7,
        client_name="Chloé O'Brien",
        date_of_birth=date(1985, 3, 12),
        since=date(2026, 2, 1),
        until=date(2026, 3, 31),
        diagnoses=diagnoses,
        referring_physician="Dr. Dmitri Petrov",
        referring_physician_npi="1234567893",
        unit_rule=UnitRule.CMS,
        visits=tuple(visits),
        currency="USD",
    )
