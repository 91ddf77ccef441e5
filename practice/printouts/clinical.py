"""Clinical printouts of one record: a visit note and the intake with the health history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from practice.clients import service as clients
from practice.clients.records import Client, Physician
from practice.errors import NotFoundError, ValidationError
from practice.printouts import gather
from practice.printouts.output import Document, Printout, deliver, target
from practice.store.database import Database
from practice.visits import service as visits


def visit_note_pdf(db: Database, visit_id: int, *, to_file: Path | None = None) -> Printout:
    """One visit note: SOAP, treatment log, amendments and signature; a draft is marked DRAFT."""
    out = target(db, to_file)
    return deliver(db, make_visit_note(db, visit_id), out)


def make_visit_note(db: Database, visit_id: int) -> Printout:
    """The printout, not yet handed over (nor audited): `visit_note_pdf` delivers it."""
    from practice.documents.visit_note import visit_note_pdf as render

    try:
        record = visits.get_visit(db, visit_id)
    except NotFoundError:
        raise ValidationError({"visit": f"No visit with id {visit_id}."}) from None
    visit = record.visit
    client = gather.client(db, visit.client_id)
    day = visit.starts_at.astimezone().date()
    made = Printout(
        document=Document.VISIT_NOTE,
        title=f"Visit note of {day.isoformat()}"
        + (" (imported)" if visit.imported else "" if visit.signed else " (draft)"),
        file_name=gather.file_name("Visit note", client, day),
        client_id=client.id,
        entity="visit",
        entity_id=visit.id,
        records={"visit_id": visit.id},
        data=render(gather.profile(db), client, record),
    )
    return made


def intake_summary_pdf(db: Database, client_id: int, *, to_file: Path | None = None) -> Printout:
    """The client's latest intake and health history."""
    out = target(db, to_file)
    return deliver(db, make_intake_summary(db, client_id), out)


def make_intake_summary(db: Database, client_id: int) -> Printout:
    """The printout, not yet handed over (nor audited): `intake_summary_pdf` delivers it."""
    from practice.documents.intake_summary import intake_summary_pdf as render

    client = gather.client(db, client_id)
    intake = clients.latest_intake(db, client.id)
    if intake is None:
        raise ValidationError({"client": f"{client.legal_name} has no intake on file yet."})
    today = date.today()
    made = Printout(
        document=Document.INTAKE_SUMMARY,
        title=f"Intake of {intake.data.recorded_on.isoformat()}",
        file_name=gather.file_name("Intake", client, today),
        client_id=client.id,
        entity="intake",
        entity_id=intake.id,
        records={"intake_id": intake.id},
        data=render(gather.profile(db), client, intake, _physician(db, client), today),
    )
    return made


def _physician(db: Database, client: Client) -> Physician | None:
    if client.physician_id is None:
        return None
    try:
        return clients.get_physician(db, client.physician_id)
    except NotFoundError:
        return None
