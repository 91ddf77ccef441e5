"""Writing visit notes through the service: validation, autosave, fast entry, alerts, audit."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.errors import NotFoundError, ValidationError
from practice.printouts import visit_note_pdf
from practice.store import Database, open_database
from practice.visits import service
from practice.visits.records import (
    HistoryFilter,
    SoapNote,
    TreatmentInput,
    TriggerPointFinding,
    VisitDraft,
    VisitStatus,
)
from practice.visits.techniques import alerts_to_acknowledge

Draft = Callable[..., VisitDraft]


def _visit_actions(db: Database, client_id: int) -> list[str]:
    return [e.action for e in service.audit_trail(db, client_id) if e.entity == "visit"][::-1]


def test_a_created_visit_loads_back_exactly(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    draft = make_draft()
    created = service.create_visit(db, client_id, draft)
    loaded = service.get_visit(db, created.visit.id)
    assert loaded == created
    assert loaded.draft() == replace(
        draft,
        treatments=tuple(
            replace(t, name=e.name)
            for t, e in zip(draft.treatments, loaded.treatments, strict=True)
        ),
    )
    assert loaded.treatment_minutes == 35
    assert not loaded.visit.signed
    assert loaded.visit.ends_at - loaded.visit.starts_at == timedelta(minutes=60)


def test_creating_a_visit_for_an_unknown_client_is_refused(db: Database, make_draft: Draft) -> None:
    with pytest.raises(NotFoundError):
        service.create_visit(db, 999, make_draft())


# ---------------------------------------------------------------- bad input, nothing saved

BAD_NOTES = [
    (replace(SoapNote(), pain_before=11), "pain_before", "0 to 10"),
    (replace(SoapNote(), pain_before=-1), "pain_before", "0 to 10"),
    (replace(SoapNote(), pain_after=10.5), "pain_after", "0 to 10"),  # type: ignore[arg-type]
    (replace(SoapNote(), tenderness_grade=5), "tenderness_grade", "0 to IV"),
    (
        replace(SoapNote(), trigger_points=(TriggerPointFinding(" "),)),
        "trigger_points[0]",
        "muscle",
    ),
    (
        replace(SoapNote(), re_evaluation_on=date.today() - timedelta(days=30)),
        "re_evaluation_on",
        "before the visit",
    ),
]


@pytest.mark.parametrize(("note", "field", "words"), BAD_NOTES)
def test_out_of_range_scores_are_refused_and_nothing_is_saved(
    db: Database, client_id: int, make_draft: Draft, note: SoapNote, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, client_id, make_draft(note, ()))
    assert words in error.value.errors[field]
    assert service.visit_history(db, client_id) == []
    assert _visit_actions(db, client_id) == []


BAD_TREATMENTS = [
    (TreatmentInput("effleurage", 10, pressure=6), "treatments[0].pressure", "1 to 5"),
    (TreatmentInput("effleurage", 10, pressure=0), "treatments[0].pressure", "1 to 5"),
    (TreatmentInput("effleurage", 0), "treatments[0].minutes", "at least 1"),
    (TreatmentInput("effleurage", 10, ("B_NOWHERE",)), "treatments[0].regions", "B_NOWHERE"),
    (TreatmentInput("reiki_deluxe", 10), "treatments[0].technique", "from the list"),
    (TreatmentInput("other", 10), "treatments[0].technique", "Name the technique"),
    (
        TreatmentInput("effleurage", 10, position="upside_down"),
        "treatments[0].position",
        "position",
    ),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("entry", "field", "words"), BAD_TREATMENTS)
def test_bad_treatment_entries_are_refused_and_nothing_is_saved(
    db: Database, client_id: int, make_draft: Draft, entry: TreatmentInput, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, client_id, make_draft(treatments=(entry,)))
    assert words in error.value.errors[field]
    assert service.visit_history(db, client_id) == []


@pytest.mark.parametrize(
    ("visit", "field", "words"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "ends before it starts"),
        ({"duration_minutes": -15}, "duration_minutes", "ends before it starts"),
        ({"duration_minutes": 600}, "duration_minutes", "8 hours"),
        ({"ago": -1}, "starts_at", "cannot be dated after today"),
        ({"ago": -7, "status": VisitStatus.NO_SHOW}, "starts_at", "after today"),
        ({"place_of_service": "77"}, "place_of_service", "Unknown place of service"),
        ({"status": "postponed"}, "status", "completed, cancelled or no-show"),
        ({"starts_at": datetime(2026, 1, 5, 10)}, "starts_at", "time zone"),
        ({"starts_at": datetime(1, 1, 1, tzinfo=UTC)}, "starts_at", "check the year"),
        ({"starts_at": datetime(9999, 12, 31, 23, tzinfo=UTC)}, "starts_at", "check the year"),
        ({"duration_minutes": 60.5}, "duration_minutes", "ends before it starts"),
        ({"duration_minutes": True}, "duration_minutes", "ends before it starts"),
    ],
)
def test_bad_visit_facts_are_refused_and_nothing_is_saved(
    db: Database, client_id: int, make_draft: Draft, visit: dict, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, client_id, make_draft(SoapNote(), (), **visit))
    assert words in error.value.errors[field]
    assert service.visit_history(db, client_id) == []


def test_treatment_minutes_that_exceed_the_visit_are_refused(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    entries = (TreatmentInput("effleurage", 40), TreatmentInput("petrissage", 30))
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, client_id, make_draft(treatments=entries, duration_minutes=60))
    assert error.value.errors["treatments"] == (
        "The treatment minutes add up to 70, more than the 60-minute visit."
    )


def test_a_cancelled_visit_may_be_in_the_future_but_has_no_treatment(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    ahead = make_draft(SoapNote(), (), ago=-3, status=VisitStatus.CANCELLED)
    assert service.create_visit(db, client_id, ahead).visit.status is VisitStatus.CANCELLED
    with pytest.raises(ValidationError, match="cancelled visit has no treatment"):
        service.create_visit(db, client_id, make_draft(status=VisitStatus.CANCELLED))


def test_every_problem_is_reported_at_once(db: Database, client_id: int, make_draft: Draft) -> None:
    draft = make_draft(
        replace(SoapNote(), pain_before=12, pain_after=-2),
        (TreatmentInput("effleurage", 10, pressure=9),),
        duration_minutes=0,
    )
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, client_id, draft)
    assert set(error.value.errors) == {
        "pain_before",
        "pain_after",
        "treatments[0].pressure",
        "duration_minutes",
    }


def test_a_failed_save_leaves_the_saved_draft_as_it_was(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    created = service.create_visit(db, client_id, make_draft())
    bad = make_draft(replace(created.note, complaint="changed", pain_before=15))
    with pytest.raises(ValidationError):
        service.save_draft(db, created.visit.id, bad)
    assert service.get_visit(db, created.visit.id) == created


def test_text_is_trimmed_and_normalised(db: Database, client_id: int, make_draft: Draft) -> None:
    note = replace(SoapNote(), complaint="  Cafe\u0301 au lait spill, sore wrist \n")
    saved = service.create_visit(db, client_id, make_draft(note, ()))
    assert saved.note.complaint == "Café au lait spill, sore wrist"


# ---------------------------------------------------------------- autosave


def test_autosave_keeps_typing_without_touching_the_saved_note(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    created = service.create_visit(db, client_id, make_draft())
    typing = make_draft(replace(created.note, complaint="Half-typed", pain_before=99))
    service.autosave_draft(db, created.visit.id, typing)  # unvalidated: 99 is mid-typing
    loaded = service.get_visit(db, created.visit.id)
    assert loaded.note == created.note
    assert loaded.autosaved == typing
    assert loaded.autosaved_at is not None
    service.discard_autosave(db, created.visit.id)
    assert service.get_visit(db, created.visit.id).autosaved is None


def test_autosave_refuses_a_number_no_column_could_hold_and_keeps_the_earlier_typing(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    created = service.create_visit(db, client_id, make_draft())
    typing = make_draft(replace(created.note, complaint="Half-typed"))
    service.autosave_draft(db, created.visit.id, typing)
    absurd = make_draft(replace(created.note, pain_after=2**80))
    with pytest.raises(ValidationError):
        service.autosave_draft(db, created.visit.id, absurd)
    assert service.get_visit(db, created.visit.id).autosaved == typing


def test_autosave_is_not_audited_but_creation_and_saves_are(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    created = service.create_visit(db, client_id, make_draft())
    for _ in range(5):
        service.autosave_draft(db, created.visit.id, make_draft())
    service.save_draft(db, created.visit.id, make_draft(replace(created.note, pain_after=2)))
    assert _visit_actions(db, client_id) == ["create", "update"]


def test_an_explicit_save_clears_the_autosave(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    created = service.create_visit(db, client_id, make_draft())
    service.autosave_draft(db, created.visit.id, make_draft())
    assert service.save_draft(db, created.visit.id, make_draft()).autosaved is None


def test_autosaved_typing_survives_a_hard_kill(data_dir: Path, make_draft: Draft) -> None:
    code = (
        "import os, sys; from pathlib import Path\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from practice.store import open_database\n"
        "from practice.clients import service as clients\n"
        "from practice.clients.records import ClientForm\n"
        "from practice.visits import service\n"
        "from practice.visits.records import SoapNote, VisitDraft, VisitForm\n"
        f"db = open_database(Path({str(data_dir)!r}))\n"
        "client = clients.create_client(db, ClientForm(given_name='Ana'))\n"
        "when = datetime.now(timezone.utc) - timedelta(hours=2)\n"
        "visit = service.create_visit(db, client.id, VisitDraft(VisitForm(when)))\n"
        "typing = VisitDraft(VisitForm(when), SoapNote(complaint='Neck stiff since Monday'))\n"
        "service.autosave_draft(db, visit.visit.id, typing)\n"
        "os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9
    db = open_database(data_dir)
    try:
        recovered = service.get_visit(db, 1).autosaved
        assert recovered is not None and recovered.note.complaint == "Neck stiff since Monday"
    finally:
        db.close()


def test_autosave_of_an_unknown_visit_is_refused(db: Database, make_draft: Draft) -> None:
    with pytest.raises(NotFoundError):
        service.autosave_draft(db, 404, make_draft())


# ---------------------------------------------------------------- fast entry


def test_start_from_last_visit_copies_techniques_and_plan_but_not_measurements(
    db: Database, client_id: int, make_draft: Draft, ago: Callable[..., datetime]
) -> None:
    service.create_visit(db, client_id, make_draft(ago=14))
    last = service.create_visit(db, client_id, make_draft(ago=7, duration_minutes=75))
    service.create_visit(
        db, client_id, make_draft(SoapNote(), (), ago=2, status=VisitStatus.NO_SHOW)
    )
    start = service.start_from_last_visit(db, client_id, ago(0))
    assert [t.technique for t in start.treatments] == [t.technique for t in last.treatments]
    assert [t.regions for t in start.treatments] == [t.regions for t in last.treatments]
    assert [t.minutes for t in start.treatments] == [20, 15]
    assert start.visit.duration_minutes == 75
    assert start.visit.starts_at == ago(0)
    assert start.note.home_care == last.note.home_care
    assert start.note.next_focus == last.note.next_focus
    assert start.note.pain_before is None and start.note.pain_after is None
    assert start.note.tenderness_grade is None
    assert start.note.trigger_points == ()
    assert start.note.range_of_motion == "" and start.note.response == ""


def test_start_from_last_visit_for_a_new_client_is_a_blank_draft(
    db: Database, client_id: int, ago: Callable[..., datetime]
) -> None:
    start = service.start_from_last_visit(db, client_id, ago(0))
    assert start.note == SoapNote() and start.treatments == ()


def test_templates_are_saved_listed_renamed_and_deleted_without_scores(
    db: Database, note: SoapNote, treatments: tuple[TreatmentInput, ...], make_draft: Draft
) -> None:
    template = service.save_template(db, "Low back, first visit", note, treatments)
    assert template.note.pain_before is None and template.note.tenderness_grade is None
    assert template.note.home_care == note.home_care
    assert [t.technique for t in template.treatments] == ["myofascial_release", "effleurage"]
    renamed = service.save_template(db, "Low back", note, (), template_id=template.id)
    assert [t.name for t in service.list_templates(db)] == ["Low back"]
    assert renamed.treatments == ()
    with pytest.raises(ValidationError, match="already a template"):
        service.save_template(db, "LOW BACK", SoapNote())
    draft = renamed.draft(make_draft().visit)
    assert draft.note == renamed.note
    service.delete_template(db, template.id)
    assert service.list_templates(db) == []


def test_a_template_needs_a_name_and_valid_entries(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        service.save_template(db, " ", SoapNote(), (TreatmentInput("effleurage", 10, pressure=7),))
    assert set(error.value.errors) == {"name", "treatments[0].pressure"}


# ---------------------------------------------------------------- deep work and alerts


def test_deep_work_for_a_client_with_a_warn_deep_alert_needs_acknowledgement(
    db: Database, anticoagulated_client_id: int, make_draft: Draft
) -> None:
    deep = (TreatmentInput("trigger_point", 15, ("B_TRAPEZIUS_R",), 4),)
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, anticoagulated_client_id, make_draft(treatments=deep))
    message = error.value.errors["treatments[0].acknowledged"]
    assert "Bleeding risk (WARN-DEEP)" in message and "Acknowledge" in message
    assert service.visit_history(db, anticoagulated_client_id) == []


def test_the_acknowledgement_is_recorded_with_who_and_when_and_audited(
    db: Database, anticoagulated_client_id: int, make_draft: Draft
) -> None:
    deep = (
        TreatmentInput(
            "cupping", 10, ("B_UPPER_BACK_L",), acknowledged=frozenset({"bleeding_risk"})
        ),
    )
    created = service.create_visit(db, anticoagulated_client_id, make_draft(treatments=deep))
    (ack,) = created.treatments[0].acknowledgements
    assert (ack.alert, ack.level, ack.by) == ("bleeding_risk", "WARN-DEEP", "test-therapist")
    assert created.treatments[0].deep
    acknowledged = [
        e for e in service.audit_trail(db, anticoagulated_client_id) if e.action == "acknowledge"
    ]
    assert len(acknowledged) == 1 and "Cupping" in acknowledged[0].summary
    resaved = service.save_draft(db, created.visit.id, created.draft())
    assert resaved.treatments[0].acknowledgements == (ack,)  # the original time is kept
    assert len([e for e in service.audit_trail(db) if e.action == "acknowledge"]) == 1


def test_firm_pressure_makes_any_technique_deep_work(
    db: Database, anticoagulated_client_id: int, make_draft: Draft
) -> None:
    alerts = clients.alerts_for(db, anticoagulated_client_id)
    assert alerts_to_acknowledge(alerts, TreatmentInput("effleurage", 10, pressure=3)) == []
    heavy = TreatmentInput("effleurage", 10, pressure=4)
    assert [a.rule for a in alerts_to_acknowledge(alerts, heavy)] == ["bleeding_risk"]
    flagged = TreatmentInput("other", 10, name="Gua sha", deep=True)
    assert [a.rule for a in alerts_to_acknowledge(alerts, flagged)] == ["bleeding_risk"]
    light = make_draft(treatments=(TreatmentInput("lymphatic_drainage", 30, pressure=1),))
    assert service.create_visit(db, anticoagulated_client_id, light).treatments[0].deep is False


def test_a_client_without_alerts_needs_no_acknowledgement(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    deep = (TreatmentInput("deep_tissue", 20, ("B_LOW_BACK_R",), 5),)
    assert service.create_visit(db, client_id, make_draft(treatments=deep)).treatments[0].deep


def test_signing_checks_acknowledgements_against_the_current_intake(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    from practice.clients.intake import IntakeData

    deep = (TreatmentInput("trigger_point", 15, ("B_NECK_R",)),)
    visit_id = service.create_visit(db, client_id, make_draft(treatments=deep)).visit.id
    clients.save_intake(
        db, client_id, IntakeData(recorded_on=date.today(), conditions={"bleeding_disorder": ""})
    )
    with pytest.raises(ValidationError, match="Bleeding risk"):
        service.sign_visit(db, visit_id)


# ---------------------------------------------------------------- status, history, reminders


def test_status_changes_are_checked_and_audited(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    with_log = service.create_visit(db, client_id, make_draft()).visit.id
    with pytest.raises(ValidationError, match="no-show visit has no treatment"):
        service.set_status(db, with_log, VisitStatus.NO_SHOW)
    empty = service.create_visit(db, client_id, make_draft(SoapNote(), ())).visit.id
    assert service.set_status(db, empty, VisitStatus.NO_SHOW).status is VisitStatus.NO_SHOW
    assert _visit_actions(db, client_id)[-1] == "status"
    with pytest.raises(ValidationError, match="completed, cancelled or no-show"):
        service.set_status(db, empty, "postponed")  # type: ignore[arg-type]


def test_history_is_newest_first_with_pain_scores_techniques_and_filters(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    old = service.create_visit(db, client_id, make_draft(ago=21))
    service.sign_visit(db, old.visit.id)
    service.amend_visit(db, old.visit.id, "Typo", "Left, not right.")
    service.create_visit(
        db, client_id, make_draft(SoapNote(), (), ago=14, status=VisitStatus.NO_SHOW)
    )
    recent = service.create_visit(db, client_id, make_draft(ago=7))
    history = service.visit_history(db, client_id)
    assert [h.id for h in history] == [recent.visit.id, old.visit.id + 1, old.visit.id]
    newest, _, oldest = history
    assert (newest.pain_before, newest.pain_after, newest.treatment_minutes) == (6, 3, 35)
    assert newest.techniques == ("Myofascial release", "Swedish: effleurage")
    assert oldest.signed and oldest.amendments == 1 and not newest.signed
    since = date.today() - timedelta(days=15)
    assert len(service.visit_history(db, client_id, HistoryFilter(since=since))) == 2
    until = date.today() - timedelta(days=14)
    assert len(service.visit_history(db, client_id, HistoryFilter(until=until))) == 2
    no_shows = HistoryFilter(statuses=frozenset({VisitStatus.NO_SHOW}))
    assert [h.status for h in service.visit_history(db, client_id, no_shows)] == [
        VisitStatus.NO_SHOW
    ]
    unsigned = service.visit_history(db, client_id, HistoryFilter(unsigned_only=True))
    assert old.visit.id not in [h.id for h in unsigned]


def test_unsigned_drafts_older_than_the_setting_are_listed_as_a_reminder(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    stale = service.create_visit(db, client_id, make_draft(ago=5)).visit.id
    service.create_visit(db, client_id, make_draft(ago=1))  # recent: not yet a reminder
    signed = service.create_visit(db, client_id, make_draft(ago=6)).visit.id
    service.sign_visit(db, signed)
    service.create_visit(
        db, client_id, make_draft(SoapNote(), (), ago=9, status=VisitStatus.CANCELLED)
    )
    reminders = service.stale_drafts(db, older_than_days=2)
    assert [(r.visit_id, r.client_name, r.days_old) for r in reminders] == [(stale, "Ana Peña", 5)]
    assert len(service.stale_drafts(db, older_than_days=0)) == 2
    assert service.stale_drafts(db, older_than_days=5) == []


def test_one_clients_stale_drafts_leave_out_every_other_clients(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    mine = service.create_visit(db, client_id, make_draft(ago=5)).visit.id
    other = clients.create_client(db, ClientForm("Noa", "Levi")).id
    service.create_visit(db, other, make_draft(ago=5))
    assert len(service.stale_drafts(db, older_than_days=2)) == 2
    assert [r.visit_id for r in service.stale_drafts(db, 2, client_id=client_id)] == [mine]
    assert service.stale_drafts(db, 2, client_id=other + 1) == []


# ---------------------------------------------------------------- audit


def test_create_sign_amend_and_print_are_audited(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    visit_id = service.create_visit(db, client_id, make_draft()).visit.id
    service.sign_visit(db, visit_id)
    service.amend_visit(db, visit_id, "Wrong side", "Left QL.")
    clients.save_profile(db, PracticeProfile("Sam Lee", practice_name="Fascia"))
    printed = visit_note_pdf(db, visit_id)
    assert printed.entity_id == visit_id
    assert _visit_actions(db, client_id) == ["create", "sign", "amend", "print"]
    entries = service.audit_trail(db, client_id)
    assert all(e.actor == "test-therapist" for e in entries)
    amend = next(e for e in entries if e.action == "amend")
    assert amend.changes["reason"] == [None, "Wrong side"]


def test_the_audit_trail_filters_by_client_and_date(
    db: Database, client_id: int, anticoagulated_client_id: int, make_draft: Draft
) -> None:
    service.create_visit(db, client_id, make_draft())
    service.create_visit(db, anticoagulated_client_id, make_draft(treatments=()))
    mine = service.audit_trail(db, client_id)
    assert {e.client_id for e in mine} == {client_id}
    today = date.today()
    assert len(service.audit_trail(db, client_id, since=today, until=today)) == len(mine)
    assert service.audit_trail(db, client_id, until=today - timedelta(days=1)) == []
    assert service.audit_trail(db, client_id, since=today + timedelta(days=1)) == []


@pytest.mark.parametrize("pressure", [3.5, 4.0, "4", None, True, float("nan"), 2**63])
def test_a_pressure_that_is_no_whole_number_is_refused_with_a_message(
    db: Database, anticoagulated_client_id: int, make_draft: Draft, pressure: object
) -> None:
    entry = TreatmentInput("effleurage", 10, ("B_LOW_BACK_R",), pressure)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, anticoagulated_client_id, make_draft(treatments=(entry,)))
    assert "Pressure is 1 to 5" in error.value.errors["treatments[0].pressure"]
    assert service.visit_history(db, anticoagulated_client_id) == []


def test_a_template_named_twice_in_another_case_or_script_form_is_refused(db: Database) -> None:
    service.save_template(db, "Étirements", SoapNote(home_care="Stretch twice a day"))
    for twin in ("Étirements", "ÉTIREMENTS", "e\u0301tirements", "Étirements\u200b"):
        with pytest.raises(ValidationError, match="already a template"):
            service.save_template(db, twin, SoapNote())
    assert [t.name for t in service.list_templates(db)] == ["Étirements"]


def test_visit_ids_beyond_what_sqlite_holds_are_not_found(db: Database, make_draft: Draft) -> None:
    for huge in (2**63, -(2**63) - 1, 10**30):
        with pytest.raises(NotFoundError):
            service.get_visit(db, huge)
        with pytest.raises(NotFoundError):
            service.autosave_draft(db, huge, make_draft())
        with pytest.raises(NotFoundError):
            service.create_visit(db, huge, make_draft())
        assert service.visit_history(db, huge) == []


def test_an_autosave_that_could_not_be_read_back_is_refused_and_the_visit_still_opens(
    db: Database, client_id: int, make_draft: Draft
) -> None:
    visit = service.create_visit(db, client_id, make_draft())
    odd = make_draft(treatments=(TreatmentInput("effleurage", float("nan")),))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as error:
        service.autosave_draft(db, visit.visit.id, odd)
    assert set(error.value.errors) == {"autosave"}
    assert service.get_visit(db, visit.visit.id) == visit
