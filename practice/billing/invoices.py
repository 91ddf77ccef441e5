"""Invoices: drafts, issuing, billing visits and voiding by credit note; all audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.billing.ledger import applied_by_payment
from practice.billing.lines import (
    delete_line,
    draft_row,
    line_rows,
    store_totals,
    tax_rows,
    write_lines,
)
from practice.billing.models import (
    AllocationRow,
    InvoiceLineRow,
    InvoiceLineTaxRow,
    InvoiceRow,
    NumberSequenceRow,
    ServiceRow,
)
from practice.billing.money import from_cents
from practice.billing.numbering import number_for, read_settings
from practice.billing.packages import open_package, pay_from_packages, write_package_line
from practice.billing.queries import read_invoice
from practice.billing.records import Invoice, InvoiceKind, LineForm, ServiceKind
from practice.billing.rules import check_day, currency_of, current_day, terms_text
from practice.clients.models import ClientRow
from practice.errors import NotFoundError, ValidationError
from practice.store import audit, staff, versions
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import clean
from practice.visits.models import VisitRow
from practice.visits.records import NOT_BILLED_HERE, VisitStatus, is_imported


def create_invoice(
    db: Database,
    client_id: int,
    lines: Sequence[LineForm],
    *,
    notes: str | None = None,
    terms: str | None = None,
    created_on: date | None = None,
) -> Invoice:
    """A draft invoice by hand (no lines is fine for a draft; issuing needs one)."""
    check_day("created_on", created_on, "The invoice date")
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        settings = read_settings(session)
        row = InvoiceRow(
            kind=str(InvoiceKind.INVOICE),
            client_id=client.id,
            created_on=created_on or current_day(),
            currency=currency_of(session),
            notes=clean(notes) if notes is not None else settings.invoice_notes,
            terms=clean(terms) if terms is not None else terms_text(settings),
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        write_lines(session, row, lines)
        audit.log(
            db,
            session,
            action="create",
            entity="invoice",
            entity_id=row.id,
            client_id=client.id,
            summary="Draft invoice created",
            changes={"lines": [None, len(lines)]},
        )
        return read_invoice(session, row)


def update_draft(
    db: Database,
    invoice_id: int,
    lines: Sequence[LineForm] | None = None,
    *,
    notes: str | None = None,
    terms: str | None = None,
    expected_version: int | None = None,
) -> Invoice:
    """Replace a draft's lines and/or its notes and terms. An issued invoice is locked; a draft
    someone else changed after `expected_version` was read is refused (ConflictError)."""
    with db.transaction() as session:
        row = draft_row(session, invoice_id)
        versions.claim(row, expected_version, "this draft invoice")
        old = _audit_view(read_invoice(session, row))
        if lines is not None:
            for line in line_rows(session, row.id):
                delete_line(session, line)
            session.flush()
            write_lines(session, row, lines)
        if notes is not None:
            row.notes = clean(notes)
        if terms is not None:
            row.terms = clean(terms)
        row.updated_at = utcnow()
        saved = read_invoice(session, row)
        audit.log(
            db,
            session,
            action="update",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary="Draft invoice changed",
            changes=audit.diff(old, _audit_view(saved)),
        )
        return saved


def add_line(db: Database, invoice_id: int, line: LineForm) -> Invoice:
    with db.transaction() as session:
        row = draft_row(session, invoice_id)
        write_lines(session, row, [line], start=len(line_rows(session, row.id)))
        row.updated_at = utcnow()
        versions.bump(row)
        saved = read_invoice(session, row)
        audit.log(
            db,
            session,
            action="update",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"Line added: {saved.lines[-1].description}",
        )
        return saved


def remove_line(db: Database, invoice_id: int, line_id: int) -> Invoice:
    with db.transaction() as session:
        row = draft_row(session, invoice_id)
        line = session.get(InvoiceLineRow, line_id) if is_id(line_id) else None
        if line is None or line.invoice_id != row.id:
            raise NotFoundError(f"Invoice {invoice_id} has no line {line_id}.")
        description = line.description
        delete_line(session, line)
        session.flush()
        for position, other in enumerate(line_rows(session, row.id)):
            other.position = position
        store_totals(session, row)
        row.updated_at = utcnow()
        versions.bump(row)
        audit.log(
            db,
            session,
            action="update",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"Line removed: {description}",
        )
        return read_invoice(session, row)


def delete_draft(db: Database, invoice_id: int) -> None:
    """Throw a draft away (it never had a number). Issued invoices are voided instead."""
    with db.transaction() as session:
        row = draft_row(session, invoice_id)
        for line in line_rows(session, row.id):
            delete_line(session, line)
        session.flush()
        audit.log(
            db,
            session,
            action="delete",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary="Draft invoice deleted",
        )
        session.delete(row)


def issue_invoice(db: Database, invoice_id: int, *, issued_on: date | None = None) -> Invoice:
    """Give a draft the next number of the gapless sequence and lock it for good.

    Lines drawn from a prepaid package are paid from the package as the invoice is issued.
    """
    check_day("issued_on", issued_on, "The issue date")
    with db.transaction() as session:
        row = draft_row(session, invoice_id)
        _issue(db, session, row, issued_on or current_day())
        return read_invoice(session, row)


def bill_visit(
    db: Database,
    visit_id: int,
    service_id: int | None = None,
    *,
    issue: bool = True,
    use_package: bool = True,
    issued_on: date | None = None,
) -> Invoice:
    """Bill one visit: one line for the service (by default the one matching the visit's length).

    When the client has a package of that service with visits left, the line is priced from
    the package and paid with package credit as the invoice is issued.
    """
    return bill_visits(
        db, [visit_id], service_id, issue=issue, use_package=use_package, issued_on=issued_on
    )


def bill_visits(
    db: Database,
    visit_ids: Sequence[int],
    service_id: int | None = None,
    *,
    issue: bool = True,
    use_package: bool = True,
    issued_on: date | None = None,
) -> Invoice:
    """One invoice for several visits of one client, a line per visit. (Not for the front
    desk: whether a visit was imported is in what was acknowledged at signing.)"""
    staff.refuse_front_desk(db, "Billing a visit")
    if not visit_ids:
        raise ValidationError({"visits": "Choose at least one visit to bill."})
    check_day("issued_on", issued_on, "The issue date")
    with db.transaction() as session:
        visits = [get_or_raise(session, VisitRow, vid, "visit") for vid in dict.fromkeys(visit_ids)]
        _check_billable(session, visits)
        services = _treatment_services(session)
        chosen = (
            get_or_raise(session, ServiceRow, service_id, "service")
            if service_id is not None
            else None
        )
        if chosen is not None and chosen.kind != ServiceKind.TREATMENT:
            raise ValidationError({"service_id": "Bill a visit with a treatment, not a package."})
        row = InvoiceRow(
            kind=str(InvoiceKind.INVOICE),
            client_id=visits[0].client_id,
            created_on=current_day(),
            currency=currency_of(session),
            notes=read_settings(session).invoice_notes,
            terms=terms_text(read_settings(session)),
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        for position, visit in enumerate(sorted(visits, key=lambda v: v.starts_at)):
            service = chosen or _service_for(visit, services)
            package = open_package(session, visit.client_id, service.id) if use_package else None
            day = visit.starts_at.astimezone().date()
            if package is None:
                write_lines(
                    session,
                    row,
                    [LineForm(service_id=service.id, visit_id=visit.id, service_date=day)],
                    start=position,
                )
            else:
                write_package_line(session, row, position, service, package, visit.id, day)
        audit.log(
            db,
            session,
            action="create",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"Invoice for {len(visits)} visit(s)",
            changes={"visits": [None, [v.id for v in visits]]},
        )
        if issue:
            _issue(db, session, row, issued_on or current_day())
        else:
            store_totals(session, row)
        return read_invoice(session, row)


def void_invoice(
    db: Database, invoice_id: int, reason: str, *, voided_on: date | None = None
) -> Invoice:
    """Cancel an issued invoice with a credit note for its full amount; returns the credit note.

    What was paid on the invoice is released: money becomes account credit (refund it or apply
    it to another invoice) and package credit goes back to its package, visit included.
    """
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the invoice is voided; it is kept on record."})
    check_day("voided_on", voided_on, "The void date")
    with db.transaction() as session:
        row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
        if row.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoice": "A credit note cannot be voided."})
        if row.status == "draft":
            raise ValidationError({"invoice": "A draft has no number yet; delete it instead."})
        if row.status == "void":
            raise ValidationError({"invoice": f"Invoice {row.number} is already void."})
        note = InvoiceRow(
            kind=str(InvoiceKind.CREDIT_NOTE),
            client_id=row.client_id,
            created_on=voided_on or current_day(),
            currency=row.currency,
            notes=f"Voids invoice {row.number}: {reason}",
            terms="",
            credits_invoice_id=row.id,
            created_by=db.actor,
        )
        session.add(note)
        session.flush()
        for line in line_rows(session, row.id):
            copy = InvoiceLineRow(
                invoice_id=note.id,
                **{c: getattr(line, c) for c in _LINE_COPY},
            )
            session.add(copy)
            session.flush()
            for tax in tax_rows(session, line.id):
                session.add(
                    InvoiceLineTaxRow(line_id=copy.id, **{c: getattr(tax, c) for c in _TAX_COPY})
                )
        session.flush()
        for payment_id, applied in applied_by_payment(session, row.id):
            if applied:
                session.add(
                    AllocationRow(payment_id=payment_id, invoice_id=row.id, amount_cents=-applied)
                )
        row.status = "void"
        row.void_reason = reason
        row.voided_at = utcnow()
        row.updated_at = utcnow()
        session.flush()
        _issue(db, session, note, voided_on or current_day())
        audit.log(
            db,
            session,
            action="void",
            entity="invoice",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"Invoice {row.number} voided by credit note {note.number}",
            changes={"reason": [None, reason]},
        )
        return read_invoice(session, note)


_LINE_COPY = (
    "position",
    "description",
    "service_id",
    "quantity",
    "unit_price_cents",
    "discount_cents",
    "net_cents",
    "tax_cents",
    "visit_id",
    "service_date",
    "package_id",
)


_TAX_COPY = ("tax_rate_id", "name", "rate_milli", "registration", "amount_cents")


def _issue(db: Database, session: Session, row: InvoiceRow, issued_on: date) -> None:
    lines = line_rows(session, row.id)
    if not lines:
        raise ValidationError({"lines": "An invoice needs at least one line before it is issued."})
    settings = read_settings(session)
    credit_note = row.kind == InvoiceKind.CREDIT_NOTE
    key, number, next_value = number_for(session, InvoiceKind(row.kind), issued_on)
    sequence = session.get(NumberSequenceRow, key)
    if sequence is None:
        sequence = NumberSequenceRow(key=key, next_value=next_value)
        session.add(sequence)
    sequence.next_value = next_value + 1
    store_totals(session, row)
    row.number = number
    row.status = "issued"
    row.issued_on = issued_on
    row.issued_at = utcnow()
    row.due_on = None if credit_note else issued_on + timedelta(days=settings.payment_terms_days)
    row.updated_at = utcnow()
    session.flush()
    audit.log(
        db,
        session,
        action="issue",
        entity="invoice",
        entity_id=row.id,
        client_id=row.client_id,
        summary=f"{'Credit note' if credit_note else 'Invoice'} {number} issued",
        changes={"number": [None, number], "total": [None, str(from_cents(row.total_cents))]},
    )
    if not credit_note:
        pay_from_packages(db, session, row, lines, issued_on)


def _check_billable(session: Session, visits: list[VisitRow]) -> None:
    if len({v.client_id for v in visits}) > 1:
        raise ValidationError({"visits": "One invoice bills the visits of one client."})
    for visit in visits:
        if visit.status != VisitStatus.COMPLETED:
            raise ValidationError(
                {"visits": "Only completed visits are billed; add a fee line by hand instead."}
            )
        if is_imported(visit.signing_acknowledgements):
            day = visit.starts_at.astimezone().date().isoformat()
            raise ValidationError({"visits": f"The visit of {day}: {NOT_BILLED_HERE}"})
        billed = session.scalar(
            select(InvoiceRow.number)
            .join(InvoiceLineRow, InvoiceLineRow.invoice_id == InvoiceRow.id)
            .where(
                InvoiceLineRow.visit_id == visit.id,
                InvoiceRow.kind == str(InvoiceKind.INVOICE),
                InvoiceRow.status != "void",
            )
            .limit(1)
        )
        if billed is not None or _billed_in_draft(session, visit.id):
            where = f"invoice {billed}" if billed else "a draft invoice"
            day = visit.starts_at.astimezone().date().isoformat()
            raise ValidationError({"visits": f"The visit of {day} is already billed on {where}."})


def _billed_in_draft(session: Session, visit_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(InvoiceLineRow)
            .join(InvoiceRow, InvoiceLineRow.invoice_id == InvoiceRow.id)
            .where(InvoiceLineRow.visit_id == visit_id, InvoiceRow.status == "draft")
        )
    )


def _treatment_services(session: Session) -> list[ServiceRow]:
    return list(
        session.scalars(
            select(ServiceRow)
            .where(ServiceRow.kind == str(ServiceKind.TREATMENT), ServiceRow.archived.is_(False))
            .order_by(ServiceRow.id)
        )
    )


def _service_for(visit: VisitRow, services: list[ServiceRow]) -> ServiceRow:
    """The treatment whose length is nearest the visit's (ties: the earliest added)."""
    timed = [s for s in services if s.duration_minutes]
    if not timed:
        raise ValidationError(
            {"service_id": "Add a service with a duration to the catalogue to bill visits."}
        )
    return min(timed, key=lambda s: abs((s.duration_minutes or 0) - visit.duration_minutes))


def _audit_view(invoice: Invoice) -> dict[str, Any]:
    return {
        "lines": [
            [line.description, line.quantity, str(line.unit_price), str(line.discount)]
            for line in invoice.lines
        ],
        "notes": invoice.notes,
        "terms": invoice.terms,
        "total": str(invoice.total),
    }
