"""Printouts from ids: the physician summary (previewed or issued), a visit note, the intake and
a client's chart history, in the summary's letterhead.

These gather from the features' services and render with the modules beside them, which are
imported when first printed (ReportLab loads then, not at startup).
"""

from __future__ import annotations

from practice.bodymap.service import chart_history, get_chart
from practice.clients import service as clients
from practice.clients.records import Client, PracticeProfile
from practice.errors import NotFoundError, ValidationError
from practice.store.database import Database
from practice.summaries import service as summaries
from practice.summaries.records import IssuedDocument, SummaryDraft
from practice.visits import service as visits


def render_summary(draft: SummaryDraft) -> bytes:
    """The summary as PDF bytes; the same draft always gives the same bytes."""
    from practice.documents.physician_summary import physician_summary_pdf

    return physician_summary_pdf(draft)


def issue_summary(db: Database, draft: SummaryDraft) -> IssuedDocument:
    """Store the summary as issued: its content, its exact PDF and an audit entry."""
    return summaries.store_issued_summary(db, draft, render_summary(draft))


def visit_note_pdf(db: Database, visit_id: int) -> bytes:
    """One visit note: SOAP, treatment log, amendments and signature; a draft is marked DRAFT.

    The access is audited as a print.
    """
    from practice.documents.visit_note import visit_note_pdf as build

    try:
        record = visits.record_view_for_print(db, visit_id)
    except NotFoundError:
        raise ValidationError({"visit": f"No visit with id {visit_id}."}) from None
    client = clients.get_client(db, record.visit.client_id)
    return build(_profile(db), client, record)


def intake_summary_pdf(db: Database, client_id: int) -> bytes:
    """The client's latest intake and health history."""
    from practice.documents.intake_summary import intake_summary_pdf as build

    client = _client(db, client_id)
    intake = clients.latest_intake(db, client_id)
    if intake is None:
        raise ValidationError({"client": f"{client.legal_name} has no intake on file yet."})
    physician = None
    if client.physician_id is not None:
        try:
            physician = clients.get_physician(db, client.physician_id)
        except NotFoundError:
            physician = None
    return build(_profile(db), client, intake, physician)


def chart_history_pdf(db: Database, client_id: int) -> bytes:
    """Every body chart of the client: first and latest side by side, then all in a table."""
    from practice.documents.chart_history import chart_history_pdf as build

    client = _client(db, client_id)
    history = chart_history(db, client_id)
    if not history:
        raise ValidationError({"client": f"{client.legal_name} has no body charts yet."})
    first = get_chart(db, history[0].id)
    latest = get_chart(db, history[-1].id) if len(history) > 1 else None
    return build(_profile(db), client, history, first, latest)


def _client(db: Database, client_id: int) -> Client:
    try:
        return clients.get_client(db, client_id)
    except NotFoundError:
        raise ValidationError({"client": f"No client with id {client_id}."}) from None


def _profile(db: Database) -> PracticeProfile:
    profile = clients.get_profile(db)
    if profile is None:
        raise ValidationError(
            {"profile": "Fill in the practice profile first; it heads every page."}
        )
    return profile
