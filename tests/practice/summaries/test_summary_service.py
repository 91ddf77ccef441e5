"""Physician summaries: what a draft gathers, issuing, reprinting and the immutable copies."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from datetime import date, timedelta

import pytest

from practice import printouts
from practice.errors import NotFoundError, ValidationError
from practice.store import Database, audit
from practice.summaries import narrative, service
from practice.summaries.demo import SummaryClients
from practice.visits.records import VisitStatus


def test_rich_draft_counts_visits_and_missed_visits(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    assert draft.plan_id == examples.rich_plan
    assert len(draft.visits) == 20
    assert len(draft.completed_visits) == 17
    assert [v.status for v in draft.missed_visits] == [
        VisitStatus.NO_SHOW,
        VisitStatus.CANCELLED,
        VisitStatus.CANCELLED,
    ]
    assert draft.physician is not None and draft.physician.name == "Dr. Amara Okafor"
    assert [d.code for d in draft.diagnoses] == ["M54.50", "M62.830"]


def test_techniques_total_their_minutes_by_region(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    by_name = {t.name: t for t in draft.techniques}
    release = by_name["Myofascial release"]
    assert release.minutes == 17 * 20
    assert release.visits == 17
    assert release.regions == ("Low back, both sides",)
    assert by_name["Trigger point therapy (ischemic compression)"].pressure == "deep"
    assert draft.techniques[0] is release  # most minutes first


def test_outcomes_are_judged_against_their_published_mcid(
    summary_db: Database, examples: SummaryClients
) -> None:
    """Farrar 2001: 2 points or 30% on the NRS; Stratford 1995: 2 points on the PSFS mean."""
    draft = service.summary_draft(summary_db, examples.rich)
    lines = {m.code: m for m in draft.measures}
    pain = lines["pain_before"]
    assert (pain.baseline, pain.latest, pain.meaningful) == (7, 3, True)
    assert "Farrar 2001" in pain.threshold
    assert narrative.change_text(pain) == "–4 points (–57%)"
    psfs = lines["psfs"]
    assert psfs.meaningful is True and "Stratford 1995" in psfs.threshold
    intensity = lines["headache_intensity"]
    assert intensity.meaningful is False
    assert narrative.verdict_short(intensity) == "No, better by less"
    assert [t.code for t in draft.trends] == ["pain_before", "psfs", "headache_days"]
    assert [s.name for s in draft.trends[0].series] == ["Before treatment", "After treatment"]


def test_body_charts_first_and_latest_of_the_period(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    assert draft.chart_count == 3
    assert draft.first_chart is not None and draft.latest_chart is not None
    assert draft.latest_chart.extent_percent < draft.first_chart.extent_percent


def test_goals_carry_their_status(summary_db: Database, examples: SummaryClients) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    assert [g.status for g in draft.goals] == ["Met", "Met", "Partially met"]
    assert draft.goals[2].text == "Sit through a 2-hour meeting without pain"


def test_narrative_is_prefilled_from_the_data(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    assert "clinically meaningful improvement" in draft.assessment
    assert "Goals: 2 of 3 met" in draft.assessment
    assert "Sore for a day after last visit" in draft.adverse_events
    assert draft.recommendations.startswith("Continue treatment")


def test_a_date_range_narrows_the_visits(summary_db: Database, examples: SummaryClients) -> None:
    full = service.summary_draft(summary_db, examples.rich)
    start = full.visits[5].day
    draft = service.summary_draft(summary_db, examples.rich, since=start, until=full.visits[9].day)
    assert [v.day for v in draft.visits] == [v.day for v in full.visits[5:10]]
    assert draft.period_start == start


def test_new_client_has_an_empty_draft_that_says_so(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.new)
    assert draft.visits == () and draft.measures == () and draft.physician is None
    assert draft.period_start is None
    assert draft.assessment == narrative.NO_VISITS


def test_a_single_visit_reports_no_change(summary_db: Database, examples: SummaryClients) -> None:
    draft = service.summary_draft(summary_db, examples.edge)
    assert len(draft.completed_visits) == 1
    assert draft.assessment == narrative.ONE_VISIT
    assert draft.trends == ()
    assert narrative.verdict_short(draft.measures[0]) == "One score only"


def test_unknown_client_plan_and_backwards_period_are_refused(
    summary_db: Database, examples: SummaryClients
) -> None:
    with pytest.raises(ValidationError, match="No client with id 999"):
        service.summary_draft(summary_db, 999)
    with pytest.raises(ValidationError, match="No treatment plan with id 77"):
        service.summary_draft(summary_db, examples.rich, plan_id=77)
    with pytest.raises(ValidationError, match="belongs to another client"):
        service.summary_draft(summary_db, examples.edge, plan_id=examples.rich_plan)
    with pytest.raises(ValidationError, match="starts after it ends"):
        service.summary_draft(
            summary_db, examples.rich, since=date.today(), until=date.today() - timedelta(days=1)
        )


def test_issuing_keeps_the_exact_pdf_and_reprints_it(
    summary_db: Database, examples: SummaryClients
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    draft = replace(draft, recommendations="Continue weekly; review in 6 weeks.")
    issued = printouts.issue_summary(summary_db, draft)
    expected = printouts.render_summary(draft)
    reprint = service.document_pdf(summary_db, issued.id)
    assert reprint == expected
    assert issued.sha256 == hashlib.sha256(reprint).hexdigest()
    assert issued.size == len(reprint)
    assert issued.content["recommendations"] == "Continue weekly; review in 6 weeks."
    assert issued.physician == "Dr. Amara Okafor (Queen Street Family Health)"
    actions = [e.action for e in audit.list_entries(summary_db, client_id=examples.rich)[:2]]
    assert actions == ["print", "issue"]


def test_documents_are_listed_newest_first(summary_db: Database, examples: SummaryClients) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    first = printouts.issue_summary(summary_db, draft)
    second = printouts.issue_summary(summary_db, replace(draft, assessment="Second look."))
    assert [d.id for d in service.list_documents(summary_db, examples.rich)] == [
        second.id,
        first.id,
    ]
    assert service.list_documents(summary_db, examples.new) == []


def test_an_unknown_document_cannot_be_reprinted(summary_db: Database) -> None:
    with pytest.raises(NotFoundError):
        service.document_pdf(summary_db, 12345)


def test_issued_documents_refuse_any_change(summary_db: Database, examples: SummaryClients) -> None:
    issued = printouts.issue_summary(summary_db, service.summary_draft(summary_db, examples.edge))
    connection = sqlite3.connect(summary_db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            connection.execute("UPDATE issued_document SET title = 'x' WHERE id = ?", (issued.id,))
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            connection.execute("UPDATE issued_document SET pdf = x'00' WHERE id = ?", (issued.id,))
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            connection.execute("DELETE FROM issued_document WHERE id = ?", (issued.id,))
    finally:
        connection.close()
    assert service.document_pdf(summary_db, issued.id) == printouts.render_summary(
        service.summary_draft(summary_db, examples.edge)
    )


def test_adverse_events_quote_reactions_and_pain_that_rose() -> None:
    draft = _draft_with_visits([(6, 7)])
    notes = [
        narrative.NoteText(date(2025, 3, 4), "Felt fine. Mild bruising on the left calf."),
        narrative.NoteText(date(2025, 3, 5), "Slept well."),
    ]
    text = narrative.adverse_events(draft, notes)
    assert "pain higher after treatment (6 to 7)" in text
    assert "2025-03-04: Mild bruising on the left calf." in text
    assert "Slept well" not in text
    assert narrative.adverse_events(_draft_with_visits([(6, 4)]), []) == narrative.NO_REACTIONS


def test_left_and_right_regions_read_as_both_sides() -> None:
    from practice.bodymap.atlas import load_atlas

    names = narrative.region_names(load_atlas(), ["B_LOW_BACK_R", "B_SACRUM", "B_LOW_BACK_L"])
    assert names == ("Low back, both sides", "Sacrum and tailbone")


def _draft_with_visits(pains: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    from practice.clients.records import PracticeProfile
    from practice.summaries.records import SummaryDraft, VisitLine

    lines = tuple(
        VisitLine(date(2025, 3, 3) + timedelta(days=i), VisitStatus.COMPLETED, b, a)
        for i, (b, a) in enumerate(pains)
    )
    return SummaryDraft(
        client_id=1,
        plan_id=None,
        prepared_on=date(2025, 3, 10),
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 10),
        profile=PracticeProfile("T"),
        client_name="A B",
        date_of_birth=None,
        physician=None,
        referral_reason="",
        referral_date=None,
        diagnoses=(),
        plan_frequency="",
        visits_planned=None,
        visits=lines,
        techniques=(),
        measures=(),
        trends=(),
        first_chart=None,
        latest_chart=None,
        chart_count=0,
        goals=(),
        adverse_events="",
        assessment="",
        recommendations="",
    )
