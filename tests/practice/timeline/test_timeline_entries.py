"""What the timeline lists: every kind of record, each in words, newest first, each openable."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from practice.timeline.records import Flag, Kind, Source, TimelineEntry
from practice.timeline.service import whole_timeline
from tests.practice.timeline.conftest import Practice
from tests.practice.timeline.sample import TODAY


def entries(practice: Practice, client_id: int | None = None) -> tuple[TimelineEntry, ...]:
    return whole_timeline(practice.db, client_id or practice.sample.client_id)


def find(found: tuple[TimelineEntry, ...], source: Source, record_id: int) -> TimelineEntry:
    return next(e for e in found if e.source is source and e.record_id == record_id)


def test_every_kind_of_record_appears_once_per_record(practice: Practice) -> None:
    found = entries(practice)
    assert {e.source for e in found} == set(Source)
    assert {e.kind for e in found} == set(Kind)
    keys = [(e.source, e.record_id) for e in found]
    assert len(keys) == len(set(keys))
    s = practice.sample
    for source, record_id in (
        (Source.INTAKE, s.intake_id),
        (Source.CONSENT, s.consent_id),
        (Source.CONSENT_WITHDRAWN, s.withdrawn_consent_id),
        (Source.PLAN, s.plan_id),
        (Source.REEVALUATION, s.plan_id),
        (Source.DOCUMENT, s.document_id),
        (Source.PAYMENT, s.payment_id),
        (Source.REFUND, s.refund_id),
    ):
        assert find(found, source, record_id).client_id == s.client_id


def test_entries_run_newest_first_and_the_day_of_a_visit_reads_upwards(
    practice: Practice,
) -> None:
    found = entries(practice)
    cursors = [e.cursor for e in found]
    assert cursors == sorted(cursors, reverse=True)
    assert len(set(cursors)) == len(cursors)
    days = [e.day for e in found]
    assert days == sorted(days, reverse=True)
    # The day of the voided visit: its bill, payment, chart and scores sit above the visit.
    day = TODAY - timedelta(days=8)
    that_day = [e.source for e in found if e.day == day]
    assert that_day[-1] is Source.VISIT
    assert that_day.index(Source.PAYMENT) < that_day.index(Source.INVOICE)
    assert {Source.CHART, Source.MEASURE} <= set(that_day)


def test_visits_say_signed_draft_cancelled_or_no_show_with_pain_before_and_after(
    practice: Practice,
) -> None:
    found = entries(practice)
    s = practice.sample
    signed = find(found, Source.VISIT, s.signed_visit_id)
    draft = find(found, Source.VISIT, s.draft_visit_id)
    assert signed.title == "Visit, signed" and signed.has(Flag.SIGNED)
    assert not signed.has(Flag.DRAFT) and not signed.inactive
    assert "Pain 6 → 3" in signed.detail and "60 min" in signed.detail
    assert draft.title == "Visit, draft (not signed)" and draft.has(Flag.DRAFT)
    assert not draft.has(Flag.SIGNED) and not draft.inactive  # a draft still needs signing
    assert isinstance(signed.when, datetime) and signed.visit_id == s.signed_visit_id
    amended = find(found, Source.VISIT, s.amended_visit_id)
    assert amended.title == "Visit, signed, amended" and amended.has(Flag.AMENDED)
    cancelled = find(found, Source.VISIT, s.cancelled_visit_id)
    no_show = find(found, Source.VISIT, s.no_show_visit_id)
    assert (cancelled.title, no_show.title) == ("Visit cancelled", "No-show")
    assert cancelled.inactive and no_show.inactive
    assert "Pain" not in cancelled.detail  # nothing was treated


def test_every_version_of_a_chart_appears_and_opens_itself(practice: Practice) -> None:
    found = entries(practice)
    s = practice.sample
    first = find(found, Source.CHART, s.first_chart_id)
    edited = find(found, Source.CHART, s.edited_chart_id)
    assert first.day == edited.day == TODAY - timedelta(days=100)
    assert first.title == "Body chart, replaced later"
    assert first.has(Flag.SUPERSEDED) and first.inactive
    assert edited.title == "Body chart, new version" and edited.has(Flag.EDITED)
    assert not edited.inactive and "saved" in edited.detail
    assert "worst 6/10" in first.detail and "worst 4/10" in edited.detail
    assert len([e for e in found if e.source is Source.CHART]) == 3


def test_a_voided_invoice_is_marked_void_and_its_credit_note_names_it(
    practice: Practice,
) -> None:
    found = entries(practice)
    s = practice.sample
    void = find(found, Source.INVOICE, s.void_invoice_id)
    credit = find(found, Source.INVOICE, s.credit_note_id)
    paid = find(found, Source.INVOICE, s.paid_invoice_id)
    draft = find(found, Source.INVOICE, s.draft_invoice_id)
    assert void.title.endswith(", void") and void.has(Flag.VOID) and void.inactive
    assert "voided: Billed at the wrong rate" in void.detail
    number = void.title.removeprefix("Invoice ").removesuffix(", void")
    assert credit.title.startswith("Credit note ") and credit.has(Flag.CREDIT_NOTE)
    assert f"cancels invoice {number}" in credit.detail
    assert "$110.00" in paid.detail and not paid.flags
    assert draft.title == "Invoice, draft (not issued)" and draft.has(Flag.DRAFT)
    refund = find(found, Source.REFUND, s.refund_id)
    assert refund.title == "Refund $110.00" and "Paid twice" in refund.detail
    assert refund.kind is Kind.PAYMENT


def test_consents_show_when_signed_and_when_withdrawn(practice: Practice) -> None:
    found = entries(practice)
    s = practice.sample
    signed = find(found, Source.CONSENT, s.withdrawn_consent_id)
    withdrawn = find(found, Source.CONSENT_WITHDRAWN, s.withdrawn_consent_id)
    assert signed.title == "Signed: Sensitive areas" and signed.has(Flag.WITHDRAWN)
    assert "sensitive areas: gluteal" in signed.detail and "withdrawn" in signed.detail
    assert withdrawn.title == "Withdrawn: Sensitive areas"
    assert "Prefers no gluteal work" in withdrawn.detail
    assert withdrawn.cursor > signed.cursor
    current = find(found, Source.CONSENT, s.consent_id)
    assert not current.flags and "Signed by Ana Peña" in current.detail


def test_scores_and_the_diary_read_as_values(practice: Practice) -> None:
    found = [e for e in entries(practice) if e.kind is Kind.MEASURE]
    titles = {e.title for e in found}
    assert "PSFS 3.5 of 10" in titles  # one entry for a PSFS, the mean of its activities
    assert "Sleep quality 6 of 10" in titles
    assert "Grip strength: 32" in titles
    assert "Headache, intensity 6 of 10" in titles
    psfs = next(e for e in found if e.title.startswith("PSFS"))
    assert "Garden" in psfs.detail and "Tie shoes" in psfs.detail and "2 activities" in psfs.detail
    headache = next(e for e in found if e.source is Source.HEADACHE)
    assert "Ibuprofen 400 mg" in headache.detail and "4 h" in headache.detail


def test_plans_and_re_evaluations_are_dated_by_the_plan(practice: Practice) -> None:
    found = entries(practice)
    s = practice.sample
    plan = find(found, Source.PLAN, s.plan_id)
    assert plan.title == "Plan: 1 visit a week for 8 weeks" and plan.has(Flag.CLOSED)
    assert plan.when == TODAY - timedelta(days=120)
    ahead = find(found, Source.REEVALUATION, s.active_plan_id)
    assert ahead.title == "Re-evaluation due" and ahead.has(Flag.DUE)
    assert found[0] == ahead  # what is due comes first
    done = find(found, Source.REEVALUATION, s.plan_id)
    assert done.title == "Re-evaluation" and not done.flags


def test_an_intake_and_a_document_say_what_they_hold(practice: Practice) -> None:
    found = entries(practice)
    s = practice.sample
    intake = find(found, Source.INTAKE, s.intake_id)
    assert intake.title == "Health history"
    assert "High blood pressure" in intake.detail and "1 medication" in intake.detail
    assert "Almond oil" in intake.detail
    assert isinstance(intake.when, date) and not isinstance(intake.when, datetime)
    document = find(found, Source.DOCUMENT, s.document_id)
    assert document.title == "Treatment summary"
    assert document.detail.startswith("Issued by Maya Chen, RMT")
