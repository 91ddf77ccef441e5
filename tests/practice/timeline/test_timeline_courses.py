"""Plan figures on the timeline are the plan course's, and long texts in any script fit a row."""

from __future__ import annotations

from datetime import date, timedelta

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.plans import service as plans
from practice.plans.course import plan_course
from practice.plans.records import PlanForm
from practice.store import Database
from practice.timeline.records import Flag, Source
from practice.timeline.service import timeline, whole_timeline, with_courses
from practice.timeline.sources import SHORT
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.practice.timeline.conftest import Practice
from tests.practice.timeline.sample import days_ago


def test_plan_rows_carry_the_plan_course_figures(practice: Practice) -> None:
    found = whole_timeline(practice.db, practice.sample.client_id)
    fresh = with_courses(practice.db, found)
    assert {(e.source, e.record_id) for e in fresh} == {
        (e.source, e.record_id) for e in found if e.kind.value == "plan"
    }
    before = {(e.source, e.record_id): e for e in found}
    for entry in fresh:
        course = plan_course(practice.db, entry.record_id)
        assert f"{course.visits_done} of {course.visits_planned} visits" in entry.detail
        if entry.source is Source.PLAN:
            # What the row said before stays: the figures come first.
            assert entry.detail.endswith(before[entry.source, entry.record_id].detail)


def test_a_draft_note_is_never_counted_as_a_visit_of_the_plan(practice: Practice) -> None:
    found = whole_timeline(practice.db, practice.sample.client_id, kinds=["plan"])
    active = next(
        e
        for e in with_courses(practice.db, found)
        if e.source is Source.PLAN and e.record_id == practice.sample.active_plan_id
    )
    # Signed visits 15 and 8 days ago count; yesterday's unsigned draft is said apart.
    assert active.detail.startswith("2 of 12 visits · 1 note not signed")


def test_visits_after_a_plan_ended_are_not_missed_visits_of_it(practice: Practice) -> None:
    found = whole_timeline(practice.db, practice.sample.client_id, kinds=["plan"])
    closed = next(
        e
        for e in with_courses(practice.db, found)
        if e.source is Source.PLAN and e.record_id == practice.sample.plan_id
    )
    assert closed.detail.startswith("2 of 8 visits · goals: 1 not met")
    assert "missed" not in closed.detail  # the cancellation came after the plan's end


def test_an_overdue_re_evaluation_says_by_how_much_as_the_plan_tab_does(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Kofi", family_name="Mensah"))
    today = date.today()
    plan = plans.create_plan(
        db,
        client.id,
        PlanForm(today - timedelta(days=30), 1, 8, reevaluation_date=today - timedelta(days=10)),
    )
    page = timeline(db, client.id)
    plain = next(e for e in page.entries if e.source is Source.REEVALUATION)
    assert plain.title == "Re-evaluation" and not plain.has(Flag.OVERDUE)
    overdue = next(e for e in with_courses(db, page.entries) if e.source is Source.REEVALUATION)
    assert plan_course(db, plan.id).reevaluation_overdue
    assert overdue.title == "Re-evaluation overdue by 10 days"
    assert overdue.has(Flag.OVERDUE)
    assert "0 of 8 visits" in overdue.detail


def test_entries_that_are_not_plans_need_no_course(practice: Practice) -> None:
    found = whole_timeline(practice.db, practice.sample.client_id, kinds=["visit", "invoice"])
    assert with_courses(practice.db, found) == ()


def test_long_texts_in_any_script_are_cut_for_the_row_and_kept_whole_in_the_record(
    db: Database,
) -> None:
    words = "통증이 심해요 כאב בגב ألم في الظهر 🌻👩🏽‍⚕️ "
    complaint = (words * (100_000 // len(words) + 1))[:100_000]
    client = clients.create_client(db, ClientForm(given_name="Min-ji", family_name="김"))
    draft = VisitDraft(VisitForm(days_ago(2)), SoapNote(complaint=complaint, pain_before=7), ())
    visit_id = visits.create_visit(db, client.id, draft).visit.id
    entry = timeline(db, client.id).entries[0]
    assert entry.record_id == visit_id
    assert complaint[:SHORT] in entry.detail
    assert len(entry.detail) < SHORT + 60
    assert visits.get_visit(db, visit_id).note.complaint == complaint
