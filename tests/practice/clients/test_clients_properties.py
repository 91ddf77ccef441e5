"""Property tests of the client, physician, practice profile and practitioner services.

Whatever is typed, pasted or passed: only the project's own errors come out, a refused save
changes nothing, and what is saved passes the same validation again unchanged.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service
from practice.clients.records import ClientForm, PhysicianForm, PracticeProfile
from practice.store import Database, practitioners
from practice.text import clean, single_line
from tests.practice.fuzz import (
    days,
    forms,
    fuzz,
    ids,
    long_reprs,
    name_text,
    outcome,
    short_text,
    text,
    whole,
)

pytestmark = long_reprs

PHONES = st.sampled_from(["", "+1 (416) 555-0100", "555 0199 x12"])
client_forms = forms(
    ClientForm,
    valid={
        "given_name": name_text,
        "family_name": name_text | st.just(""),
        "preferred_name": st.just("") | name_text,
        "date_of_birth": st.none() | st.dates(date(1920, 1, 1), date(2020, 1, 1)),
        "pronouns": short_text,
        "phone_mobile": PHONES,
        "email": st.sampled_from(["", "ana@example.com"]),
        "address": text,
        "notes": text,
        "occupation": text,
        "emergency_contact_phone": PHONES,
    },
    junk={
        "given_name": text,
        "family_name": text,
        "date_of_birth": days,
        "phone_mobile": text,
        "email": text,
        "emergency_contact_phone": text,
        "physician_id": ids(),
    },
)
physician_forms = forms(
    PhysicianForm,
    valid={
        "name": name_text,
        "clinic": text,
        "phone": PHONES,
        "fax": PHONES,
        "email": st.sampled_from(["", "clinic@example.com"]),
        "address": text,
        "npi": st.sampled_from(["", "1234567893"]),
    },
    junk={"name": text, "phone": text, "fax": text, "email": text, "npi": text},
)


def _single_line_fields_are_single_lines(record: object, multiline: set[str]) -> None:
    for name in getattr(record, "__dataclass_fields__", {}):
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned = clean(value) if name in multiline else single_line(value)
            assert cleaned == value, f"{name} was saved uncleaned"


@fuzz
@given(form=client_forms)
def test_creating_a_client_refuses_or_saves_a_clean_record(
    shared_db: Database, form: ClientForm
) -> None:
    created = outcome(shared_db, lambda: service.create_client(shared_db, form))
    if created is not None:
        assert service.validate_client(created.form()) == created.form()
        _single_line_fields_are_single_lines(created, {"address", "notes"})


@fuzz
@given(client_id=ids(1), form=client_forms)
def test_updating_a_client_refuses_or_saves_a_clean_record(
    shared_db: Database, client_id: object, form: ClientForm
) -> None:
    first = service.search_clients(shared_db, limit=1)
    if not first:
        service.create_client(shared_db, ClientForm("Ana", "Peña"))
    before = service.get_client(shared_db, 1)
    updated = outcome(
        shared_db,
        lambda: service.update_client(shared_db, client_id, form),  # type: ignore[arg-type]
        before=(lambda: service.get_client(shared_db, 1), before) if client_id == 1 else None,
    )
    if updated is not None:
        assert service.validate_client(updated.form()) == updated.form()


@fuzz
@given(
    client_id=ids(1),
    archived=st.booleans(),
    words=text,
    limit=st.none() | whole(0, 50),
)
def test_reading_and_archiving_clients_by_any_id_or_search(
    shared_db: Database, client_id: object, archived: bool, words: str, limit: object
) -> None:
    outcome(shared_db, lambda: service.set_archived(shared_db, client_id, archived))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.get_client(shared_db, client_id))  # type: ignore[arg-type]
    outcome(
        shared_db,
        lambda: service.search_clients(shared_db, words, include_archived=True, limit=limit),  # type: ignore[arg-type]
    )


@fuzz
@given(form=physician_forms, physician_id=st.none() | ids(1))
def test_physicians_are_refused_or_saved_clean(
    shared_db: Database, form: PhysicianForm, physician_id: object
) -> None:
    if physician_id is None:
        saved = outcome(shared_db, lambda: service.create_physician(shared_db, form))
    else:
        saved = outcome(
            shared_db,
            lambda: service.update_physician(shared_db, physician_id, form),  # type: ignore[arg-type]
        )
        outcome(shared_db, lambda: service.get_physician(shared_db, physician_id))  # type: ignore[arg-type]
    if saved is not None:
        assert saved.name
        _single_line_fields_are_single_lines(saved, {"address"})
    outcome(shared_db, lambda: service.physicians_matching(shared_db, form.name))


@fuzz
@given(
    profile=forms(
        PracticeProfile,
        valid={
            "therapist_name": name_text,
            "practice_name": text,
            "credentials": st.sampled_from(["", "RMT", "LMT"]),
            "address": text,
            "phone": PHONES,
            "email": st.sampled_from(["", "maya@example.com"]),
            "website": short_text,
            "logo_png": st.none() | st.binary(max_size=64),
            "currency": st.sampled_from(["USD", "CAD", "EUR"]),
            "locale": st.sampled_from(["en_US", "fr_CA", "en-CA", "ko_KR"]),
        },
        junk={
            "therapist_name": text,
            "credentials": text,
            "registration_number": text,
            "npi": text,
            "phone": text,
            "email": text,
            "currency": text | st.sampled_from(["usd", "XXX", "€"]),
            "locale": text | st.sampled_from(["xx_YY", "und", "en_US@x", "../x"]),
            "logo_png": st.just(b"\x89PNG" * 1_250_001) | text,  # 5 MB and a byte
        },
    )
)
def test_the_practice_profile_is_refused_or_saved_clean(
    shared_db: Database, profile: PracticeProfile
) -> None:
    saved = outcome(shared_db, lambda: service.save_profile(shared_db, profile))
    if saved is not None:
        assert saved.therapist_name
        assert service.get_profile(shared_db) == saved
        _single_line_fields_are_single_lines(saved, {"address"})


@fuzz
@given(
    form=forms(
        practitioners.PractitionerForm,
        valid={
            "name": name_text,
            "credentials": st.sampled_from(["", "RMT"]),
            "registration_number": st.sampled_from(["", "12345"]),
            "npi": st.sampled_from(["", "1234567893"]),
        },
        junk={"name": text, "credentials": text, "registration_number": text, "npi": text},
    ),
    practitioner_id=st.none() | ids(1),
)
def test_practitioners_are_refused_or_saved_clean(
    shared_db: Database, form: practitioners.PractitionerForm, practitioner_id: object
) -> None:
    saved = outcome(
        shared_db,
        lambda: practitioners.save_practitioner(shared_db, form, practitioner_id),  # type: ignore[arg-type]
    )
    if saved is not None:
        assert (
            practitioners.validate(
                saved_form := practitioners.PractitionerForm(
                    saved.name, saved.credentials, saved.registration_number, saved.npi
                )
            )
            == saved_form
        )
