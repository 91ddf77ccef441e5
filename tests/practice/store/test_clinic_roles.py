"""Clinic logins and roles, enforced by the PostgreSQL server (a throwaway cluster).

Each person is a login of their own; the server refuses what their group may not touch to any
program, so these tests also connect with plain psycopg, the way someone with psql would.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import ValidationError
from practice.store import Database, staff
from practice.store.practitioners import PractitionerForm
from practice.store.server import open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm

_names = itertools.count()


def _login(prefix: str) -> str:
    """A login name no other test in this cluster has (roles are the whole server's)."""
    return f"{prefix}_{os.getpid()}_{next(_names)}"


@pytest.fixture
def admin(server_db_factory: Any, tmp_path: Path) -> Iterator[Database]:
    """The practice as its administrator opens it (the one who ran `server init`)."""
    db = server_db_factory(tmp_path / "admin")
    yield db
    db.close()


def _url_as(db: Database, login: str) -> str:
    return make_url(db.server_url or "").set(username=login).render_as_string(False)


def _psql(db: Database, login: str) -> Any:
    """A plain psycopg connection as `login`, outside Fascia (autocommit: one statement each)."""
    import psycopg

    url = make_url(db.server_url or "")
    return psycopg.connect(host=url.query["host"], user=login, dbname=url.database, autocommit=True)


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Any]:
    made: list[Database] = []

    def open_as(admin: Database, login: str) -> Database:
        db = open_server(_url_as(admin, login), tmp_path / login)
        made.append(db)
        return db

    yield open_as
    for db in made:
        db.close()


def _visit(db: Database, complaint: str) -> tuple[int, int]:
    client = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint=complaint), ())
    return client.id, visits.create_visit(db, client.id, draft).visit.id


def test_the_front_desk_is_refused_the_notes_by_the_server_but_reads_the_schedule_and_invoices(
    admin: Database,
) -> None:
    import psycopg

    _visit(admin, "Neck pain after a fall")
    desk = _login("desk")
    staff.add_user(admin, desk, "front_desk", "s3cret", display_name="Anna Lee")
    with _psql(admin, desk) as connection:
        for statement in (
            "SELECT complaint FROM soap_note",
            "SELECT * FROM intake",
            "SELECT * FROM body_chart",
            "SELECT * FROM treatment_entry",
            "SELECT * FROM treatment_plan",
            "SELECT signing_acknowledgements FROM visit",
            "UPDATE soap_note SET complaint = 'x'",
            "INSERT INTO clinic_user (login, role, display_name, created_at) "
            "VALUES ('me', 'owner', '', now())",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
        entities = {row[0] for row in connection.execute("SELECT entity FROM audit_entry")}
        assert "visit" not in entities and "client" in entities
        starts = connection.execute("SELECT client_id, starts_at, status FROM visit").fetchall()
        assert len(starts) == 1
        for table in ("appointment", "invoice", "payment", "client"):
            connection.execute(f"SELECT * FROM {table}").fetchall()


def test_a_practitioner_sees_only_their_own_clients_notes_until_a_client_is_shared(
    admin: Database, opened: Any
) -> None:
    first, second = _login("maya"), _login("omar")
    maya = staff.add_user(
        admin, first, "practitioner", "pw", practitioner=PractitionerForm("Maya Chen", "RMT")
    )
    omar = staff.add_user(
        admin, second, "practitioner", "pw", practitioner=PractitionerForm("Omar Said", "RMT")
    )
    client_id, _ = _visit(opened(admin, first), "Maya's client: low back pain")
    _visit(opened(admin, second), "Omar's client: shoulder")

    def complaints(login: str) -> set[str]:
        with _psql(admin, login) as connection:
            return {row[0] for row in connection.execute("SELECT complaint FROM soap_note")}

    assert complaints(first) == {"Maya's client: low back pain"}
    assert complaints(second) == {"Omar's client: shoulder"}
    staff.share_client(admin, client_id, omar.practitioner_id or 0)
    assert complaints(second) == {"Omar's client: shoulder", "Maya's client: low back pain"}
    assert complaints(first) == {"Maya's client: low back pain"}
    assert maya.practitioner_id != omar.practitioner_id
    owner = _login("owner")
    staff.add_user(admin, owner, "owner", "pw", practitioner=PractitionerForm("Noor Haddad"))
    assert len(complaints(owner)) == 2


def test_a_note_signed_on_the_server_names_the_signed_in_practitioner(
    admin: Database, opened: Any
) -> None:
    login = _login("maya")
    staff.add_user(
        admin, login, "practitioner", "pw", practitioner=PractitionerForm("Maya Chen", "RMT", "42")
    )
    maya = opened(admin, login)
    assert maya.actor == "Maya Chen, RMT (reg. 42)"
    _, visit_id = _visit(maya, "Headache")
    signed = visits.sign_visit(maya, visit_id, without_consent=True)
    assert signed.visit.signed_by == "Maya Chen, RMT (reg. 42)"
    assert login not in signed.visit.signed_by


def test_the_front_desk_signs_nothing_and_its_audit_entries_name_them(
    admin: Database, opened: Any
) -> None:
    from practice.store import audit

    login = _login("desk")
    staff.add_user(admin, login, "front_desk", "pw", display_name="Anna Lee")
    desk = opened(admin, login)
    assert desk.signer is None
    client = clients.create_client(desk, ClientForm(given_name="Lee", family_name="Kim"))
    entries = audit.list_entries(admin, client_id=client.id)
    assert entries and {entry.actor for entry in entries} == {"Anna Lee (front desk)"}


@pytest.mark.parametrize(
    ("login", "role", "field"),
    [
        ("Bad Name", "practitioner", "login"),
        ("1abc", "practitioner", "login"),
        ("ok_name", "janitor", "role"),
        ("ok_name", "practitioner", "practitioner"),
    ],
)
def test_a_login_that_cannot_be_made_is_refused_and_nothing_is_created(
    admin: Database, login: str, role: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        staff.add_user(admin, login, role, "pw")
    assert refused.value.field == field
    with admin.read() as session:
        assert session.query(staff.ClinicUserRow).count() == 0


def test_a_taken_login_is_refused_in_plain_words(admin: Database) -> None:
    login = _login("desk")
    staff.add_user(admin, login, "front_desk", "pw")
    with pytest.raises(staff.ClinicUserError, match="already a login named"):
        staff.add_user(admin, login, "front_desk", "pw")
