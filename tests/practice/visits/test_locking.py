"""A signed note is locked twice: the service refuses changes, and so does the database itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from practice.errors import LockedRecordError, ValidationError
from practice.store import Database
from practice.visits import service
from practice.visits.records import SoapNote, VisitDraft, VisitRecord, VisitStatus
from tests.rawsql import RawSQL

Draft = Callable[..., VisitDraft]

LOCKED = "signed visit notes cannot be changed; add an amendment"
TRIGGERS = {
    "visit_locked_update",
    "visit_locked_delete",
    "soap_note_locked_insert",
    "soap_note_locked_update",
    "soap_note_locked_delete",
    "treatment_entry_locked_insert",
    "treatment_entry_locked_update",
    "treatment_entry_locked_delete",
    "body_chart_locked_insert",
    "body_chart_locked_update",
    "body_chart_locked_delete",
    "amendment_append_only_update",
    "amendment_append_only_delete",
    "amendment_signed_only",
}


@pytest.fixture
def signed(db: Database, client_id: int, make_draft: Draft) -> VisitRecord:
    created = service.create_visit(db, client_id, make_draft())
    return service.sign_visit(db, created.visit.id)


@pytest.fixture
def raw(db: Database) -> Iterator[RawSQL]:
    """A plain connection to the practice's database: no Fascia code in the way."""
    conn = RawSQL(db)
    yield conn
    conn.close()


def test_the_locking_triggers_exist_at_head(raw: RawSQL) -> None:
    """A batch-mode migration that recreates a table drops its triggers; this catches it."""
    assert raw.trigger_names() >= TRIGGERS


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE soap_note SET pain_before = 2 WHERE visit_id = :id",
        "UPDATE soap_note SET autosave = '{}' WHERE visit_id = :id",
        "DELETE FROM soap_note WHERE visit_id = :id",
        "UPDATE treatment_entry SET minutes = 5 WHERE visit_id = :id",
        "DELETE FROM treatment_entry WHERE visit_id = :id",
        "UPDATE visit SET duration_minutes = 30 WHERE id = :id",
        "UPDATE visit SET signed_at = NULL WHERE id = :id",
        "DELETE FROM visit WHERE id = :id",
        "INSERT INTO treatment_entry (visit_id, seq, technique_code, technique_name, regions,"
        " minutes, pressure, position, notes, deep, acknowledgements)"
        " VALUES (:id, 9, 'cupping', 'Cupping', '[]', 5, 3, 'prone', '', TRUE, '[]')",
        "INSERT INTO body_chart (client_id, visit_id, charted_on, source, note, data,"
        " extent_percent, region_count, wpi, max_intensity, created_at, updated_at)"
        " SELECT client_id, id, '2026-01-01', 'visit', '', '{}', 0, 0, 0, 0, created_at,"
        " created_at FROM visit WHERE id = :id",
    ],
)
def test_raw_sql_cannot_change_a_signed_note(
    raw: RawSQL, signed: VisitRecord, statement: str
) -> None:
    with pytest.raises(raw.Error, match=LOCKED):
        raw.execute(statement, {"id": signed.visit.id})
    raw.rollback()
    assert raw.execute(
        "SELECT pain_before FROM soap_note WHERE visit_id = ?", (signed.visit.id,)
    ).fetchone() == (signed.note.pain_before,)


def test_the_trigger_error_is_an_integrity_error(raw: RawSQL, signed: VisitRecord) -> None:
    with pytest.raises(raw.IntegrityError):
        raw.execute("DELETE FROM soap_note WHERE visit_id = ?", (signed.visit.id,))


def test_raw_sql_can_still_update_a_draft(
    db: Database, raw: RawSQL, client_id: int, make_draft: Draft
) -> None:
    draft = service.create_visit(db, client_id, make_draft())
    raw.execute("UPDATE soap_note SET pain_before = 2 WHERE visit_id = ?", (draft.visit.id,))
    raw.execute("UPDATE treatment_entry SET minutes = 5 WHERE visit_id = ?", (draft.visit.id,))
    raw.commit()
    assert service.get_visit(db, draft.visit.id).note.pain_before == 2


