"""The summary and printouts read back from the PDF: names, numbers, verdicts, literal text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from practice import printouts
from practice.errors import ValidationError
from practice.store import Database, audit
from practice.summaries import service
from practice.summaries.demo import SummaryClients
from practice.visits import service as visits

Read = Callable[[bytes], list[str]]


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_rich_summary_fits_two_pages_with_charts_and_maps_on_the_first(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    pages = pdf_text(printouts.render_summary(service.summary_draft(summary_db, examples.rich)))
    assert 1 <= len(pages) <= 2
    first = _flat(pages[:1])
    for words in ("Trends", "Pain (NRS 0-10)", "Pain chart: start and now", "Pain extent"):
        assert words in first
    text = _flat(pages)
    for words in (
        "Dr. Amara Okafor",
        "Chloé Dubois",
        "M54.50",
        "Low back pain, unspecified",
        "visits of 24 planned",
        "No-show",
        "–4 points (–57%)",
        "Yes, better",
        "Farrar 2001",
        "Stratford 1995",
        "Myofascial release",
        "Partially met",
        "Sore for a day after last visit",
        "Registration no. RMT-048213",
    ):
        assert words in text, words
    assert "None" not in text


def test_new_client_summary_reads_plainly(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    text = _flat(
        pdf_text(printouts.render_summary(service.summary_draft(summary_db, examples.new)))
    )
    for words in (
        "To the referring physician",
        "No referring physician on file",
        "No visits yet",
        "No outcome measures were recorded",
        "No body charts in this period",
        "No treatment goals on file",
    ):
        assert words in text, words
    assert "None" not in text


def test_edge_case_text_prints_literally(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    text = _flat(
        pdf_text(printouts.render_summary(service.summary_draft(summary_db, examples.edge)))
    )
    assert "<b>Smith & Co</b>" in text
    assert "김민지" in text
    assert "Gua sha <tool> & co" in text
    assert "Only one visit so far: no change to report." in text
    assert "No referring physician on file" in text


def test_edited_narrative_is_what_prints(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    long = "Keep <i>walking</i> & stretching. " * 200
    edited = replace(draft, assessment="Settling well.", recommendations=long, adverse_events="")
    text = _flat(pdf_text(printouts.render_summary(edited)))
    assert "Settling well." in text
    assert "Keep <i>walking</i> & stretching." in text
    assert "Nothing recorded" in text
    assert printouts.render_summary(edited) == printouts.render_summary(edited)


def test_signed_visit_note_prints_with_its_signature_and_amendments(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    visit_id = visits.visit_history(summary_db, examples.rich)[0].id
    visits.amend_visit(summary_db, visit_id, "Omitted finding", "Mild swelling at the <ankle>.")
    text = _flat(pdf_text(printouts.visit_note_pdf(summary_db, visit_id).data))
    assert "Visit note" in text and "DRAFT" not in text
    assert "Signed by jordan" in text
    assert "Omitted finding" in text and "Mild swelling at the <ankle>." in text
    assert "Myofascial release" in text and "Low back, both sides" in text
    entries = audit.list_entries(summary_db, client_id=examples.rich)
    assert entries[0].action == "print" and entries[0].entity_id == visit_id


def test_unsigned_visit_note_is_marked_draft(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    missed = [v for v in visits.visit_history(summary_db, examples.rich) if not v.signed]
    pages = pdf_text(printouts.visit_note_pdf(summary_db, missed[0].id).data)
    assert "DRAFT" in pages[0] and "not signed" in _flat(pages)


def test_long_visit_note_runs_across_pages(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    pages = pdf_text(printouts.visit_note_pdf(summary_db, examples.edge_visit).data)
    assert len(pages) >= 2
    assert _flat(pages).count("Client reports <b>stiffness</b> & soreness") >= 80


def test_chart_history_lists_every_chart(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    text = _flat(pdf_text(printouts.chart_history_pdf(summary_db, examples.rich).data))
    assert "Body chart history" in text and "All charts (3)" in text
    assert "10.1%" in text and "6%" in text
    with pytest.raises(ValidationError, match="no body charts"):
        printouts.chart_history_pdf(summary_db, examples.new)


def test_intake_printout_needs_an_intake(summary_db: Database, examples: SummaryClients) -> None:
    with pytest.raises(ValidationError, match="no intake"):
        printouts.intake_summary_pdf(summary_db, examples.rich)


def test_intake_printout_wraps_the_intake_summary(summary_db: Database, pdf_text: Read) -> None:
    from datetime import date

    from practice.clients import service as clients
    from practice.clients.intake import IntakeData
    from practice.clients.records import ClientForm

    client = clients.create_client(summary_db, ClientForm(given_name="Ana", family_name="Peña"))
    clients.save_intake(summary_db, client.id, IntakeData(recorded_on=date.today(), goals="Sleep"))
    text = _flat(pdf_text(printouts.intake_summary_pdf(summary_db, client.id).data))
    assert "Intake and health history" in text and "Ana Peña" in text


def test_a_very_long_referral_reason_flows_across_pages(
    summary_db: Database, examples: SummaryClients, pdf_text: Read
) -> None:
    draft = service.summary_draft(summary_db, examples.rich)
    pages = pdf_text(
        printouts.render_summary(replace(draft, referral_reason="Lifting <injury> & ache. " * 400))
    )
    text = _flat(pages)
    assert "See the referral below." in text
    assert "Lifting <injury> & ache." in text and len(pages) > 2
