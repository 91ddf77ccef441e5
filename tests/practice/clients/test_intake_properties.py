"""Property tests of intakes and consent: any answers, dates and ids, never a crash or bad row."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service
from practice.clients.intake import (
    CONDITIONS,
    CancerStatus,
    IntakeData,
    Medication,
    MedicationFlag,
    Pressure,
    Surgery,
)
from practice.clients.records import ClientForm, ConsentSignature
from practice.store import Database
from tests.practice.fuzz import (
    days,
    enum_or_junk,
    forms,
    fuzz,
    known,
    long_reprs,
    moments,
    name_text,
    outcome,
    recent_days,
    row_ids,
    text,
    whole,
)

pytestmark = long_reprs
CONSENT_TEXT = "I agree to receive medical massage treatment and understand the risks."

MEDICATION = {
    "name": name_text | st.just("Warfarin 5 mg"),
    "flags": st.frozensets(st.sampled_from(list(MedicationFlag)), max_size=2),
    "note": text,
}
SURGERY = {
    "description": name_text,
    "on": st.none() | st.dates(date(1950, 1, 1), date.today()),
    "spine": st.booleans(),
}
medications = st.lists(forms(Medication, MEDICATION, {}), max_size=2).map(tuple)
surgeries = st.lists(forms(Surgery, SURGERY, {}), max_size=2).map(tuple)
bad_medications = st.lists(
    forms(Medication, MEDICATION, {"name": text, "flags": st.frozensets(text, min_size=1)}),
    min_size=1,
    max_size=2,
).map(tuple)
bad_surgeries = st.lists(
    forms(Surgery, SURGERY, {"description": text, "on": days}), min_size=1, max_size=2
).map(tuple)
intakes = forms(
    IntakeData,
    valid={
        "recorded_on": recent_days,
        "conditions": st.dictionaries(
            st.sampled_from([c.code for c in CONDITIONS]), text, max_size=3
        ),
        "medications": medications,
        "allergies": text,
        "surgeries": surgeries,
        "implants": text,
        "cancer_status": st.sampled_from(list(CancerStatus)),
        "cancer_details": text,
        "goals": text,
        "pressure_preference": st.sampled_from(list(Pressure)),
        "other_notes": text,
    },
    junk={
        "recorded_on": days,
        "medications": bad_medications,
        "surgeries": bad_surgeries,
        "conditions": st.dictionaries(text, text, min_size=1, max_size=2),
        "pregnant": st.booleans(),
        "pregnancy_weeks": whole(0, 42),
        "high_risk_pregnancy": st.booleans(),
        "cancer_status": enum_or_junk(CancerStatus),
        "pressure_preference": enum_or_junk(Pressure),
    },
)


@pytest.fixture(scope="module")
def client_id(shared_db: Database) -> int:
    return service.create_client(shared_db, ClientForm("Ana", "Peña", date_of_birth=None)).id


@fuzz
@given(data=intakes, which=row_ids)
def test_an_intake_is_refused_or_saved_as_it_validates(
    shared_db: Database, client_id: int, data: IntakeData, which: object
) -> None:
    target = known(which, client_id)
    saved = outcome(shared_db, lambda: service.save_intake(shared_db, target, data))  # type: ignore[arg-type]
    if saved is not None:
        assert service.validate_intake(saved.data) == saved.data
        assert saved.data.pregnant or not saved.data.high_risk_pregnancy
        assert saved.data.recorded_on <= date.today()
    for read in (service.latest_intake, service.intake_history, service.alerts_for):
        outcome(shared_db, lambda read=read: read(shared_db, target))  # type: ignore[misc]


@fuzz
@given(
    kind=st.one_of(st.just("general"), st.just("general"), st.just("sensitive"), text),
    title=name_text | text,
    body=st.builds(str.__add__, st.just(CONSENT_TEXT), text) | text,
)
def test_consent_forms_are_refused_or_published_clean(
    shared_db: Database, kind: str, title: str, body: str
) -> None:
    saved = outcome(shared_db, lambda: service.save_consent_form(shared_db, kind, title, body))
    if saved is not None:
        assert saved.title and len(saved.body) >= 20


@fuzz
@given(
    which=row_ids,
    form_id=row_ids,
    signer=name_text | text,
    signed_at=st.none() | st.none() | moments,
    guardian=text,
    areas=st.lists(text, max_size=3).map(tuple),
    reason=text,
)
def test_signing_and_withdrawing_consent_refuses_or_records_clean(
    shared_db: Database,
    client_id: int,
    which: object,
    form_id: object,
    signer: str,
    signed_at: object,
    guardian: str,
    areas: tuple[str, ...],
    reason: str,
) -> None:
    current = service.save_consent_form(shared_db, "general", "Consent", CONSENT_TEXT)
    target = known(which, client_id)
    form = known(form_id, current.id)
    signature = ConsentSignature(form, signer, signed_at, guardian, "", areas)  # type: ignore[arg-type]
    signed = outcome(shared_db, lambda: service.sign_consent(shared_db, target, signature))  # type: ignore[arg-type]
    if signed is not None:
        assert signed.signer_name and signed.signed_at <= datetime.now(UTC)
        outcome(shared_db, lambda: service.withdraw_consent(shared_db, signed.id, reason))
    outcome(shared_db, lambda: service.withdraw_consent(shared_db, form_id, reason))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.consents_for(shared_db, target))  # type: ignore[arg-type]