def test_signing_is_the_one_update_a_draft_visit_row_allows_before_it_locks(
    raw: RawSQL, db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = service.create_visit(db, client_id, make_draft()).visit.id
    raw.execute("UPDATE visit SET signed_at = '2026-01-01 10:00:00' WHERE id = ?", (visit_id,))
    raw.commit()
    with pytest.raises(raw.Error, match=LOCKED):
        raw.execute("UPDATE visit SET signed_at = '2026-01-02 10:00:00' WHERE id = ?", (visit_id,))


def test_amendments_are_append_only_in_the_database(
    raw: RawSQL, db: Database, signed: VisitRecord
) -> None:
    amendment = service.amend_visit(db, signed.visit.id, "Wrong side", "QL on the left.")
    for statement in (
        "UPDATE amendment SET text = 'x' WHERE id = ?",
        "DELETE FROM amendment WHERE id = ?",
    ):
        with pytest.raises(raw.Error, match="amendments cannot be changed"):
            raw.execute(statement, (amendment.id,))


def test_the_database_refuses_an_amendment_of_a_draft(
    raw: RawSQL, db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = service.create_visit(db, client_id, make_draft()).visit.id
    with pytest.raises(raw.Error, match="only a signed visit note can be amended"):
        raw.execute(
            "INSERT INTO amendment (visit_id, created_at, author, reason, text)"
            " VALUES (?, '2026-01-01', 'x', 'y', 'z')",
            (visit_id,),
        )


def test_signed_note_cannot_be_edited_through_the_service(
    db: Database, signed: VisitRecord, make_draft: Draft
) -> None:
    visit_id = signed.visit.id
    with pytest.raises(LockedRecordError, match="amendment"):
        service.save_draft(db, visit_id, make_draft())
    with pytest.raises(LockedRecordError):
        service.autosave_draft(db, visit_id, make_draft())
    with pytest.raises(LockedRecordError):
        service.sign_visit(db, visit_id)
    with pytest.raises(LockedRecordError):
        service.set_status(db, visit_id, VisitStatus.NO_SHOW)
    with pytest.raises(LockedRecordError):
        service.discard_autosave(db, visit_id)
    assert service.get_visit(db, visit_id) == signed


def test_amendments_are_shown_with_the_original_never_replacing_it(
    db: Database, signed: VisitRecord
) -> None:
    first = service.amend_visit(db, signed.visit.id, "Wrong side", "QL on the left, not right.")
    second = service.amend_visit(db, signed.visit.id, "Client call", "Soreness gone next day.")
    loaded = service.get_visit(db, signed.visit.id)
    assert loaded.note == signed.note
    assert loaded.treatments == signed.treatments
    assert loaded.amendments == (first, second)
    assert first.author == "test-therapist"
    assert first.created_at <= second.created_at


def test_an_amendment_needs_a_reason_and_text_and_a_signed_note(
    db: Database, signed: VisitRecord, client_id: int, make_draft: Draft
) -> None:
    with pytest.raises(ValidationError) as error:
        service.amend_visit(db, signed.visit.id, "  ", "")
    assert set(error.value.errors) == {"reason", "text"}
    draft = service.create_visit(db, client_id, make_draft())
    with pytest.raises(ValidationError, match="still a draft"):
        service.amend_visit(db, draft.visit.id, "Reason", "Text")
    assert service.get_visit(db, draft.visit.id).amendments == ()


def test_an_empty_note_cannot_be_signed(db: Database, client_id: int, make_draft: Draft) -> None:
    visit_id = service.create_visit(db, client_id, make_draft(SoapNote(), ())).visit.id
    with pytest.raises(ValidationError, match="empty note"):
        service.sign_visit(db, visit_id)
    assert not service.get_visit(db, visit_id).visit.signed


def test_signing_with_unsaved_autosaved_typing_is_refused_until_saved_or_discarded(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = service.create_visit(db, client_id, make_draft()).visit.id
    typing = make_draft(replace(make_draft().note, complaint="Typed, not saved"))
    service.autosave_draft(db, visit_id, typing)
    with pytest.raises(ValidationError, match="unsaved changes"):
        service.sign_visit(db, visit_id)
    signed = service.sign_visit(db, visit_id, typing)
    assert signed.note.complaint == "Typed, not saved"
    assert signed.autosaved is None
    assert signed.visit.signed_by == "test-therapist"
