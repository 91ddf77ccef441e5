"""Visit use cases: create, save, autosave, sign, amend, read, history, templates; audited.

Each use case validates first, then runs in one transaction and returns plain records. A signed
visit is refused here with LockedRecordError and, should any other code path try, by the
database triggers of migration 0003.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from practice.bodymap.models import BodyChartRow
from practice.bounds import filter_day, whole_in
from practice.clients import service as clients
from practice.clients.models import ClientRow
from practice.clients.rules import Alert
from practice.errors import LockedRecordError, NotFoundError, ValidationError
from practice.store import audit, versions
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.techniques.library import techniques_by_code
from practice.text import clean
from practice.visits.history import local_midnight as _local_midnight
from practice.visits.history import visit_history  # noqa: F401  (the history's one place)
from practice.visits.models import (
    AmendmentRow,
    HeadacheEntryRow,
    MeasureValueRow,
    SoapNoteRow,
    TreatmentEntryRow,
    VisitRow,
)
from practice.visits.records import (
    NO_CONSENT,
    NOTE_FIELDS,
    Acknowledgement,
    Amendment,
    HeadacheEntry,
    MeasureEntry,
    Position,
    SigningAcknowledgement,
    SoapNote,
    StaleDraft,
    TreatmentEntry,
    TreatmentInput,
    Visit,
    VisitDraft,
    VisitForm,
    VisitRecord,
    VisitStatus,
)
from practice.visits.techniques import (
    alerts_to_acknowledge,
    from_library,
    is_deep,
    technique_name,
)
from practice.visits.templates import (  # re-exported: note templates
    delete_template as delete_template,
)
from practice.visits.templates import (
    list_templates as list_templates,
)
from practice.visits.templates import (
    save_template as save_template,
)
from practice.visits.validation import (
    clean_draft,
    fit_errors,
    storable_autosave,
    validate_draft,
    visit_day,
    visit_errors,
)

DEFAULT_STALE_DRAFT_DAYS = 2
MAX_STALE_DRAFT_DAYS = 3650  # a reminder setting beyond ten years reminds of nothing
MAX_AUDIT_ROWS = 1_000_000  # more than a practice writes in decades, and still fits in memory
LOCKED_MESSAGE = "This visit note is signed and can no longer be changed; add an amendment."
NO_CONSENT_MESSAGE = (
    "No current consent is on file for this client. Record the client's consent first, or "
    "sign anyway: the note will say it was signed without one."
)
NO_CONSENT_ACKNOWLEDGED = "Signed without a current consent on file (acknowledged)"

# ---------------------------------------------------------------- writing a note


def create_visit(
    db: Database, client_id: int, draft: VisitDraft, today: date | None = None
) -> VisitRecord:
    """Open a visit with its (possibly empty) draft note. The one autosave target from then on."""
    draft, alerts = _checked(db, client_id, draft, today)
    now = utcnow()
    with db.transaction() as session:
        get_or_raise(session, ClientRow, client_id, "client")
        row = VisitRow(client_id=client_id, created_by=db.actor)
        _set_visit(row, draft.visit)
        session.add(row)
        session.flush()
        session.add(SoapNoteRow(visit_id=row.id, saved_at=now, **_note_columns(draft.note)))
        acknowledged = _write_treatments(session, row.id, draft, alerts, {}, db.actor, now)
        _audit(db, session, row, "create", "Visit note created", audit.diff({}, _audit_view(draft)))
        _audit_acknowledgements(db, session, row, acknowledged)
        return _record(session, row)


def save_draft(
    db: Database,
    visit_id: int,
    draft: VisitDraft,
    today: date | None = None,
    *,
    expected_version: int | None = None,
) -> VisitRecord:
    """Validate and save the whole draft (visit, note, treatment log). Nothing is saved on error,
    nor when someone else saved the note after `expected_version` was read (ConflictError)."""
    client_id = _unsigned_client(db, visit_id)
    draft, alerts = _checked(db, client_id, draft, today)
    with db.transaction() as session:
        row = _editable(session, visit_id)
        versions.claim(_note_row(session, visit_id), expected_version, "this note")
        _save(db, session, row, draft, alerts)
        return _record(session, row)


def autosave_draft(
    db: Database, visit_id: int, draft: VisitDraft, *, expected_version: int | None = None
) -> datetime:
    """Keep the editor's state, unvalidated, so a crash loses seconds of typing at most.

    One small durable UPDATE of the note's autosave column: the saved note is left as it was
    and nothing is audited. Returns when the typing was stored. Typing begun from an older
    version of the note than the stored one is not kept (ConflictError): offered back later,
    it would undo the newer save.
    """
    now = utcnow()
    if not is_id(visit_id):
        raise NotFoundError(f"No visit with id {visit_id}.")
    unsigned = select(VisitRow.id).where(VisitRow.signed_at.is_(None))
    statement = (
        update(SoapNoteRow)
        .where(SoapNoteRow.visit_id == visit_id, SoapNoteRow.visit_id.in_(unsigned))
        .values(autosave=storable_autosave(draft), autosaved_at=now)
    )
    with db.transaction() as session:
        if expected_version is not None:
            _editable(session, visit_id)  # no such visit, or signed: said first
            versions.check(_note_row(session, visit_id).version, expected_version, "this note")
        if session.connection().execute(statement).rowcount == 0:
            _editable(session, visit_id)  # raises the reason: no such visit, or signed
    return now


def discard_autosave(db: Database, visit_id: int) -> None:
    """Drop unsaved typing the therapist chose not to restore."""
    with db.transaction() as session:
        _editable(session, visit_id)
        note = _note_row(session, visit_id)
        note.autosave, note.autosaved_at = None, None


def sign_visit(
    db: Database,
    visit_id: int,
    draft: VisitDraft | None = None,
    today: date | None = None,
    *,
    without_consent: bool = False,
    expected_version: int | None = None,
) -> VisitRecord:
    """Sign the note (saving `draft` first when given). Irreversible: corrections are amendments.

    Refuses an empty note, a note that no longer passes its checks (say the intake gained an
    alert that deep work has not acknowledged) and unsaved autosaved typing. With no current
    consent on file it refuses too (field "consent"), unless `without_consent`: then the
    signature records that the therapist knowingly signed without one. Refused too
    (ConflictError) when someone else saved the note after `expected_version` was read: what
    is signed is what the signer read.
    """
    client_id = _unsigned_client(db, visit_id)
    given = draft is not None
    if draft is None:
        current = get_visit(db, visit_id)
        if current.autosaved is not None:
            raise ValidationError(
                {"autosave": "This note has unsaved changes: save or discard them, then sign."}
            )
        draft = current.draft()
    draft, alerts = _checked(db, client_id, draft, today)
    if draft.note.is_empty() and not draft.treatments:
        raise ValidationError({"note": "An empty note cannot be signed; write the note first."})
    consented = clients.has_current_consent(db, client_id, _day(draft.visit.starts_at))
    if not consented and not without_consent:
        raise ValidationError({"consent": NO_CONSENT_MESSAGE})
    with db.transaction() as session:
        row = _editable(session, visit_id)
        versions.claim(_note_row(session, visit_id), expected_version, "this note")
        if given:
            _save(db, session, row, draft, alerts)
        session.flush()  # the note's last write must land before the visit locks it
        now = utcnow()
        row.signed_at = now
        row.signed_by = db.actor
        row.signed_by_id = db.practitioner_id
        row.signing_acknowledgements = (
            []
            if consented
            else [
                {
                    "kind": NO_CONSENT,
                    "text": NO_CONSENT_ACKNOWLEDGED,
                    "by": db.actor,
                    "at": now.isoformat(),
                }
            ]
        )
        session.flush()
        summary = f"Visit note signed by {db.actor}"
        _audit(
            db,
            session,
            row,
            "sign",
            summary if consented else f"{summary}, {NO_CONSENT_ACKNOWLEDGED.lower()}",
            {"signed_at": [None, audit.plain(row.signed_at)]},
        )
        return _record(session, row)


def consent_warning(db: Database, client_id: int, day: date) -> str:
    """What to tell the therapist starting or signing a visit on `day`; '' when consent is fine."""
    return "" if clients.has_current_consent(db, client_id, day) else NO_CONSENT_MESSAGE


def discard_visit(db: Database, visit_id: int) -> bool:
    """Remove a draft that holds nothing: explored, never written in. Returns whether it went.

    A visit with any note text, treatment, chart, score or invoice line stays (the scores and
    invoice lines hold it by their foreign keys); so does every signed visit.
    """
    with db.transaction() as session:
        row = session.get(VisitRow, visit_id) if is_id(visit_id) else None
        if row is None or row.signed_at is not None:
            return False
        note = session.get(SoapNoteRow, visit_id)
        record = _record(session, row)
        typed = VisitDraft.from_json(note.autosave) if note is not None and note.autosave else None
        if typed is not None and (not typed.note.is_empty() or typed.treatments):
            return False
        if not record.note.is_empty() or record.treatments or record.chart_id is not None:
            return False
        if record.measures or record.headaches or record.amendments:
            return False
        try:
            with session.begin_nested():
                if note is not None:
                    session.delete(note)
                session.delete(row)
                session.flush()
        except IntegrityError:  # an invoice line (or another record) refers to it
            return False
        audit.log(
            db,
            session,
            action="discard",
            entity="visit",
            entity_id=visit_id,
            client_id=record.visit.client_id,
            summary="Empty visit draft discarded",
        )
        return True


def amend_visit(db: Database, visit_id: int, reason: str, text: str) -> Amendment:
    """Add a dated correction to a signed note; the note itself stays as signed."""
    reason, text = clean(reason), clean(text)
    errors = {}
    if not reason:
        errors["reason"] = "Say why the note is being amended."
    if not text:
        errors["text"] = "Write the amendment."
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        row = _visit_row(session, visit_id)
        if row.signed_at is None:
            raise ValidationError(
                {
                    "visit": "This note is still a draft: edit it directly. "
                    "Amendments correct signed notes."
                }
            )
        amendment = AmendmentRow(
            visit_id=visit_id,
            author=db.actor,
            author_id=db.practitioner_id,
            reason=reason,
            text=text,
        )
        session.add(amendment)
        session.flush()
        _audit(
            db,
            session,
            row,
            "amend",
            f"Visit note amended: {reason}",
            {"amendment_id": [None, amendment.id], "reason": [None, reason], "text": [None, text]},
        )
        return _amendment(amendment)


def set_status(
    db: Database, visit_id: int, status: VisitStatus, today: date | None = None
) -> Visit:
    """Mark a draft visit completed, cancelled or a no-show."""
    current = get_visit(db, visit_id)
    if current.visit.signed:
        raise LockedRecordError(LOCKED_MESSAGE)
    saved = current.draft()
    draft = clean_draft(replace(saved, visit=replace(saved.visit, status=status)))
    errors = visit_errors(draft.visit, today or date.today()) | fit_errors(draft)
    if errors:
        raise ValidationError(errors)
    form = draft.visit
    with db.transaction() as session:
        row = _editable(session, visit_id)
        old = row.status
        if old != form.status:
            row.status = str(form.status)
            _audit(
                db,
                session,
                row,
                "status",
                f"Visit marked {form.status.label.lower()}",
                {"status": [old, str(form.status)]},
            )
        session.flush()
        return _visit(row)


# ---------------------------------------------------------------- reading


def get_visit(db: Database, visit_id: int) -> VisitRecord:
    with db.read() as session:
        return _record(session, _visit_row(session, visit_id))


def export_client_visits(db: Database, client_id: int) -> list[VisitRecord]:
    """Every visit of a client, oldest first, for an export; the export is audited."""
    with db.transaction() as session:
        get_or_raise(session, ClientRow, client_id, "client")
        rows = session.scalars(
            select(VisitRow)
            .where(VisitRow.client_id == client_id)
            .order_by(VisitRow.starts_at, VisitRow.id)
        ).all()
        records = [_record(session, row) for row in rows]
        audit.log(
            db,
            session,
            action="export",
            entity="visit",
            entity_id=None,
            client_id=client_id,
            summary=f"{len(records)} visit notes exported",
            changes={"visit_ids": [None, [r.visit.id for r in records]]},
        )
        return records


def stale_drafts(
    db: Database,
    older_than_days: int = DEFAULT_STALE_DRAFT_DAYS,
    today: date | None = None,
    *,
    client_id: int | None = None,
) -> list[StaleDraft]:
    """Completed visits whose note is still unsigned more than `older_than_days` days later
    (of one client, or of the whole practice)."""
    today = today or date.today()
    if not whole_in(older_than_days, 0, MAX_STALE_DRAFT_DAYS):
        raise ValidationError(
            {"older_than_days": f"Give a number of days from 0 to {MAX_STALE_DRAFT_DAYS}."}
        )
    cutoff = _local_midnight(today - timedelta(days=older_than_days))
    query = (
        select(
            VisitRow.id,
            VisitRow.client_id,
            ClientRow.given_name,
            ClientRow.preferred_name,
            ClientRow.family_name,
            VisitRow.starts_at,
        )
        .join(ClientRow, ClientRow.id == VisitRow.client_id)
        .where(
            VisitRow.signed_at.is_(None),
            VisitRow.status == VisitStatus.COMPLETED.value,
            VisitRow.starts_at < cutoff,
            *(() if client_id is None else (VisitRow.client_id == client_id,)),
        )
        .order_by(VisitRow.starts_at)
    )
    with db.read() as session:
        rows = session.connection().execute(query).all()
    return [
        StaleDraft(
            visit_id=vid,
            client_id=cid,
            client_name=f"{preferred or given} {family}".strip(),
            starts_at=starts_at,
            days_old=(today - starts_at.astimezone().date()).days,
        )
        for vid, cid, given, preferred, family, starts_at in rows
    ]


def start_from_last_visit(
    db: Database, client_id: int, starts_at: datetime | None = None
) -> VisitDraft:
    """A new draft shaped like the client's last completed visit: its plan and treatment log.

    Today's findings are not copied: pain scores, palpation, trigger points, range of motion,
    the response to treatment, and the acknowledgements of alerts, which must be given again.
    """
    starts_at = starts_at or datetime.now(UTC).replace(second=0, microsecond=0)
    with db.read() as session:
        get_or_raise(session, ClientRow, client_id, "client")
        last = session.scalar(
            select(VisitRow)
            .where(VisitRow.client_id == client_id, VisitRow.status == VisitStatus.COMPLETED.value)
            .order_by(VisitRow.starts_at.desc(), VisitRow.id.desc())
            .limit(1)
        )
        if last is None:
            return VisitDraft(VisitForm(starts_at))
        previous = _record(session, last)
    return VisitDraft(
        visit=VisitForm(starts_at, last.duration_minutes, last.place_of_service),
        note=previous.note.carried_over(),
        treatments=tuple(
            TreatmentInput(
                technique=t.technique,
                minutes=t.minutes,
                regions=t.regions,
                pressure=t.pressure,
                position=t.position,
                notes=t.notes,
                name=t.name,
                deep=t.deep,
            )
            for t in previous.treatments
        ),
    )


def audit_trail(
    db: Database,
    client_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 1000,
) -> list[audit.AuditRecord]:
    """The audit viewer's list, newest first: by client and between two dates (inclusive)."""
    if client_id is not None and not is_id(client_id):
        return []
    if not whole_in(limit, 1, MAX_AUDIT_ROWS):
        raise ValidationError({"limit": f"Show 1 to {MAX_AUDIT_ROWS:,} entries."})
    with db.read() as session:
        return audit.entries(
            session,
            client_id=client_id,
            since=_local_midnight(since) if since else None,
            until=_local_midnight(filter_day(until) + timedelta(days=1)) if until else None,
            limit=limit,
        )


