"""Every printout the screens offer, each opened in the PDF preview.

Each one is a function of `practice.printouts`, run by the preview as a write op: it takes
ids, never widgets, so what prints is what is saved, and it records the print in the audit
log. Save as PDF and Open in the system viewer record an export of the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtWidgets import QWidget

from practice import printouts
from practice.clients.records import Client
from practice.printouts import Printout
from practice.store import Database
from practice.summaries.records import SummaryDraft
from ui.documents.preview import PdfPreviewDialog, preview_document


def preview_printout(
    parent: QWidget,
    db: Database,
    title: str,
    build: Callable[[], Printout],
    suggested_name: str,
) -> PdfPreviewDialog:
    """The preview of one printout; its copies saved to files are audited as exports."""
    return preview_document(
        parent,
        title,
        build,
        suggested_name=suggested_name,
        save_copy=partial(printouts.export_copy, db),
    )


def _name(kind: str, client: Client, day: date | None = None) -> str:
    """The file name offered until the printout names itself."""
    return f"{kind} {client.display_name or client.legal_name}{f' {day}' if day else ''}.pdf"


def preview_pain_chart(
    parent: QWidget, db: Database, client: Client, chart_id: int
) -> PdfPreviewDialog:
    build = partial(printouts.pain_chart_pdf, db, client.id, chart_id=chart_id)
    return preview_printout(parent, db, "Pain chart", build, _name("Pain chart", client))


def preview_chart_comparison(
    parent: QWidget, db: Database, client: Client, before_id: int, after_id: int
) -> PdfPreviewDialog:
    build = partial(
        printouts.chart_comparison_pdf, db, client.id, before_id=before_id, after_id=after_id
    )
    title = "Pain chart comparison"
    return preview_printout(parent, db, title, build, _name(title, client, date.today()))


def preview_chart_history(parent: QWidget, db: Database, client: Client) -> PdfPreviewDialog:
    build = partial(printouts.chart_history_pdf, db, client.id)
    title = "Body chart history"
    return preview_printout(parent, db, title, build, _name(title, client, date.today()))


def preview_intake_summary(parent: QWidget, db: Database, client: Client) -> PdfPreviewDialog:
    build = partial(printouts.intake_summary_pdf, db, client.id)
    title = "Intake and health history"
    return preview_printout(parent, db, title, build, _name("Intake", client, date.today()))


def preview_visit_note(
    parent: QWidget, db: Database, client: Client, visit_id: int, day: date | None = None
) -> PdfPreviewDialog:
    build = partial(printouts.visit_note_pdf, db, visit_id)
    return preview_printout(parent, db, "Visit note", build, _name("Visit note", client, day))


def preview_summary_draft(
    parent: QWidget, db: Database, client: Client, draft: SummaryDraft
) -> PdfPreviewDialog:
    """The physician summary as edited, before it is issued (the draft is gathered already)."""
    build = partial(printouts.physician_summary_pdf, db, draft)
    name = _name("Treatment summary", client, draft.prepared_on)
    return preview_printout(parent, db, "Treatment summary (not issued yet)", build, name)


def preview_issued(
    parent: QWidget, db: Database, client: Client, document_id: int, title: str, day: date
) -> PdfPreviewDialog:
    """An issued document: the stored bytes exactly as they were handed over."""
    build = partial(printouts.issued_document_pdf, db, document_id)
    return preview_printout(parent, db, title, build, _name(title, client, day))


def preview_invoice(
    parent: QWidget, db: Database, invoice_id: int, title: str, client_name: str
) -> PdfPreviewDialog:
    """An invoice or credit note as it stands."""
    build = partial(printouts.invoice_pdf, db, invoice_id)
    return preview_printout(parent, db, title, build, f"{title} {client_name}.pdf")


def preview_receipt(parent: QWidget, db: Database, invoice_id: int, title: str) -> PdfPreviewDialog:
    """A receipt for what is paid on an invoice; making it counts it (later ones are
    duplicates), so the invoice's views refresh when it is made."""
    build = partial(printouts.receipt_pdf, db, invoice_id)
    return preview_printout(parent, db, title, build, f"{title}.pdf")


def preview_superbill(
    parent: QWidget, db: Database, client: Client, since: date, until: date
) -> PdfPreviewDialog:
    build = partial(printouts.superbill_pdf, db, client.id, since, until)
    name = f"Superbill {client.display_name} {since.isoformat()} to {until.isoformat()}.pdf"
    return preview_printout(parent, db, f"Superbill · {client.display_name}", build, name)


def preview_call_list(parent: QWidget, db: Database) -> PdfPreviewDialog:
    """The reminder calls still to make: when, who, the number to ring."""
    build = partial(printouts.call_list_pdf, db)  # the printout names itself with its day
    return preview_printout(parent, db, "Reminder calls", build, "Reminder calls.pdf")


def preview_recovery_sheet(parent: QWidget, db: Database, code: str) -> PdfPreviewDialog:
    """The recovery code on a page to print or save (never opened from a temporary copy)."""
    build = partial(printouts.recovery_sheet_pdf, db, code)
    return preview_printout(parent, db, "Recovery code", build, "Recovery code.pdf")
