"""Property tests of visit notes: any note, treatment log, time, status and id.

A note the service accepts passes its own checks again unchanged; a refused one leaves the
database as it was; an autosave of anything either keeps the typing or says why not, and the
visit still opens afterwards.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import ClientForm
from practice.store import Database
from practice.techniques.library import techniques_by_code
from practice.text import name_key
from practice.visits import service
from practice.visits.records import (
    PLACES_OF_SERVICE,
    HistoryFilter,
    Position,
    SoapNote,
    TreatmentInput,
    TriggerPointFinding,
    TriggerPointState,
    VisitDraft,
    VisitForm,
    VisitStatus,
)
from practice.visits.validation import validate_draft
from tests.practice.fuzz import (
    KNOWN,
    days,
    enum_or_junk,
    forms,
    fuzz,
    known,
    long_reprs,
    moments,
    mostly,
    name_text,
    outcome,
    recent_days,
    row_ids,
    short_text,
    text,
    whole,
)

pytestmark = long_reprs
REGIONS = ("B_LOW_BACK_R", "B_LOW_BACK_L", "B_UPPER_BACK_R", "F_NECK_R")

visit_times = st.builds(
    lambda day, hour: datetime.combine(day, time(hour)).astimezone(),
    recent_days,
    st.integers(min_value=7, max_value=20),
)
TRIGGER_POINT = {
    "muscle": name_text,
    "state": st.sampled_from(list(TriggerPointState)),
    "side": st.sampled_from(["", "L", "R", " r "]),
    "note": text,
}
NOTE = {
    "complaint": text,
    "pain_before": st.none() | st.integers(0, 10),
    "changes_since_last": text,
    "posture": text,
    "tenderness_grade": st.none() | st.integers(0, 4),
    "trigger_points": st.lists(forms(TriggerPointFinding, TRIGGER_POINT, {}), max_size=2).map(
        tuple
    ),
    "pain_after": st.none() | st.integers(0, 10),
    "frequency": text,
    "home_care": text,
}
TREATMENT = {
    "technique": st.sampled_from(["effleurage", "myofascial_release", "petrissage"]),
    "minutes": st.integers(1, 20),
    "regions": st.lists(st.sampled_from(REGIONS), max_size=2, unique=True).map(tuple),
    "pressure": st.integers(1, 3),
    "position": st.sampled_from(list(Position)),
    "notes": text,
}
VISIT = {
    "starts_at": visit_times,
    "duration_minutes": st.integers(60, 90),
    "place_of_service": st.sampled_from(list(PLACES_OF_SERVICE)),
    "status": st.just(VisitStatus.COMPLETED),
}
bad_trigger_points = forms(
    TriggerPointFinding,
    TRIGGER_POINT,
    {"muscle": text, "state": enum_or_junk(TriggerPointState), "side": short_text},
)
bad_note = forms(
    SoapNote,
    NOTE,
    {
        "pain_before": whole(0, 10),
        "pain_after": whole(0, 10),
        "tenderness_grade": whole(0, 4),
        "re_evaluation_on": days,
        "trigger_points": st.lists(bad_trigger_points, min_size=1, max_size=2).map(tuple),
    },
)
bad_treatment = forms(
    TreatmentInput,
    TREATMENT,
    {
        "technique": text | st.sampled_from(["other", "deep_tissue", "trigger_point"]),
        "name": text,
        "minutes": whole(1, 480),
        "pressure": whole(1, 5),
        "position": enum_or_junk(Position),
        "regions": st.lists(text, min_size=1, max_size=2).map(tuple),
        "deep": st.booleans(),
    },
)
bad_visit = forms(
    VisitForm,
    VISIT,
    {
        "starts_at": moments,
        "duration_minutes": whole(1, 480),
        "place_of_service": text,
        "status": enum_or_junk(VisitStatus),
    },
)
notes = forms(SoapNote, NOTE, {})
treatment_logs = st.lists(forms(TreatmentInput, TREATMENT, {}), max_size=3).map(tuple)
drafts = forms(
    VisitDraft,
    valid={"visit": forms(VisitForm, VISIT, {}), "note": notes, "treatments": treatment_logs},
    junk={
        "visit": bad_visit,
        "note": bad_note,
        "treatments": st.lists(bad_treatment, min_size=1, max_size=3).map(tuple),
    },
)


@pytest.fixture(scope="module")
def client_id(shared_db: Database) -> int:
    """A client on warfarin: deep work needs an acknowledgement of the alert."""
    client = clients.create_client(shared_db, ClientForm("Kofi", "Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        shared_db, client.id, IntakeData(recorded_on=date.today(), medications=(warfarin,))
    )
    return client.id


@pytest.fixture(scope="module")
def history_client_id(shared_db: Database) -> int:
    """A client with a short history of its own: reading it stays quick whatever else is added."""
    client = clients.create_client(shared_db, ClientForm("Bea", "Lee"))
    for days_ago, status in ((40, VisitStatus.COMPLETED), (9, VisitStatus.NO_SHOW), (3, None)):
        starts = datetime.combine(date.today() - timedelta(days=days_ago), time(10)).astimezone()
        draft = VisitDraft(VisitForm(starts, status=status or VisitStatus.COMPLETED))
        service.create_visit(shared_db, client.id, draft)
    return client.id


def _still_valid(db: Database, record: object) -> None:
    """What was saved passes the checks again and comes back unchanged."""
    draft = record.draft()  # type: ignore[attr-defined]
    library = techniques_by_code(db).keys()
    again = validate_draft(draft, (), date.today(), techniques=library)
    assert again == draft
    assert sum(t.minutes for t in draft.treatments) <= draft.visit.duration_minutes


@fuzz
@given(draft=drafts, which=row_ids)
def test_creating_a_visit_refuses_or_saves_a_note_that_validates(
    shared_db: Database, client_id: int, draft: VisitDraft, which: object
) -> None:
    target = known(which, client_id)
    created = outcome(shared_db, lambda: service.create_visit(shared_db, target, draft))
    if created is not None:
        _still_valid(shared_db, created)
        assert service.get_visit(shared_db, created.visit.id) == created


@fuzz
@given(draft=drafts, which=row_ids, sign=st.booleans())
def test_saving_autosaving_and_signing_any_draft(
    shared_db: Database, client_id: int, draft: VisitDraft, which: object, sign: bool
) -> None:
    start = VisitDraft(VisitForm(datetime.now().astimezone() - timedelta(days=1)))
    visit_id = known(which, service.create_visit(shared_db, client_id, start).visit.id)

    def read() -> object:
        return service.get_visit(shared_db, visit_id)

    autosaved = outcome(shared_db, lambda: service.autosave_draft(shared_db, visit_id, draft))
    if autosaved is not None:
        outcome(shared_db, read)  # it still opens
    before = (read, read()) if which == KNOWN else None
    saved = outcome(
        shared_db, lambda: service.save_draft(shared_db, visit_id, draft), before=before
    )
    if saved is not None:
        _still_valid(shared_db, saved)
        if sign:
            signed = outcome(shared_db, lambda: service.sign_visit(shared_db, visit_id))
            if signed is not None:
                assert signed.visit.signed and signed.note == saved.note


@fuzz
@given(
    which=row_ids,
    reason=text,
    amendment=text,
    status=enum_or_junk(VisitStatus),
)
def test_amending_and_changing_status_of_any_visit(
    shared_db: Database, client_id: int, which: object, reason: str, amendment: str, status: object
) -> None:
    draft = VisitDraft(
        VisitForm(datetime.now().astimezone() - timedelta(days=2)), SoapNote(complaint="Neck")
    )
    visit_id = known(which, service.create_visit(shared_db, client_id, draft).visit.id)
    outcome(shared_db, lambda: service.set_status(shared_db, visit_id, status))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.sign_visit(shared_db, visit_id))
    added = outcome(shared_db, lambda: service.amend_visit(shared_db, visit_id, reason, amendment))
    if added is not None:
        assert added.reason and added.text
    outcome(shared_db, lambda: service.discard_autosave(shared_db, visit_id))
    outcome(shared_db, lambda: service.discard_visit(shared_db, visit_id))


@fuzz
@given(
    which=row_ids,
    since=st.none() | days,
    until=st.none() | days,
    statuses=st.frozensets(st.sampled_from(list(VisitStatus))),
    older_than=whole(0, 30),
    limit=whole(1, 100),
    starts_at=st.none() | moments,
)
def test_reading_history_reminders_and_the_audit_trail_with_any_filter(
    shared_db: Database,
    history_client_id: int,
    which: object,
    since: date | None,
    until: date | None,
    statuses: frozenset[VisitStatus],
    older_than: object,
    limit: object,
    starts_at: datetime | None,
) -> None:
    target = known(which, history_client_id)
    filters = HistoryFilter(since, until, statuses)
    outcome(shared_db, lambda: service.visit_history(shared_db, target, filters))
    outcome(shared_db, lambda: service.stale_drafts(shared_db, older_than))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.audit_trail(shared_db, target, since, until, limit))  # type: ignore[arg-type]
    outcome(
        shared_db,
        lambda: service.start_from_last_visit(shared_db, target, starts_at),
        stored=False,  # a draft to edit, checked when saved
    )


@fuzz
@given(
    name=mostly(name_text, text),
    note=mostly(notes, bad_note),
    entries=mostly(treatment_logs, st.lists(bad_treatment, max_size=3).map(tuple)),
    which=st.none() | row_ids,
    delete=st.booleans(),
)
def test_templates_are_refused_or_saved_clean_and_unique_whatever_the_case(
    shared_db: Database,
    name: str,
    note: SoapNote,
    entries: tuple[TreatmentInput, ...],
    which: object,
    delete: bool,
) -> None:
    first = service.list_templates(shared_db)
    template_id = None if which is None else known(which, first[0].id if first else 1)
    saved = outcome(
        shared_db, lambda: service.save_template(shared_db, name, note, entries, template_id)
    )
    if saved is not None:
        assert saved.note.pain_before is None and saved.note.re_evaluation_on is None
        twin = saved.name.swapcase()
        if name_key(twin) == name_key(saved.name):
            other = outcome(shared_db, lambda: service.save_template(shared_db, twin, note))
            assert other is None, "a second template with the same name in another case"
    keys = [name_key(t.name) for t in service.list_templates(shared_db)]
    assert len(keys) == len(set(keys))
    if delete and template_id is not None:
        outcome(shared_db, lambda: service.delete_template(shared_db, template_id))