# ---------------------------------------------------------------- helpers: writing


def _save(
    db: Database, session: Session, row: VisitRow, draft: VisitDraft, alerts: list[Alert]
) -> None:
    """Write a validated draft over an unsigned visit, with the audit entries it calls for."""
    note = _note_row(session, row.id)
    previous = _entry_rows(session, row.id)
    old = _audit_view(_draft_of(row, note, previous))
    now = utcnow()
    _set_visit(row, draft.visit)
    for key, value in _note_columns(draft.note).items():
        setattr(note, key, value)
    note.autosave, note.autosaved_at, note.saved_at = None, None, now
    stamps = {(r.technique_code, a["alert"]): a for r in previous for a in r.acknowledgements or ()}
    session.execute(delete(TreatmentEntryRow).where(TreatmentEntryRow.visit_id == row.id))
    acknowledged = _write_treatments(session, row.id, draft, alerts, stamps, db.actor, now)
    changes = audit.diff(old, _audit_view(draft))
    if changes:
        _audit(db, session, row, "update", "Visit note saved", changes)
    _audit_acknowledgements(db, session, row, acknowledged)


def _write_treatments(
    session: Session,
    visit_id: int,
    draft: VisitDraft,
    alerts: list[Alert],
    stamps: dict[tuple[str, str], dict[str, Any]],
    actor: str,
    now: datetime,
) -> list[tuple[str, dict[str, Any]]]:
    """Insert the treatment log; returns the acknowledgements given just now (technique, ack)."""
    new: list[tuple[str, dict[str, Any]]] = []
    for seq, entry in enumerate(draft.treatments):
        acknowledgements = []
        for alert in alerts_to_acknowledge(alerts, entry):
            stamp = stamps.get((entry.technique, alert.rule))
            if stamp is None:
                stamp = {
                    "alert": alert.rule,
                    "level": str(alert.level),
                    "title": alert.title,
                    "by": actor,
                    "at": now.isoformat(),
                }
                new.append((technique_name(entry), stamp))
            acknowledgements.append(stamp)
        session.add(
            TreatmentEntryRow(
                visit_id=visit_id,
                seq=seq,
                technique_code=entry.technique,
                technique_name=technique_name(entry),
                regions=list(entry.regions),
                minutes=entry.minutes,
                pressure=entry.pressure,
                position=str(entry.position),
                notes=entry.notes,
                deep=is_deep(entry),
                acknowledgements=acknowledgements,
            )
        )
    session.flush()
    return new


