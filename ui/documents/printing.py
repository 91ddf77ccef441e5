"""Every printout the client screens offer, each opened in the PDF preview.

The builders run on a worker thread and read through the `Database` themselves (each read
opens its own session; see `ui.documents.preview`). They take ids, never widgets, so what
prints is what is saved.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from practice.bodymap import service as bodymap
from practice.clients import service as clients
from practice.clients.records import Client, PracticeProfile
from practice.errors import ValidationError
from practice.store import Database
from ui.documents.preview import PdfPreviewDialog, preview_document

NO_PROFILE = (
    "There is no practice profile yet. Fill it in (Edit > Practice profile) so the printout "
    "has your letterhead."
)


def _profile(db: Database) -> PracticeProfile:
    profile = clients.get_profile(db)
    if profile is None:
        raise ValidationError({"profile": NO_PROFILE})
    return profile


def _name(kind: str, client: Client, day: date | None = None) -> str:
    when = f" {day.isoformat()}" if day else ""
    return f"{kind} {client.display_name or client.legal_name}{when}.pdf"


def preview_pain_chart(
    parent: QWidget, db: Database, client: Client, chart_id: int
) -> PdfPreviewDialog:
    from practice.documents.pain_chart import pain_chart_pdf

    def build() -> bytes:
        return pain_chart_pdf(_profile(db), client, bodymap.get_chart(db, chart_id))

    charted_on = bodymap.get_chart(db, chart_id).charted_on
    return preview_document(
        parent, "Pain chart", build, suggested_name=_name("Pain chart", client, charted_on)
    )


def preview_chart_comparison(
    parent: QWidget, db: Database, client: Client, before_id: int, after_id: int
) -> PdfPreviewDialog:
    from practice.documents.pain_chart import chart_comparison_pdf

    def build() -> bytes:
        before, after = bodymap.get_chart(db, before_id), bodymap.get_chart(db, after_id)
        return chart_comparison_pdf(_profile(db), client, before, after)

    return preview_document(
        parent,
        "Pain chart comparison",
        build,
        suggested_name=_name("Pain chart comparison", client, date.today()),
    )


def preview_chart_history(parent: QWidget, db: Database, client: Client) -> PdfPreviewDialog:
    from practice.documents.printouts import chart_history_pdf

    return preview_document(
        parent,
        "Body chart history",
        lambda: chart_history_pdf(db, client.id),
        suggested_name=_name("Body chart history", client, date.today()),
    )


def preview_intake_summary(parent: QWidget, db: Database, client: Client) -> PdfPreviewDialog:
    from practice.documents.printouts import intake_summary_pdf

    return preview_document(
        parent,
        "Intake and health history",
        lambda: intake_summary_pdf(db, client.id),
        suggested_name=_name("Intake", client, date.today()),
    )


def preview_visit_note(
    parent: QWidget, db: Database, client: Client, visit_id: int, day: date | None = None
) -> PdfPreviewDialog:
    from practice.documents.printouts import visit_note_pdf

    return preview_document(
        parent,
        "Visit note",
        lambda: visit_note_pdf(db, visit_id),
        suggested_name=_name("Visit note", client, day),
    )


def preview_issued(
    parent: QWidget, db: Database, client: Client, document_id: int, title: str, day: date
) -> PdfPreviewDialog:
    """An issued document: the stored bytes exactly as they were handed over."""
    from practice.summaries.service import document_pdf

    return preview_document(
        parent,
        title,
        lambda: document_pdf(db, document_id),
        suggested_name=_name(title, client, day),
    )
