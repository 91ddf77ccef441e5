"""The intake and health history printout, read back from the PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from practice.clients.intake import (
    CancerStatus,
    IntakeData,
    Medication,
    MedicationFlag,
    Pressure,
    Surgery,
)
from practice.clients.records import Client, Intake, Physician, PracticeProfile
from practice.documents.intake_summary import intake_summary_pdf

Pages = Callable[[bytes], list[str]]
TODAY = date(2025, 3, 5)


@pytest.fixture
def client() -> Client:
    return Client(
        id=7,
        given_name="Chloé",
        family_name="O'Brien",
        date_of_birth=date(1985, 3, 12),
        sex="Female",
        phone_mobile="(217) 555-0199",
        email="chloe@example.com",
        address="45 Rue de la Paix\nSpringfield",
        occupation="<b>Smith & Co</b>",
        emergency_contact_name="김민지",
        emergency_contact_relation="Partner",
        emergency_contact_phone="(217) 555-0111",
    )


@pytest.fixture
def intake() -> Intake:
    data = IntakeData(
        recorded_on=date(2025, 3, 3),
        conditions={
            "dvt_suspected": "Left calf, swollen",
            "varicose_veins": "Both lower legs",
            "migraine": "",
            "from_a_newer_form": "still printed",
        },
        medications=(
            Medication("Warfarin", frozenset({MedicationFlag.ANTICOAGULANT}), "Evenings"),
            Medication("Lisinopril", frozenset({MedicationFlag.ANTIHYPERTENSIVE})),
        ),
        allergies="Lavender oil",
        oil_or_scent_allergy=True,
        surgeries=(Surgery("L4-L5 discectomy", date(2025, 2, 20), spine=True),),
        pregnant=True,
        pregnancy_weeks=22,
        implants="Insulin pump",
        cancer_status=CancerStatus.HISTORY,
        cancer_details="Breast, 2019",
        goals="Less neck pain",
        focus_areas="Neck",
        areas_to_avoid="Left calf",
        pressure_preference=Pressure.FIRM,
        positions_not_tolerated="Prone",
        other_notes="Ελένη referred her. Дмитрий is her brother.",
    )
    return Intake(1, 7, data, datetime(2025, 3, 3, tzinfo=UTC), "jane")


def _text(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_the_summary_shows_who_the_client_is(
    profile: PracticeProfile, client: Client, intake: Intake, pdf_pages: Pages
) -> None:
    text = _text(pdf_pages(intake_summary_pdf(profile, client, intake, today=TODAY)))
    for expected in (
        "Intake and health history",
        "Chloé O'Brien",
        "Mar 12, 1985 (age 39)",
        "chloe@example.com",
        "<b>Smith & Co</b>",
        "김민지",
        "Partner",
        "Intake recorded Mar 3, 2025 by jane",
    ):
        assert expected in text


def test_alerts_appear_most_serious_first(
    profile: PracticeProfile, client: Client, intake: Intake, pdf_pages: Pages
) -> None:
    text = _text(pdf_pages(intake_summary_pdf(profile, client, intake, today=TODAY)))
    order = [text.index(word) for word in ("BLOCK", "LOCAL", "WARN-DEEP", "NOTE")]
    assert order == sorted(order)
    assert "Known or suspected blood clot (DVT) · Left calf, swollen" in text
    assert "Do not treat." in text


def test_the_health_history_is_printed_in_full(
    profile: PracticeProfile, client: Client, intake: Intake, pdf_pages: Pages
) -> None:
    physician = Physician(name="Dr. Dmitri Petrov", clinic="Family Health", fax="555-0101")
    data = intake_summary_pdf(profile, client, intake, physician, today=TODAY)
    text = _text(pdf_pages(data))
    for expected in (
        "Blood and clotting",
        "Calf pain with swelling, heat or redness",
        "Migraine or frequent headaches",
        "From a newer form still printed",
        "Warfarin anticoagulant Evenings",
        "antihypertensive",
        "Allergic: use unscented",
        "Feb 20, 2025 L4-L5 discectomy · spine",
        "Pregnant, 22 weeks (trimester 2)",
        "Insulin pump",
        "Past cancer, treatment finished · Breast, 2019",
        "Firm",
        "Prone",
        "Ελένη referred her. Дмитрий is her brother.",
        "Dr. Dmitri Petrov",
        "555-0101",
    ):
        assert expected in text


def test_every_page_names_the_client_and_counts_pages(
    profile: PracticeProfile, client: Client, intake: Intake, pdf_pages: Pages
) -> None:
    pages = pdf_pages(intake_summary_pdf(profile, client, intake, today=TODAY))
    for number, page in enumerate(pages, start=1):
        assert "Chloé O'Brien · DOB Mar 12, 1985" in page
        assert f"Page {number} of {len(pages)}" in page


def test_an_empty_intake_says_none_reported_and_never_none(
    profile: PracticeProfile, pdf_pages: Pages
) -> None:
    client = Client(given_name="김민지")
    data = intake_summary_pdf(profile, client, IntakeData(recorded_on=TODAY), today=TODAY)
    pages = pdf_pages(data)
    text = _text(pages)
    assert len(pages) <= 2
    assert "None reported" in text
    assert "No alerts from the contraindication rules" in text
    assert re.search(r"\bNone\b(?! reported)", text) is None
    assert "null" not in text.casefold()
    assert "Page 1 of" in text


def test_a_reprint_of_the_same_intake_is_byte_identical(
    profile: PracticeProfile, client: Client, intake: Intake
) -> None:
    first = intake_summary_pdf(profile, client, intake, today=TODAY)
    assert intake_summary_pdf(profile, client, intake, today=TODAY) == first


def test_an_unsaved_intake_prints_too(
    profile: PracticeProfile, client: Client, intake: Intake, pdf_pages: Pages
) -> None:
    text = _text(pdf_pages(intake_summary_pdf(profile, client, intake.data, today=TODAY)))
    assert "Intake recorded Mar 3, 2025" in text
    assert "by jane" not in text


def test_very_long_answers_wrap_instead_of_overflowing(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    long_note = "Tension in the upper back after long shifts. " * 150
    data = IntakeData(
        recorded_on=TODAY,
        goals="z" * 300,
        other_notes=long_note,
        medications=tuple(Medication(f"Medication {n}", note="n" * 200) for n in range(30)),
    )
    pages = pdf_pages(intake_summary_pdf(profile, client, data, today=TODAY))
    assert len(pages) > 2
    joined = re.sub(r"\s", "", "".join(pages))
    assert "z" * 300 in joined
    assert "Medication29" in joined
