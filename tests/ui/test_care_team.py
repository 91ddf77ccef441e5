"""Sharing a client from the Profile tab (clinic mode): a practitioner adds a colleague to the
client's care team, and from then on the server lets that colleague read the client's notes,
whatever program they use (plain SQL here); taking them off hides the notes again."""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import make_url

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database, staff
from practice.store.audit import AuditEntry
from practice.store.practitioners import PractitionerForm
from practice.store.server import open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.launching import close_launcher, open_window
from ui.ops import runner

_names = itertools.count()


def url_as(db: Database, login: str) -> str:
    return make_url(db.server_url or "").set(username=login).render_as_string(False)


def complaints(db: Database, login: str) -> set[str]:
    """What `login` reads of the notes with plain SQL, outside Fascia."""
    import psycopg

    url = make_url(db.server_url or "")
    with psycopg.connect(host=url.query["host"], user=login, dbname=url.database) as connection:
        return {row[0] for row in connection.execute("SELECT complaint FROM soap_note")}


@pytest.fixture
def clinic(server_db_factory: Any, tmp_path: Path) -> Any:
    """Two practitioners; Maya's client with a note (Maya is on its care team, Omar is not)."""
    admin = server_db_factory(tmp_path / "admin")
    people = {}
    for name in ("Maya Chen", "Omar Said"):
        login = f"team_{name.split()[0].lower()}_{os.getpid()}_{next(_names)}"
        form = PractitionerForm(name)
        user = staff.add_user(admin, login, "practitioner", "pw", practitioner=form)
        people[name.split()[0]] = (login, user.practitioner_id)
    maya = open_server(url_as(admin, people["Maya"][0]), tmp_path / "maya-setup")
    client = clients.create_client(maya, ClientForm(given_name="Ana", family_name="Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    note = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Low back pain"), ())
    visits.create_visit(maya, client.id, note)
    maya.close()
    yield admin, people, client.id
    admin.close()


def test_a_practitioner_shares_a_client_from_the_profile_and_the_colleague_reads_the_notes(
    qtbot: QtBot, qapp: QApplication, clinic: Any, tmp_path: Path
) -> None:
    from ui.app import Launcher

    admin, people, client_id = clinic
    (maya, maya_id), (omar, omar_id) = people["Maya"], people["Omar"]
    assert complaints(admin, omar) == set()  # not on the team: the server shows him nothing
    launcher = Launcher(qapp)
    try:
        window = open_window(qtbot, launcher, url_as(admin, maya), tmp_path / "maya")
        window.pages.setCurrentWidget(window.clients)
        window.clients.open_client(client_id)
        workspace = window.clients.workspace
        workspace.tabs.setCurrentWidget(workspace.profile)
        panel = workspace.profile.care_team
        qtbot.waitUntil(lambda: runner().idle and panel.model.rowCount() == 1, timeout=20_000)
        assert panel.isVisible()
        assert [m.practitioner_id for m in panel.members()] == [maya_id]
        assert not panel.remove_button.isEnabled()  # the only one stays

        panel.add_menu.aboutToShow.emit()
        offered = [a for a in panel.add_menu.actions() if a.text() == "Omar Said"]
        assert len(offered) == 1
        offered[0].trigger()
        qtbot.waitUntil(lambda: runner().idle and panel.model.rowCount() == 2, timeout=20_000)
        assert [m.practitioner_id for m in panel.members()] == [maya_id, omar_id]
        assert complaints(admin, omar) == {"Low back pain"}

        panel.table.selectRow(1)
        assert panel.remove_button.isEnabled()
        panel.remove_button.click()
        qtbot.waitUntil(lambda: runner().idle and panel.model.rowCount() == 1, timeout=20_000)
        assert complaints(admin, omar) == set()

        panel.remove(maya_id)  # the last one
        qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=20_000)
        assert "only practitioner" in panel.error.text()
        assert panel.model.rowCount() == 1
    finally:
        close_launcher(qtbot, launcher)
    with admin.read() as session:
        entries = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "care_team", AuditEntry.client_id == client_id
            )
        ).all()
    assert sorted(entries) == ["share", "unshare"]


def test_a_practitioner_off_the_team_is_told_the_records_are_hidden_not_that_there_are_none(
    qtbot: QtBot, qapp: QApplication, clinic: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.app import Launcher
    from ui.clients.workspace import HIDDEN_RECORDS

    admin, people, client_id = clinic
    omar, omar_id = people["Omar"]

    def reopen(window: Any) -> None:
        window.pages.setCurrentWidget(window.clients)
        window.clients.workspace.open_client(client_id)  # read again, as on coming back to it
        qtbot.waitUntil(lambda: runner().idle, timeout=20_000)

    def said(window: Any) -> list[str]:
        header = window.clients.workspace.header
        labels = header.findChildren(QLabel)
        return [label.text() for label in labels if label.isVisibleTo(header)]

    launcher = Launcher(qapp)
    try:
        window = open_window(qtbot, launcher, url_as(admin, omar), tmp_path / "omar")
        reopen(window)
        assert HIDDEN_RECORDS in said(window)
        assert not any("Caution" in text or "No alerts" in text for text in said(window))
        staff.share_client(admin, client_id, omar_id)
        reopen(window)
        qtbot.waitUntil(lambda: HIDDEN_RECORDS not in said(window))
        assert any("Caution" in text for text in said(window))  # no intake on file yet
    finally:
        close_launcher(qtbot, launcher)
