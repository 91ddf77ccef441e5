"""Two people editing one record: the second save, made from what they opened before the first
landed, is refused in plain words and changes nothing (store.versions). On both engines: two
Database objects on one practice file, or two clinic computers on one server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.billing import invoices
from practice.billing.queries import get_invoice
from practice.billing.records import LineForm
from practice.clients import service as clients
from practice.clients.intake import IntakeData
from practice.clients.records import ClientForm
from practice.errors import ConflictError
from practice.plans import service as plans
from practice.plans.records import PlanForm, PlanStatus
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.rawsql import another_database

TODAY = date(2026, 3, 2)


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """The same practice opened by a second person (another process, or clinic computer)."""
    second = another_database(db)
    yield second
    second.close()


def test_a_client_saved_by_someone_else_after_i_opened_it_refuses_my_save(
    db: Database, other: Database
) -> None:
    mine = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    theirs = clients.get_client(other, mine.id)
    clients.update_client(
        other,
        mine.id,
        replace(theirs.form(), phone_mobile="555-0101"),
        expected_version=theirs.version,
    )
    with pytest.raises(ConflictError, match="Someone else saved this client's details"):
        clients.update_client(
            db,
            mine.id,
            replace(mine.form(), email="ana@example.org"),
            expected_version=mine.version,
        )
    stored = clients.get_client(db, mine.id)
    assert (stored.phone_mobile, stored.email) == ("555-0101", "")
    again = clients.update_client(
        db,
        mine.id,
        replace(stored.form(), email="ana@example.org"),
        expected_version=stored.version,
    )
    assert (again.phone_mobile, again.email) == ("555-0101", "ana@example.org")


def test_a_draft_note_saved_by_someone_else_refuses_my_older_draft(
    db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
    mine = visits.create_visit(db, client.id, draft)
    theirs = visits.get_visit(other, mine.visit.id)
    theirs_draft = replace(theirs.draft(), note=replace(theirs.note, complaint="Neck, worse"))
    visits.save_draft(other, mine.visit.id, theirs_draft, expected_version=theirs.version)
    my_draft = replace(mine.draft(), note=replace(mine.note, complaint="Neck, better"))
    with pytest.raises(ConflictError, match="this note"):
        visits.save_draft(db, mine.visit.id, my_draft, expected_version=mine.version)
    assert visits.get_visit(db, mine.visit.id).note.complaint == "Neck, worse"


def test_a_plan_saved_by_someone_else_refuses_my_older_plan(db: Database, other: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    mine = plans.create_plan(db, client.id, PlanForm(TODAY, 1, 6), today=TODAY)
    theirs = plans.get_plan(other, mine.id)
    plans.update_plan(
        other, mine.id, PlanForm(TODAY, 2, 6), today=TODAY, expected_version=theirs.version
    )
    with pytest.raises(ConflictError, match="this plan"):
        plans.update_plan(
            db, mine.id, PlanForm(TODAY, 1, 8), today=TODAY, expected_version=mine.version
        )
    stored = plans.get_plan(db, mine.id)
    assert (stored.frequency_count, stored.length_weeks) == (2, 6)


def test_a_draft_invoice_changed_by_someone_else_refuses_my_older_draft(
    db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    line = LineForm("Massage, 60 min", unit_price=Decimal("90.00"), tax_rate_ids=())
    mine = invoices.create_invoice(db, client.id, [line])
    invoices.add_line(other, mine.id, replace(line, description="Arnica balm"))
    with pytest.raises(ConflictError, match="this draft invoice"):
        invoices.update_draft(db, mine.id, notes="Thank you", expected_version=mine.version)
    stored = get_invoice(db, mine.id)
    assert stored.notes == "" and len(stored.lines) == 2


def _note(db: Database, complaint: str = "Neck") -> int:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint=complaint), ())
    return visits.create_visit(db, client.id, draft).visit.id


def test_signing_a_note_someone_else_saved_after_i_opened_it_is_refused_unsigned(
    db: Database, other: Database
) -> None:
    visit_id = _note(db)
    mine = visits.get_visit(db, visit_id)
    theirs = visits.get_visit(other, visit_id)
    changed = replace(theirs.draft(), note=replace(theirs.note, complaint="Neck, worse"))
    visits.save_draft(other, visit_id, changed, expected_version=theirs.version)
    with pytest.raises(ConflictError, match="this note"):
        visits.sign_visit(
            db, visit_id, mine.draft(), without_consent=True, expected_version=mine.version
        )
    stored = visits.get_visit(db, visit_id)
    assert not stored.visit.signed and stored.note.complaint == "Neck, worse"
    signed = visits.sign_visit(
        db, visit_id, stored.draft(), without_consent=True, expected_version=stored.version
    )
    assert signed.visit.signed and signed.note.complaint == "Neck, worse"


def test_signing_without_a_draft_checks_the_version_too(db: Database, other: Database) -> None:
    visit_id = _note(db)
    mine = visits.get_visit(db, visit_id)
    theirs = visits.get_visit(other, visit_id)
    visits.save_draft(other, visit_id, theirs.draft(), expected_version=theirs.version)
    with pytest.raises(ConflictError):
        visits.sign_visit(db, visit_id, without_consent=True, expected_version=mine.version)
    assert not visits.get_visit(db, visit_id).visit.signed


def test_autosave_from_an_older_note_than_someone_elses_save_is_not_kept(
    db: Database, other: Database
) -> None:
    visit_id = _note(db)
    mine = visits.get_visit(db, visit_id)
    theirs = visits.get_visit(other, visit_id)
    changed = replace(theirs.draft(), note=replace(theirs.note, complaint="Neck, worse"))
    visits.save_draft(other, visit_id, changed, expected_version=theirs.version)
    typing = replace(mine.draft(), note=replace(mine.note, complaint="Neck, better"))
    with pytest.raises(ConflictError, match="this note"):
        visits.autosave_draft(db, visit_id, typing, expected_version=mine.version)
    stored = visits.get_visit(db, visit_id)
    assert stored.autosaved is None and stored.note.complaint == "Neck, worse"
    # From the stored version the typing is kept (and saving it is still a separate step).
    visits.autosave_draft(db, visit_id, typing, expected_version=stored.version)
    kept = visits.get_visit(db, visit_id)
    assert kept.autosaved is not None and kept.autosaved.note.complaint == "Neck, better"
    assert kept.version == stored.version


def test_a_plan_status_changed_from_an_older_plan_is_refused(db: Database, other: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    mine = plans.create_plan(db, client.id, PlanForm(TODAY, 1, 6), today=TODAY)
    theirs = plans.get_plan(other, mine.id)
    held = plans.set_status(other, mine.id, PlanStatus.ON_HOLD, expected_version=theirs.version)
    assert held.version > theirs.version
    with pytest.raises(ConflictError, match="this plan"):
        plans.set_status(db, mine.id, PlanStatus.DISCHARGED, expected_version=mine.version)
    assert plans.get_plan(db, mine.id).status == PlanStatus.ON_HOLD
    with pytest.raises(ConflictError):  # an edit from before the status change too
        plans.update_plan(
            db, mine.id, PlanForm(TODAY, 1, 8), today=TODAY, expected_version=mine.version
        )
    closed = plans.set_status(db, mine.id, PlanStatus.DISCHARGED, expected_version=held.version)
    assert closed.status == PlanStatus.DISCHARGED


def test_an_intake_recorded_from_before_someone_elses_is_refused(
    db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    first = clients.save_intake(db, client.id, IntakeData(TODAY, allergies="None"))
    seen = first.id  # both forms were filled from the first intake
    theirs = clients.save_intake(
        other, client.id, IntakeData(TODAY, allergies="Latex"), expected_latest=seen
    )
    with pytest.raises(ConflictError, match="this client's intake"):
        clients.save_intake(
            db, client.id, IntakeData(TODAY, allergies="Arnica"), expected_latest=seen
        )
    assert [i.id for i in clients.intake_history(db, client.id)] == [theirs.id, first.id]
    assert clients.latest_intake(db, client.id).data.allergies == "Latex"  # type: ignore[union-attr]


def test_a_first_intake_recorded_while_someone_else_recorded_one_is_refused(
    db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    clients.save_intake(other, client.id, IntakeData(TODAY, allergies="Latex"), expected_latest=0)
    with pytest.raises(ConflictError):
        clients.save_intake(db, client.id, IntakeData(TODAY), expected_latest=0)
    assert len(clients.intake_history(db, client.id)) == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seen=st.integers(min_value=-(2**63), max_value=2**63 - 1), phone=st.text(max_size=40))
def test_a_save_from_any_version_but_the_stored_one_is_refused_and_changes_nothing(
    db: Database, seen: int, phone: str
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    if seen == client.version:
        return
    with pytest.raises(ConflictError):
        clients.update_client(
            db, client.id, replace(client.form(), phone_mobile="555"), expected_version=seen
        )
    assert clients.get_client(db, client.id) == client


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seen=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    write=st.sampled_from(["sign", "autosave", "status", "intake"]),
)
def test_signing_autosave_status_and_intake_from_any_other_version_change_nothing(
    db: Database, seen: int, write: str
) -> None:
    visit_id = _note(db)
    note = visits.get_visit(db, visit_id)
    client_id = note.visit.client_id
    plan = plans.create_plan(db, client_id, PlanForm(TODAY, 1, 6), today=TODAY)
    stored = {"sign": note.version, "autosave": note.version, "status": plan.version}
    if seen == stored.get(write, 0):
        return
    attempts = {
        "sign": lambda: visits.sign_visit(
            db, visit_id, note.draft(), without_consent=True, expected_version=seen
        ),
        "autosave": lambda: visits.autosave_draft(
            db, visit_id, note.draft(), expected_version=seen
        ),
        "status": lambda: plans.set_status(db, plan.id, PlanStatus.ON_HOLD, expected_version=seen),
        "intake": lambda: clients.save_intake(
            db, client_id, IntakeData(TODAY), expected_latest=seen
        ),
    }
    with pytest.raises(ConflictError):
        attempts[write]()
    assert visits.get_visit(db, visit_id) == note
    assert plans.get_plan(db, plan.id) == plan
    assert clients.intake_history(db, client_id) == []
