"""One truthful record: who signs, what is locked with a signature, and no stray drafts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from practice.bodymap import service as charts
from practice.bodymap.chart import ChartData, RegionMark
from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.errors import LockedRecordError, ValidationError
from practice.store import Database, audit, open_database
from practice.store.practitioners import SETUP_ACTOR, PractitionerForm, save_practitioner
from practice.summaries.demo import give_consent
from practice.visits import outcomes
from practice.visits import service as visits
from practice.visits.charts import save_visit_chart
from practice.visits.records import (
    NO_CONSENT,
    HeadacheForm,
    PsfsItem,
    SoapNote,
    VisitDraft,
    VisitForm,
)

Draft = Callable[..., VisitDraft]

CHART = ChartData(marks=(RegionMark("B_LOW_BACK_R", 6),))


@pytest.fixture
def maya(data_dir: Path) -> Iterator[Database]:
    """A practice whose therapist is set up: no actor override, the practitioner signs."""
    db = open_database(data_dir)
    clients.save_profile(
        db,
        PracticeProfile(therapist_name="Maya Chen", credentials="RMT", registration_number="12345"),
    )
    yield db
    db.close()


def _visit(db: Database, client_id: int, make_draft: Draft) -> int:
    return visits.create_visit(db, client_id, make_draft()).visit.id


def test_the_practitioner_signs_notes_and_amendments_never_the_os_login(
    maya: Database, make_draft: Draft
) -> None:
    import getpass

    client = clients.create_client(maya, ClientForm(given_name="Ana"))
    give_consent(maya, client.id, date.today() - timedelta(days=30))
    visit_id = _visit(maya, client.id, make_draft)
    signed = visits.sign_visit(maya, visit_id)
    assert signed.visit.signed_by == "Maya Chen, RMT (reg. 12345)"
    assert signed.visit.signed_by_id == maya.practitioner_id
    line = signed.visit.signature_line()
    assert line.startswith("Signed by Maya Chen, RMT (reg. 12345), ")
    amendment = visits.amend_visit(maya, visit_id, "Typo", "Left side, not right.")
    assert amendment.author == "Maya Chen, RMT (reg. 12345)"
    with maya.read() as session:
        entries = audit.entries(session)
    login = getpass.getuser()
    assert entries and all(e.actor != login for e in entries)
    assert {e.actor for e in entries} == {"Maya Chen, RMT (reg. 12345)"}
    assert {e.practitioner_id for e in entries} == {maya.practitioner_id}


def test_before_anyone_is_set_up_writes_are_attributed_to_setup_not_the_login(
    data_dir: Path,
) -> None:
    db = open_database(data_dir)
    try:
        assert db.actor == SETUP_ACTOR and db.practitioner_id is None
        saved = save_practitioner(db, PractitionerForm("Maya Chen", "RMT"))
        assert db.actor == "Maya Chen, RMT" and db.practitioner_id == saved.id
    finally:
        db.close()
    reopened = open_database(data_dir)
    try:
        assert reopened.actor == "Maya Chen, RMT"
    finally:
        reopened.close()


def test_signing_without_a_current_consent_asks_and_records_the_acknowledgement(
    db: Database, make_draft: Draft
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Nour"))
    visit_id = _visit(db, client.id, make_draft)
    assert visits.consent_warning(db, client.id, date.today())
    with pytest.raises(ValidationError) as refused:
        visits.sign_visit(db, visit_id)
    assert "No current consent" in refused.value.errors["consent"]
    assert not visits.get_visit(db, visit_id).visit.signed
    signed = visits.sign_visit(db, visit_id, without_consent=True)
    [acknowledged] = signed.visit.signing_acknowledgements
    assert acknowledged.kind == NO_CONSENT and acknowledged.by == db.actor
    with db.read() as session:
        [sign] = [e for e in audit.entries(session, client_id=client.id) if e.action == "sign"]
    assert "without a current consent" in sign.summary


def test_a_withdrawn_or_later_consent_is_not_current(
    db: Database, consent: Callable[..., None]
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Nour"))
    consent(client.id, days_ago=0)
    assert not visits.consent_warning(db, client.id, date.today())
    assert visits.consent_warning(db, client.id, date.today() - timedelta(days=3))
    [given] = clients.consents_for(db, client.id)
    clients.withdraw_consent(db, given.id, "Client asked to stop")
    assert visits.consent_warning(db, client.id, date.today() + timedelta(days=1))


def test_a_visits_chart_is_bound_to_it_versioned_and_locked_by_the_signature(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = _visit(db, client_id, make_draft)
    first = save_visit_chart(db, visit_id, CHART)
    assert first.visit_id == visit_id and first.source == "visit"
    more = ChartData(marks=(RegionMark("B_LOW_BACK_R", 6), RegionMark("B_LOW_BACK_L", 3)))
    second = save_visit_chart(db, visit_id, more)
    assert second.supersedes_id == first.id and second.visit_id == visit_id
    assert visits.get_visit(db, visit_id).chart_id == second.id
    visits.sign_visit(db, visit_id)
    with pytest.raises(LockedRecordError, match="signed visit"):
        save_visit_chart(db, visit_id, ChartData())
    with pytest.raises(LockedRecordError, match="signed visit"):
        charts.save_chart(db, client_id, date.today(), ChartData(), chart_id=second.id)
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO body_chart (client_id, visit_id, charted_on, source, note, data, "
                "extent_percent, region_count, wpi, max_intensity, created_at, updated_at) "
                "VALUES (:c, :v, '2026-01-01', 'visit', '', '{}', 0, 0, 0, 0, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"c": client_id, "v": visit_id},
        )
    assert visits.get_visit(db, visit_id).chart_id == second.id


def test_a_visits_measures_are_recorded_with_it_and_locked_by_the_signature(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = _visit(db, client_id, make_draft)
    day = visits.get_visit(db, visit_id).visit.day
    outcomes.record_psfs(db, client_id, day, [PsfsItem("Lift the kettle", 4)], visit_id=visit_id)
    outcomes.record_sleep_quality(db, client_id, day, 6, visit_id=visit_id)
    outcomes.record_headache(db, client_id, HeadacheForm(day, 2, 5), visit_id=visit_id)
    record = visits.get_visit(db, visit_id)
    assert sorted(m.measure for m in record.measures) == ["psfs", "sleep_quality"]
    assert [h.entry.intensity for h in record.headaches] == [5]
    visits.sign_visit(db, visit_id)
    with pytest.raises(LockedRecordError):
        outcomes.record_sleep_quality(db, client_id, day, 8, visit_id=visit_id)
    for statement in (
        "UPDATE measure_value SET value = 9 WHERE visit_id = :v",
        "DELETE FROM measure_value WHERE visit_id = :v",
        "UPDATE headache_entry SET intensity = 1 WHERE visit_id = :v",
        "DELETE FROM headache_entry WHERE visit_id = :v",
    ):
        with pytest.raises(IntegrityError), db.transaction() as session:
            session.execute(text(statement), {"v": visit_id})
    assert len(visits.get_visit(db, visit_id).measures) == 2
    outcomes.record_sleep_quality(db, client_id, day, 8)  # on its own, dated: still possible


def test_an_empty_draft_is_discarded_and_anything_written_keeps_it(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    starts = make_draft().visit.starts_at
    empty = visits.create_visit(db, client_id, VisitDraft(VisitForm(starts))).visit.id
    assert visits.discard_visit(db, empty)
    with pytest.raises(Exception, match="No visit"):
        visits.get_visit(db, empty)
    written = visits.create_visit(db, client_id, VisitDraft(VisitForm(starts))).visit.id
    visits.autosave_draft(
        db, written, VisitDraft(VisitForm(starts), SoapNote(complaint="Sore neck"))
    )
    assert not visits.discard_visit(db, written), "kept typing is not empty"
    scored = visits.create_visit(db, client_id, VisitDraft(VisitForm(starts))).visit.id
    outcomes.record_sleep_quality(db, client_id, date.today(), 5, visit_id=scored)
    assert not visits.discard_visit(db, scored)
    signed = _visit(db, client_id, make_draft)
    visits.sign_visit(db, signed)
    assert not visits.discard_visit(db, signed)
    with db.read() as session:
        actions = [e.action for e in audit.entries(session, client_id=client_id)]
    assert actions.count("discard") == 1
