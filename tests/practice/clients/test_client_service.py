"""Client records through the service: validation, Unicode, search, archive and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.clients import service
from practice.clients.records import ClientForm, PhysicianForm, PracticeProfile
from practice.errors import NotFoundError, ValidationError
from practice.store import Database, audit

NAMES = ["Chloé", "김민지", "O'Brien", "Siobhán Ní Bhriain", "Дмитрий", "Ελένη", "陳大文", "Bea 🌻"]


def _audit(db: Database, client_id: int | None = None) -> list[audit.AuditRecord]:
    with db.read() as session:
        return audit.entries(session, client_id=client_id)


@pytest.mark.parametrize("name", NAMES)
def test_any_unicode_name_round_trips_exactly(db: Database, name: str) -> None:
    created = service.create_client(db, ClientForm(given_name=name, family_name=name))
    loaded = service.get_client(db, created.id)
    assert loaded.given_name == name
    assert loaded.family_name == name


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip() and s.isprintable()))
def test_arbitrary_printable_names_round_trip_after_trimming(db: Database, name: str) -> None:
    import unicodedata

    created = service.create_client(db, ClientForm(given_name=name))
    assert service.get_client(db, created.id).given_name == unicodedata.normalize(
        "NFC", " ".join(name.split())
    )


def test_search_ignores_case_and_accents(db: Database) -> None:
    service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    service.create_client(db, ClientForm(given_name="Noah", family_name="Smith"))
    assert [r.display_name for r in service.search_clients(db, "chloe")] == ["Chloé Lefèvre"]
    assert [r.display_name for r in service.search_clients(db, "LEFEVRE")] == ["Chloé Lefèvre"]
    assert [r.display_name for r in service.search_clients(db, "chl lef")] == ["Chloé Lefèvre"]


def test_search_finds_phone_digits_and_email(db: Database) -> None:
    service.create_client(
        db,
        ClientForm(given_name="Ana", phone_mobile="(416) 555-0142", email="ana.pena@example.com"),
    )
    assert len(service.search_clients(db, "5550142")) == 1
    assert len(service.search_clients(db, "pena@exam")) == 1
    assert service.search_clients(db, "9999999") == []


def test_search_treats_percent_and_underscore_literally(db: Database) -> None:
    service.create_client(db, ClientForm(given_name="Ann"))
    assert service.search_clients(db, "%") == []
    assert service.search_clients(db, "_") == []


def test_search_finds_korean_names(db: Database) -> None:
    service.create_client(db, ClientForm(given_name="민지", family_name="김"))
    assert [r.display_name for r in service.search_clients(db, "민지")] == ["민지 김"]


def test_list_sorts_by_family_name_ignoring_accents(db: Database) -> None:
    for first, family in [("A", "Zimmer"), ("B", "Émond"), ("C", "adams")]:
        service.create_client(db, ClientForm(given_name=first, family_name=family))
    assert [r.family_name for r in service.search_clients(db)] == ["adams", "Émond", "Zimmer"]


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        (ClientForm(given_name="  "), "given_name", "first"),
        (ClientForm(given_name="A", email="not-an-email"), "email", "email address"),
        (
            ClientForm(given_name="A", date_of_birth=date.today() + timedelta(days=1)),
            "date_of_birth",
            "future",
        ),
        (ClientForm(given_name="A", date_of_birth=date(1850, 1, 1)), "date_of_birth", "120"),
        (ClientForm(given_name="A", phone_mobile="call me"), "phone_mobile", "digits"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    db: Database, form: ClientForm, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_client(db, form)
    assert words in error.value.errors[field]
    assert service.search_clients(db, include_archived=True) == []
    assert _audit(db) == []


def test_failed_update_changes_nothing(db: Database) -> None:
    client = service.create_client(db, ClientForm(given_name="Lena", email="lena@example.com"))
    with pytest.raises(ValidationError):
        service.update_client(db, client.id, ClientForm(given_name="Lena", email="broken"))
    assert service.get_client(db, client.id).email == "lena@example.com"


def test_archive_hides_client_but_keeps_the_record(db: Database) -> None:
    client = service.create_client(db, ClientForm(given_name="Omar"))
    service.set_archived(db, client.id, True)
    assert service.search_clients(db) == []
    assert [r.id for r in service.search_clients(db, include_archived=True)] == [client.id]
    assert service.get_client(db, client.id).archived
    assert service.set_archived(db, client.id, False).archived is False


def test_create_update_and_archive_are_audited_with_old_and_new_values(db: Database) -> None:
    client = service.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    service.update_client(db, client.id, ClientForm(given_name="Ana", family_name="Peña Ruiz"))
    service.set_archived(db, client.id, True)
    entries = _audit(db, client.id)
    assert [e.action for e in entries] == ["archive", "update", "create"]
    assert entries[1].changes == {"family_name": ["Peña", "Peña Ruiz"]}
    assert entries[2].changes["given_name"] == [None, "Ana"]
    assert all(e.actor == "test-therapist" for e in entries)


def test_unknown_client_is_reported_not_crashed(db: Database) -> None:
    with pytest.raises(NotFoundError):
        service.get_client(db, 999)


def test_physician_is_linked_to_a_client(db: Database) -> None:
    doctor = service.create_physician(
        db, PhysicianForm("Dr. Amelia Chen", clinic="Harbourfront", npi="1467503829")
    )
    client = service.create_client(db, ClientForm(given_name="Ana", physician_id=doctor.id))
    assert service.get_client(db, client.id).physician_id == doctor.id
    assert [p.name for p in service.list_physicians(db)] == ["Dr. Amelia Chen"]


def test_physician_with_bad_npi_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_physician(db, PhysicianForm("Dr. X", npi="12345"))
    assert "10 digits" in error.value.errors["npi"]
    assert service.list_physicians(db) == []


def test_practice_profile_saves_and_validates(db: Database) -> None:
    assert service.get_profile(db) is None
    with pytest.raises(ValidationError) as error:
        service.save_profile(db, PracticeProfile(therapist_name="", currency="XYZ"))
    assert set(error.value.errors) == {"therapist_name", "currency"}
    saved = service.save_profile(
        db,
        PracticeProfile(
            therapist_name="Jordan Rivera", credentials="RMT", locale="en_CA", currency="CAD"
        ),
    )
    assert service.get_profile(db) == saved


def test_nul_and_zero_width_characters_never_reach_a_saved_name(db: Database) -> None:
    client = service.create_client(
        db,
        ClientForm(
            given_name="\u200bAna\x00",
            family_name="Pe\u200bña\u202e",
            phone_mobile="\ufeff416 555 0100",
            address="12 Elm St\x00\r\nApt 4",
        ),
    )
    assert (client.given_name, client.family_name) == ("Ana", "Peña")
    assert client.phone_mobile == "416 555 0100"
    assert client.address == "12 Elm St\nApt 4"
    assert service.search_clients(db, "pena")[0].id == client.id


def test_a_name_of_invisible_characters_only_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_client(db, ClientForm(given_name="\u200b\u3164\x00 "))
    assert set(error.value.errors) == {"given_name"}


@pytest.mark.parametrize("born", [date(1, 1, 1), date(9999, 12, 31), date(1890, 6, 1)])
def test_a_birth_date_no_living_client_has_is_refused(db: Database, born: date) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_client(db, ClientForm(given_name="Ana", date_of_birth=born))
    assert set(error.value.errors) == {"date_of_birth"}


@pytest.mark.parametrize("client_id", [2**63, 2**64, -(2**63) - 1, 1.5, True])
def test_ids_that_cannot_exist_are_not_found_rather_than_a_crash(
    db: Database, client_id: object
) -> None:
    with pytest.raises(NotFoundError):
        service.get_client(db, client_id)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        service.update_client(db, client_id, ClientForm("Ana"))  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        service.create_client(db, ClientForm("Ana", physician_id=client_id))  # type: ignore[arg-type]
    assert service.intake_history(db, client_id) == []  # type: ignore[arg-type]
    assert service.consents_for(db, client_id) == []  # type: ignore[arg-type]


def test_a_search_pasted_from_a_whole_page_still_answers(db: Database) -> None:
    service.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    assert service.search_clients(db, "0" * 60_000) == []
    assert [c.display_name for c in service.search_clients(db, "ana " * 5_000)] == ["Ana Peña"]


def test_physicians_are_found_by_every_word_typed_even_in_a_pasted_page(db: Database) -> None:
    lefevre = service.create_physician(db, PhysicianForm("Dr. Zoé Lefèvre", clinic="Clinique Est"))
    service.create_physician(db, PhysicianForm("Dr. 김현우", clinic="Yonge Street Medical"))
    assert service.physicians_matching(db, "zoe CLINIQUE") == [lefevre]
    assert service.physicians_matching(db, "lefevre yonge") == []
    # A whole page pasted into the box: its first words are searched for, and it answers.
    pasted = "lefèvre " + " ".join(f"mot{n}" for n in range(20_000))
    assert len(pasted) > 100_000
    assert service.physicians_matching(db, pasted) == []
    assert service.physicians_matching(db, "lefèvre " * 20_000) == [lefevre]
