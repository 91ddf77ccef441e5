"""Dated intakes that keep their history, and versioned, withdrawable consent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from practice.clients import service
from practice.clients.intake import IntakeData, Medication, MedicationFlag, Surgery
from practice.clients.records import ClientForm, ConsentSignature
from practice.clients.rules import AlertLevel
from practice.errors import ValidationError
from practice.store import Database

TEXT = "I consent to massage therapy as explained to me, and may stop it at any time."


def _client(db: Database, **kw):  # type: ignore[no-untyped-def]
    return service.create_client(db, ClientForm(given_name="Ana", **kw))


def test_new_intake_keeps_the_old_one(db: Database) -> None:
    client = _client(db)
    first = service.save_intake(db, client.id, IntakeData(date.today() - timedelta(days=90)))
    second = service.save_intake(
        db,
        client.id,
        IntakeData(date.today(), conditions={"fibromyalgia": ""}, goals="Sleep through the night"),
    )
    history = service.intake_history(db, client.id)
    assert [i.id for i in history] == [second.id, first.id]
    assert service.latest_intake(db, client.id).data.goals == "Sleep through the night"


def test_intake_round_trips_every_structured_field(db: Database) -> None:
    client = _client(db)
    data = IntakeData(
        recorded_on=date(2026, 3, 2),
        conditions={"varicose_veins": "Left calf"},
        medications=(Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}), "am"),),
        allergies="Lavender",
        oil_or_scent_allergy=True,
        surgeries=(Surgery("L4-L5 discectomy", date(2025, 1, 10), spine=True),),
        pregnant=True,
        pregnancy_weeks=20,
        implants="Pacemaker, left chest",
        goals="Lift grandchild",
        areas_to_avoid="Left calf",
    )
    saved = service.save_intake(db, client.id, data)
    assert service.latest_intake(db, client.id).data == data == saved.data


def test_intake_alerts_come_from_the_latest_intake(db: Database) -> None:
    client = _client(db)
    service.save_intake(
        db,
        client.id,
        IntakeData(date.today() - timedelta(days=30), conditions={"dvt_suspected": "Left calf"}),
    )
    assert service.alerts_for(db, client.id)[0].level is AlertLevel.BLOCK
    service.save_intake(db, client.id, IntakeData(date.today()))
    assert service.alerts_for(db, client.id) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (IntakeData(date.today() + timedelta(days=2)), "recorded_on"),
        (IntakeData(date.today(), conditions={"made_up": ""}), "conditions"),
        (IntakeData(date.today(), pregnancy_weeks=12), "pregnancy_weeks"),
        (IntakeData(date.today(), pregnant=True, pregnancy_weeks=50), "pregnancy_weeks"),
        (IntakeData(date.today(), medications=(Medication(" "),)), "medications[0]"),
        (
            IntakeData(date.today(), surgeries=(Surgery("Knee", date.today() + timedelta(1)),)),
            "surgeries[0]",
        ),
        (IntakeData(date(1, 1, 1)), "recorded_on"),
        (IntakeData(date.today(), surgeries=(Surgery("Knee", date(1, 1, 1)),)), "surgeries[0]"),
        (IntakeData(date.today(), high_risk_pregnancy=True), "high_risk_pregnancy"),
        (IntakeData(date.today(), pregnant=True, pregnancy_weeks=20.5), "pregnancy_weeks"),  # type: ignore[arg-type]
        (IntakeData(date.today(), pregnant=True, pregnancy_weeks=True), "pregnancy_weeks"),
        (IntakeData(date.today(), cancer_status="cured"), "cancer_status"),  # type: ignore[arg-type]
        (
            IntakeData(date.today(), medications=(Medication("Pill", frozenset({"magic"})),)),  # type: ignore[arg-type]
            "medications[0]",
        ),
    ],
)
def test_bad_intake_is_refused_and_nothing_saved(
    db: Database, data: IntakeData, field: str
) -> None:
    client = _client(db)
    with pytest.raises(ValidationError) as error:
        service.save_intake(db, client.id, data)
    assert field in error.value.errors
    assert service.intake_history(db, client.id) == []


def test_changing_consent_text_makes_a_new_version_and_keeps_signed_ones(db: Database) -> None:
    v1 = service.save_consent_form(db, "general", "Consent", TEXT)
    client = _client(db)
    signed = service.sign_consent(db, client.id, ConsentSignature(v1.id, "Ana"))
    v2 = service.save_consent_form(db, "general", "Consent", TEXT + " Fees apply.")
    assert (v1.version, v2.version) == (1, 2)
    assert [f.id for f in service.consent_forms(db)] == [v2.id]
    assert service.consents_for(db, client.id)[0].form.body == TEXT
    assert signed.form.version == 1


def test_minor_needs_a_guardian_to_sign(db: Database) -> None:
    form = service.save_consent_form(db, "general", "Consent", TEXT)
    teen = _client(db, date_of_birth=date.today().replace(year=date.today().year - 15))
    with pytest.raises(ValidationError) as error:
        service.sign_consent(db, teen.id, ConsentSignature(form.id, "Ana"))
    assert "guardian" in error.value.errors["guardian_name"]
    assert service.consents_for(db, teen.id) == []
    consent = service.sign_consent(
        db,
        teen.id,
        ConsentSignature(form.id, "Ana", guardian_name="María Peña", guardian_relation="Mother"),
    )
    assert consent.guardian_name == "María Peña"


def test_sensitive_area_consent_names_the_areas(db: Database) -> None:
    form = service.save_consent_form(db, "sensitive", "Sensitive areas", TEXT)
    client = _client(db)
    with pytest.raises(ValidationError):
        service.sign_consent(db, client.id, ConsentSignature(form.id, "Ana"))
    consent = service.sign_consent(
        db, client.id, ConsentSignature(form.id, "Ana", sensitive_areas=("gluteal", "chest wall"))
    )
    assert consent.sensitive_areas == ("chest wall", "gluteal")


def test_withdrawing_consent_is_recorded_with_the_reason(db: Database) -> None:
    form = service.save_consent_form(db, "general", "Consent", TEXT)
    client = _client(db)
    consent = service.sign_consent(db, client.id, ConsentSignature(form.id, "Ana"))
    with pytest.raises(ValidationError):
        service.withdraw_consent(db, consent.id, "  ")
    withdrawn = service.withdraw_consent(db, consent.id, "Prefers not to continue")
    assert not withdrawn.active
    assert withdrawn.withdrawn_reason == "Prefers not to continue"
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at <= datetime.now(UTC)


def test_intake_text_loses_nul_and_invisible_characters_but_keeps_its_lines(db: Database) -> None:
    client = _client(db)
    data = IntakeData(
        date.today(),
        allergies="Nuts\x00\r\nLatex\u200b",
        medications=(Medication("\u202eWarfarin 5 mg\x00"),),
    )
    saved = service.save_intake(db, client.id, data).data
    assert saved.allergies == "Nuts\nLatex"
    assert saved.medications[0].name == "Warfarin 5 mg"


def test_a_signature_time_in_year_1_or_without_a_time_zone_is_refused(db: Database) -> None:
    client = _client(db)
    form = service.save_consent_form(db, "general", "Consent", "I agree to treatment today.")
    for when in (datetime(1, 1, 1, tzinfo=UTC), datetime(2026, 1, 5, 10)):
        with pytest.raises(ValidationError) as error:
            service.sign_consent(db, client.id, ConsentSignature(form.id, "Ana", when))
        assert set(error.value.errors) == {"signed_at"}
    assert service.consents_for(db, client.id) == []