def _audit_acknowledgements(
    db: Database, session: Session, row: VisitRow, given: list[tuple[str, dict[str, Any]]]
) -> None:
    for technique, stamp in given:
        _audit(
            db,
            session,
            row,
            "acknowledge",
            f"{technique} chosen despite alert '{stamp['title']}' ({stamp['level']})",
            {"alert": [None, stamp["alert"]], "technique": [None, technique]},
        )


def _audit(
    db: Database,
    session: Session,
    row: VisitRow,
    action: str,
    summary: str,
    changes: dict[str, Any],
) -> None:
    audit.log(
        db,
        session,
        action=action,
        entity="visit",
        entity_id=row.id,
        client_id=row.client_id,
        summary=summary,
        changes=changes,
    )


def _set_visit(row: VisitRow, visit: VisitForm) -> None:
    row.starts_at = visit.starts_at
    row.duration_minutes = visit.duration_minutes
    row.place_of_service = visit.place_of_service
    row.status = str(visit.status)


def _note_columns(note: SoapNote) -> dict[str, Any]:
    return {**note.to_json(), "re_evaluation_on": note.re_evaluation_on}


def _audit_view(draft: VisitDraft) -> dict[str, Any]:
    """The draft as flat audit fields, leaving out the empty ones."""
    data = {
        **draft.visit.to_json(),
        **draft.note.to_json(),
        "treatments": [t.to_json() for t in draft.treatments],
    }
    return {key: value for key, value in data.items() if value not in ("", None, [])}


