"""Billing reports: outstanding balances with ageing, revenue, tax collected; CSV export.

Each report is a few aggregate SQL queries over integer cents (exact), then plain records.
`tables()` flattens any report into header + rows for the CSV file and the command line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select

from practice.billing.models import (
    AllocationRow,
    InvoiceLineRow,
    InvoiceLineTaxRow,
    InvoiceRow,
    PaymentRow,
    RefundRow,
    ServiceRow,
)
from practice.billing.money import from_cents, rate_from_milli
from practice.billing.records import (
    AgeingReport,
    AgeingRow,
    InvoiceKind,
    PaymentMethod,
    RevenueReport,
    RevenueRow,
    Table,
    TaxReport,
    TaxReportRow,
)
from practice.billing.service import practice_currency
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.store.database import Database
from practice.store.sql import month_of
from practice.text import visible

Report = AgeingReport | RevenueReport | TaxReport
# The last day of each ageing bucket but the last, in days since the issue date.
AGEING_DAYS = (30, 60, 90)


def ageing(db: Database, as_of: date | None = None) -> AgeingReport:
    """What each client owes on issued invoices, by days since the issue date."""
    as_of = as_of or date.today()
    # Paid per invoice through its allocations' index, one invoice at a time: grouping every
    # allocation of the practice first took most of the time on a large practice.
    paid = (
        select(func.coalesce(func.sum(AllocationRow.amount_cents), 0))
        .where(AllocationRow.invoice_id == InvoiceRow.id)
        .scalar_subquery()
    )
    owing = (
        select(
            InvoiceRow.client_id,
            InvoiceRow.issued_on,
            (InvoiceRow.total_cents - paid).label("owing"),
        )
        .where(
            InvoiceRow.status == "issued",
            InvoiceRow.kind == str(InvoiceKind.INVOICE),
            InvoiceRow.issued_on <= as_of,
        )
        .subquery()
    )
    # Summed per client by the database: a 20-year practice owes on tens of thousands of
    # invoices, and each client's row is all the report shows. Days since the issue date,
    # as dates: up to 30 days is current, then 31-60, 61-90 and over 90.
    starts = [  # (the first day there is, for a day asked about near it)
        as_of - timedelta(days=days) if as_of.toordinal() > days else date.min
        for days in AGEING_DAYS
    ]
    buckets = [
        owing.c.issued_on >= starts[0],
        (owing.c.issued_on < starts[0]) & (owing.c.issued_on >= starts[1]),
        (owing.c.issued_on < starts[1]) & (owing.c.issued_on >= starts[2]),
        owing.c.issued_on < starts[2],
    ]
    per_client = (
        select(
            owing.c.client_id,
            func.count().label("n"),
            func.min(owing.c.issued_on).label("oldest"),
            *(
                func.sum(_iif(bucket, owing.c.owing, 0)).label(f"b{index}")
                for index, bucket in enumerate(buckets)
            ),
        )
        .where(owing.c.owing > 0)
        .group_by(owing.c.client_id)
        .subquery()
    )
    query = select(per_client, ClientRow.given_name, ClientRow.family_name).join(
        ClientRow, ClientRow.id == per_client.c.client_id
    )
    with db.read() as session:
        found = session.execute(query).all()
    rows = sorted(
        (
            AgeingRow(
                client_id=client_id,
                client_name=f"{given} {family}".strip(),
                invoices=n,
                current=from_cents(b0),
                days_31_60=from_cents(b1),
                days_61_90=from_cents(b2),
                over_90=from_cents(b3),
                total=from_cents(b0 + b1 + b2 + b3),
                oldest_issued_on=oldest,
            )
            for client_id, n, oldest, b0, b1, b2, b3, given, family in found
        ),
        key=lambda r: (-r.total, r.client_name, r.client_id),
    )
    sums = [sum(getattr(row, f"b{k}") for row in found) for k in range(len(buckets))]
    return AgeingReport(
        as_of=as_of,
        rows=tuple(rows),
        current=from_cents(sums[0]),
        days_31_60=from_cents(sums[1]),
        days_61_90=from_cents(sums[2]),
        over_90=from_cents(sums[3]),
        total=from_cents(sum(sums)),
        currency=practice_currency(db),
    )


def _iif(condition: Any, then: Any, otherwise: Any) -> Any:
    """`then` where the condition holds, else `otherwise` (SQL CASE, on either engine)."""
    return case((condition, then), else_=otherwise)


def revenue(db: Database, since: date, until: date) -> RevenueReport:
    """Invoiced (before tax, net of credit notes) by month and service; money in by method."""
    _check_period(since, until)
    issued = (
        InvoiceRow.status != "draft",
        InvoiceRow.issued_on >= since,
        InvoiceRow.issued_on <= until,
    )
    sign = _iif(InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE), -1, 1)
    month = month_of(InvoiceRow.issued_on)
    with db.read() as session:
        by_month_rows = session.execute(
            select(
                month,
                func.sum(sign * (InvoiceRow.subtotal_cents - InvoiceRow.discount_cents)),
                func.sum(sign * InvoiceRow.tax_cents),
                func.sum(_iif(InvoiceRow.kind == str(InvoiceKind.INVOICE), 1, 0)),
            )
            .where(*issued)
            .group_by(month)
        ).all()
        by_service_rows = session.execute(
            select(
                func.coalesce(ServiceRow.name, InvoiceLineRow.description),
                func.sum(sign * InvoiceLineRow.net_cents),
                func.sum(sign * InvoiceLineRow.tax_cents),
                func.sum(sign * InvoiceLineRow.quantity),
            )
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .outerjoin(ServiceRow, ServiceRow.id == InvoiceLineRow.service_id)
            .where(*issued)
            .group_by(func.coalesce(ServiceRow.name, InvoiceLineRow.description))
        ).all()
        money = [str(m) for m in PaymentMethod if m.is_money]
        in_period = (PaymentRow.received_on >= since, PaymentRow.received_on <= until)
        received_rows = session.execute(
            select(PaymentRow.method, func.sum(PaymentRow.amount_cents), func.count())
            .where(PaymentRow.method.in_(money), *in_period)
            .group_by(PaymentRow.method)
        ).all()
        received_month = session.execute(
            select(month_of(PaymentRow.received_on), func.sum(PaymentRow.amount_cents))
            .where(PaymentRow.method.in_(money), *in_period)
            .group_by(month_of(PaymentRow.received_on))
        ).all()
        refunds = (RefundRow.refunded_on >= since, RefundRow.refunded_on <= until)
        refund_rows = session.execute(
            select(RefundRow.method, func.sum(RefundRow.amount_cents))
            .where(*refunds)
            .group_by(RefundRow.method)
        ).all()
        refund_month = session.execute(
            select(month_of(RefundRow.refunded_on), func.sum(RefundRow.amount_cents))
            .where(*refunds)
            .group_by(month_of(RefundRow.refunded_on))
        ).all()
    received_by_month: dict[str, int] = defaultdict(int)
    for key, cents in received_month:
        received_by_month[key] += cents
    for key, cents in refund_month:
        received_by_month[key] -= cents
    invoiced_by_month = {key: (net, tax, n) for key, net, tax, n in by_month_rows}
    months = sorted(set(invoiced_by_month) | set(received_by_month))
    by_month = tuple(
        RevenueRow(
            key,
            from_cents(invoiced_by_month.get(key, (0, 0, 0))[0]),
            from_cents(invoiced_by_month.get(key, (0, 0, 0))[1]),
            from_cents(received_by_month.get(key, 0)),
            invoiced_by_month.get(key, (0, 0, 0))[2],
        )
        for key in months
    )
    by_service = tuple(
        RevenueRow(name, from_cents(net), from_cents(tax), from_cents(0), count)
        for name, net, tax, count in sorted(by_service_rows, key=lambda r: (-r[1], r[0]))
    )
    refunded_by = dict(refund_rows)
    received_by = {m: (cents, n) for m, cents, n in received_rows}
    by_method = tuple(
        RevenueRow(
            PaymentMethod(m).label,
            from_cents(0),
            from_cents(0),
            from_cents(received_by.get(m, (0, 0))[0] - refunded_by.get(m, 0)),
            received_by.get(m, (0, 0))[1],
        )
        for m in money
        if m in received_by or m in refunded_by
    )
    refunded = sum(refunded_by.values())
    return RevenueReport(
        since=since,
        until=until,
        by_month=by_month,
        by_service=by_service,
        by_method=by_method,
        invoiced=sum((r.invoiced for r in by_month), from_cents(0)),
        tax=sum((r.tax for r in by_month), from_cents(0)),
        received=from_cents(sum(c for c, _ in received_by.values()) - refunded),
        refunded=from_cents(refunded),
        currency=practice_currency(db),
    )


def tax_collected(db: Database, since: date, until: date) -> TaxReport:
    """Each tax on invoices issued in the period, less what credit notes of the period reverse."""
    _check_period(since, until)
    credit = InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE)
    with db.read() as session:
        rows = session.execute(
            select(
                InvoiceLineTaxRow.name,
                InvoiceLineTaxRow.rate_milli,
                func.max(InvoiceLineTaxRow.registration),
                func.sum(_iif(credit, -1, 1) * InvoiceLineRow.net_cents),
                func.sum(_iif(credit, 0, InvoiceLineTaxRow.amount_cents)),
                func.sum(_iif(credit, InvoiceLineTaxRow.amount_cents, 0)),
            )
            .join(InvoiceLineRow, InvoiceLineRow.id == InvoiceLineTaxRow.line_id)
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(
                InvoiceRow.status != "draft",
                InvoiceRow.issued_on >= since,
                InvoiceRow.issued_on <= until,
            )
            .group_by(InvoiceLineTaxRow.name, InvoiceLineTaxRow.rate_milli)
            .order_by(InvoiceLineTaxRow.name, InvoiceLineTaxRow.rate_milli)
        ).all()
    report_rows = tuple(
        TaxReportRow(
            name=name,
            rate=rate_from_milli(milli),
            registration=registration or "",
            taxable=from_cents(taxable),
            collected=from_cents(collected),
            credited=from_cents(credited),
            net=from_cents(collected - credited),
        )
        for name, milli, registration, taxable, collected, credited in rows
    )
    return TaxReport(
        since=since,
        until=until,
        rows=report_rows,
        total=sum((r.net for r in report_rows), from_cents(0)),
        currency=practice_currency(db),
    )


# ---------------------------------------------------------------- tables and CSV


def tables(report: Report) -> list[Table]:
    """The report as tables of text cells (amounts as plain numbers, dates ISO)."""
    if isinstance(report, AgeingReport):
        return [_ageing_table(report)]
    if isinstance(report, RevenueReport):
        return _revenue_tables(report)
    return [_tax_table(report)]


def _ageing_table(report: AgeingReport) -> Table:
    rows = [
        (
            r.client_name,
            str(r.invoices),
            str(r.current),
            str(r.days_31_60),
            str(r.days_61_90),
            str(r.over_90),
            str(r.total),
            r.oldest_issued_on.isoformat(),
        )
        for r in report.rows
    ]
    rows.append(
        (
            "Total",
            str(sum(r.invoices for r in report.rows)),
            str(report.current),
            str(report.days_31_60),
            str(report.days_61_90),
            str(report.over_90),
            str(report.total),
            "",
        )
    )
    return Table(
        f"Outstanding balances as of {report.as_of.isoformat()} ({report.currency})",
        (
            "Client",
            "Invoices",
            "0-30 days",
            "31-60 days",
            "61-90 days",
            "Over 90 days",
            "Total",
            "Oldest invoice",
        ),
        tuple(rows),
    )


def _revenue_tables(report: RevenueReport) -> list[Table]:
    period = f"{report.since.isoformat()} to {report.until.isoformat()} ({report.currency})"
    month = Table(
        f"Revenue by month, {period}",
        ("Month", "Invoiced before tax", "Tax", "Received", "Invoices"),
        (
            *tuple(
                (r.key, str(r.invoiced), str(r.tax), str(r.received), str(r.count))
                for r in report.by_month
            ),
            ("Total", str(report.invoiced), str(report.tax), str(report.received), ""),
        ),
    )
    service = Table(
        f"Revenue by service, {period}",
        ("Service", "Invoiced before tax", "Tax", "Quantity"),
        tuple((r.key, str(r.invoiced), str(r.tax), str(r.count)) for r in report.by_service),
    )
    method = Table(
        f"Money received by payment method (refunds deducted), {period}",
        ("Method", "Received", "Payments"),
        (
            *tuple((r.key, str(r.received), str(r.count)) for r in report.by_method),
            ("Refunded", str(report.refunded), ""),
        ),
    )
    return [month, service, method]


def _tax_table(report: TaxReport) -> Table:
    return Table(
        f"Tax collected, {report.since.isoformat()} to {report.until.isoformat()} "
        f"({report.currency})",
        ("Tax", "Rate %", "Registration", "Taxable sales", "Collected", "Credited", "Net"),
        (
            *tuple(
                (
                    r.name,
                    f"{r.rate:f}",
                    r.registration,
                    str(r.taxable),
                    str(r.collected),
                    str(r.credited),
                    str(r.net),
                )
                for r in report.rows
            ),
            ("Total", "", "", "", "", "", str(report.total)),
        ),
    )


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_FORMULA_START = ("=", "+", "-", "@")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will neither run nor show differently from what it holds.

    Invisible characters go (NUL, zero-width spaces, bidi overrides: names saved before Fascia
    cleaned them may hold some). Text starting with = + - @ or a control character (a tab, a
    line break) gets a leading '. Plain numbers (-12.50) are left alone: they cannot be
    formulas and must stay numbers.
    """
    text = visible(text)
    if text and (text.startswith(_FORMULA_START) or unicodedata.category(text[0]) == "Cc"):
        return text if _NUMBER.match(text) else "'" + text
    return text


def csv_bytes(report_tables: Sequence[Table]) -> bytes:
    """The tables as UTF-8 CSV with a BOM (Excel then reads accented and other names)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    for k, table in enumerate(report_tables):
        if k:
            writer.writerow([])
        writer.writerow([safe_cell(table.title)])
        writer.writerow([safe_cell(c) for c in table.header])
        writer.writerows([safe_cell(c) for c in row] for row in table.rows)
    return text.getvalue().encode("utf-8-sig")


def _check_period(since: date, until: date) -> None:
    if since > until:
        raise ValidationError({"from": "The start date is after the end date."})
