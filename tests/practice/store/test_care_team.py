"""A client's care team (clinic mode): sharing a client with a practitioner and taking them off
again, through the core service, with audit entries; what the front desk may not do."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import FasciaError, NotFoundError, ValidationError
from practice.store import Database, staff
from practice.store.audit import AuditEntry
from practice.store.practitioners import PractitionerForm, save_practitioner
from practice.store.server import open_server
from practice.store.staff import CareTeamRow

_names = itertools.count()


def _login(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


@pytest.fixture
def admin(server_db_factory: Any, tmp_path: Path) -> Any:
    db = server_db_factory(tmp_path / "admin")
    yield db
    db.close()


def _open_as(admin: Database, login: str, folder: Path) -> Database:
    url = make_url(admin.server_url or "").set(username=login).render_as_string(False)
    return open_server(url, folder)


def _entries(db: Database, client_id: int) -> list[str]:
    with db.read() as session:
        query = select(AuditEntry.action).where(
            AuditEntry.entity == "care_team", AuditEntry.client_id == client_id
        )
        return list(session.scalars(query.order_by(AuditEntry.id)))


def test_sharing_adds_a_practitioner_once_and_each_change_is_in_the_audit_trail(
    admin: Database, tmp_path: Path
) -> None:
    login = _login("carer")
    maya = staff.add_user(admin, login, "practitioner", "pw", practitioner=PractitionerForm("Maya"))
    omar = save_practitioner(admin, PractitionerForm("Omar Said", "RMT"))
    as_maya = _open_as(admin, login, tmp_path / "maya")
    try:
        client = clients.create_client(as_maya, ClientForm(given_name="Ana", family_name="Peña"))
        assert [m.practitioner_id for m in staff.care_team(as_maya, client.id)] == [
            maya.practitioner_id
        ]
        staff.share_client(as_maya, client.id, omar.id)
        staff.share_client(as_maya, client.id, omar.id)  # already on it: nothing more
        team = staff.care_team(as_maya, client.id)
        assert [m.signature for m in team] == ["Maya", "Omar Said, RMT"]
        staff.unshare_client(as_maya, client.id, omar.id)
        with pytest.raises(ValidationError) as refused:
            staff.unshare_client(as_maya, client.id, maya.practitioner_id or 0)
        assert "only practitioner" in refused.value.errors["care_team"]
        assert _entries(admin, client.id) == ["share", "unshare"]
    finally:
        as_maya.close()


def test_the_front_desk_cannot_change_a_care_team(admin: Database, tmp_path: Path) -> None:
    desk = _login("carer_desk")
    staff.add_user(admin, desk, "front_desk", "pw", display_name="Anna Lee")
    omar = save_practitioner(admin, PractitionerForm("Omar Said"))
    client = clients.create_client(admin, ClientForm(given_name="Ana", family_name="Peña"))
    as_desk = _open_as(admin, desk, tmp_path / "desk")
    try:
        assert not staff.may_share(as_desk)
        for change in (staff.share_client, staff.unshare_client):
            with pytest.raises(FasciaError, match="front desk cannot"):
                change(as_desk, client.id, omar.id)
        assert staff.care_team(admin, client.id) == []
    finally:
        as_desk.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    client_id=st.one_of(st.integers(-(2**70), 2**70), st.none(), st.text(max_size=5)),
    practitioner_id=st.one_of(st.integers(-(2**70), 2**70), st.none(), st.floats()),
    share=st.booleans(),
)
def test_any_ids_get_the_projects_own_errors_and_save_nothing_invalid(
    db: Database, client_id: Any, practitioner_id: Any, share: bool
) -> None:
    change = staff.share_client if share else staff.unshare_client
    with contextlib.suppress(NotFoundError, ValidationError):
        change(db, client_id, practitioner_id)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CareTeamRow)) == 0


def test_only_the_team_or_the_owner_changes_a_team_and_the_server_refuses_the_others(
    admin: Database, tmp_path: Path
) -> None:
    import psycopg

    first, second, desk = _login("carer"), _login("carer"), _login("carer_desk")
    staff.add_user(admin, first, "practitioner", "pw", practitioner=PractitionerForm("Maya"))
    omar = staff.add_user(
        admin, second, "practitioner", "pw", practitioner=PractitionerForm("Omar")
    )
    staff.add_user(admin, desk, "front_desk", "pw", display_name="Anna Lee")
    as_maya = _open_as(admin, first, tmp_path / "maya")
    as_omar = _open_as(admin, second, tmp_path / "omar")
    try:
        client = clients.create_client(as_maya, ClientForm(given_name="Ana", family_name="Peña"))
        with pytest.raises(FasciaError, match="Only a practitioner on the client's care team"):
            staff.share_client(as_omar, client.id, omar.practitioner_id or 0)
        url = make_url(admin.server_url or "")
        insert = (
            "INSERT INTO care_team (client_id, practitioner_id, added_at) "
            f"VALUES ({client.id}, {omar.practitioner_id}, now())"
        )
        for login in (second, desk):
            with (
                psycopg.connect(
                    host=url.query["host"], user=login, dbname=url.database, autocommit=True
                ) as connection,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                connection.execute(insert)
        staff.share_client(admin, client.id, omar.practitioner_id or 0)  # the administrator
        assert len(staff.care_team(as_omar, client.id)) == 2
    finally:
        as_maya.close()
        as_omar.close()


def test_a_practitioner_off_the_team_writing_a_note_is_refused_in_words(
    admin: Database, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from practice.store.server import AccessRefusedError
    from practice.visits import service as visits
    from practice.visits.records import SoapNote, VisitDraft, VisitForm

    first, second = _login("carer"), _login("carer")
    staff.add_user(admin, first, "practitioner", "pw", practitioner=PractitionerForm("Maya"))
    staff.add_user(admin, second, "practitioner", "pw", practitioner=PractitionerForm("Omar"))
    as_maya = _open_as(admin, first, tmp_path / "maya")
    as_omar = _open_as(admin, second, tmp_path / "omar")
    try:
        client = clients.create_client(as_maya, ClientForm(given_name="Ana", family_name="Peña"))
        starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
        with pytest.raises(AccessRefusedError, match="care team you are not on"):
            visits.create_visit(as_omar, client.id, draft)
        assert visits.visit_history(as_maya, client.id) == []  # nothing half-saved
    finally:
        as_maya.close()
        as_omar.close()