def _checked(
    db: Database, client_id: int, draft: VisitDraft, today: date | None
) -> tuple[VisitDraft, list[Alert]]:
    """The draft named and flagged from the technique library, validated; and the alerts."""
    library = techniques_by_code(db)
    draft = replace(draft, treatments=tuple(from_library(t, library) for t in draft.treatments))
    alerts = _alerts(db, client_id, draft)
    return validate_draft(draft, alerts, today or date.today(), techniques=library.keys()), alerts


def _alerts(db: Database, client_id: int, draft: VisitDraft) -> list[Alert]:
    """The client's alerts on the visit day; looked up only when the log has deep work."""
    if not any(is_deep(t) for t in draft.treatments):
        return []
    return clients.alerts_for(db, client_id, visit_day(draft.visit) or date.today())


def _unsigned_client(db: Database, visit_id: int) -> int:
    with db.read() as session:
        row = _visit_row(session, visit_id)
        if row.signed_at is not None:
            raise LockedRecordError(LOCKED_MESSAGE)
        return row.client_id


def _editable(session: Session, visit_id: int) -> VisitRow:
    row = _visit_row(session, visit_id)
    if row.signed_at is not None:
        raise LockedRecordError(LOCKED_MESSAGE)
    return row


# ---------------------------------------------------------------- helpers: reading


def _visit_row(session: Session, visit_id: int) -> VisitRow:
    return get_or_raise(session, VisitRow, visit_id, "visit")


def _note_row(session: Session, visit_id: int) -> SoapNoteRow:
    note = session.get(SoapNoteRow, visit_id)
    if note is None:  # every visit is created with its note
        raise NotFoundError(f"The note of visit {visit_id} is missing.")
    return note


def _entry_rows(session: Session, visit_id: int) -> list[TreatmentEntryRow]:
    query = (
        select(TreatmentEntryRow)
        .where(TreatmentEntryRow.visit_id == visit_id)
        .order_by(TreatmentEntryRow.seq)
    )
    return list(session.scalars(query))


def _record(session: Session, row: VisitRow) -> VisitRecord:
    note = _note_row(session, row.id)
    amendments = session.scalars(
        select(AmendmentRow)
        .where(AmendmentRow.visit_id == row.id)
        .order_by(AmendmentRow.created_at, AmendmentRow.id)
    )
    return VisitRecord(
        visit=_visit(row),
        note=_note(note),
        treatments=tuple(_entry(e) for e in _entry_rows(session, row.id)),
        amendments=tuple(_amendment(a) for a in amendments),
        saved_at=note.saved_at,
        version=note.version,
        autosaved=VisitDraft.from_json(note.autosave) if note.autosave else None,
        autosaved_at=note.autosaved_at,
        chart_id=visit_chart_id(session, row.id),
        measures=visit_measures(session, row.id, row.client_id),
        headaches=visit_headaches(session, row.id, row.client_id),
    )


def visit_chart_id(session: Session, visit_id: int) -> int | None:
    """The current version of the chart drawn at this visit (the newest, if there are two)."""
    superseded = select(BodyChartRow.supersedes_id).where(BodyChartRow.supersedes_id.is_not(None))
    return session.scalar(
        select(BodyChartRow.id)
        .where(BodyChartRow.visit_id == visit_id, BodyChartRow.id.not_in(superseded))
        .order_by(BodyChartRow.id.desc())
        .limit(1)
    )


def visit_measures(session: Session, visit_id: int, client_id: int) -> tuple[MeasureEntry, ...]:
    """The scores recorded at this visit (found through the client's scores: indexed)."""
    rows = session.scalars(
        select(MeasureValueRow)
        .where(MeasureValueRow.client_id == client_id, MeasureValueRow.visit_id == visit_id)
        .order_by(MeasureValueRow.id)
    )
    return tuple(
        MeasureEntry(
            r.id,
            f"custom:{r.custom_measure_id}" if r.custom_measure_id else r.measure,
            r.item,
            r.value,
            r.measured_on,
            r.visit_id,
        )
        for r in rows
    )


def visit_headaches(session: Session, visit_id: int, client_id: int) -> tuple[HeadacheEntry, ...]:
    """The diary entries reported at this visit (found through the client's diary: indexed)."""
    from practice.visits.outcomes import headache_entry

    rows = session.scalars(
        select(HeadacheEntryRow)
        .where(HeadacheEntryRow.client_id == client_id, HeadacheEntryRow.visit_id == visit_id)
        .order_by(HeadacheEntryRow.occurred_on, HeadacheEntryRow.id)
    )
    return tuple(headache_entry(r) for r in rows)


def _draft_of(row: VisitRow, note: SoapNoteRow, entries: list[TreatmentEntryRow]) -> VisitDraft:
    return VisitDraft(_visit(row).form(), _note(note), tuple(_entry(e).as_input() for e in entries))


def _visit(row: VisitRow) -> Visit:
    return Visit(
        id=row.id,
        client_id=row.client_id,
        starts_at=row.starts_at,
        duration_minutes=row.duration_minutes,
        place_of_service=row.place_of_service,
        status=VisitStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        signed_at=row.signed_at,
        signed_by=row.signed_by,
        signed_by_id=row.signed_by_id,
        signing_acknowledgements=tuple(
            SigningAcknowledgement(a["kind"], a["text"], a["by"], datetime.fromisoformat(a["at"]))
            for a in row.signing_acknowledgements or ()
        ),
    )


def _note(row: SoapNoteRow) -> SoapNote:
    return SoapNote.from_json({name: getattr(row, name) for name in NOTE_FIELDS})


def _entry(row: TreatmentEntryRow) -> TreatmentEntry:
    return TreatmentEntry(
        id=row.id,
        technique=row.technique_code,
        name=row.technique_name,
        regions=tuple(row.regions or ()),
        minutes=row.minutes,
        pressure=row.pressure,
        position=Position(row.position),
        notes=row.notes,
        deep=row.deep,
        acknowledgements=tuple(
            Acknowledgement(
                a["alert"], a["level"], a["title"], a["by"], datetime.fromisoformat(a["at"])
            )
            for a in row.acknowledgements or ()
        ),
    )


def _amendment(row: AmendmentRow) -> Amendment:
    return Amendment(row.id, row.visit_id, row.created_at, row.author, row.reason, row.text)


def _day(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()
