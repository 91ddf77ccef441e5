"""Clinic mode on screen: two windows on one server; what one saves appears in the other's
Visits list without a click (LISTEN/NOTIFY into the app's one change signal)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store.server import open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.launching import close_launcher, open_window
from ui.ops import runner


def show_visits(qtbot: QtBot, window: Any, client_id: int) -> Any:
    """The window's Visits tab of a client, on screen (as a person would have it open)."""
    window.pages.setCurrentWidget(window.clients)
    window.clients.open_client(client_id)
    workspace = window.clients.workspace
    workspace.tabs.setCurrentWidget(workspace.visits)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
    assert workspace.visits.isVisible()
    return workspace.visits


def test_a_note_saved_in_one_window_appears_in_the_other_windows_visits_list_without_a_click(
    qtbot: QtBot, qapp: QApplication, server_url_factory: Any, tmp_path: Path
) -> None:
    from ui.app import Launcher

    url = server_url_factory()
    setup = open_server(url, tmp_path / "setup")
    client = clients.create_client(setup, ClientForm(given_name="Ana", family_name="Peña"))
    setup.close()
    launcher = Launcher(qapp)
    try:
        front = open_window(qtbot, launcher, url, tmp_path / "front")
        back = open_window(qtbot, launcher, url, tmp_path / "back")
        shown = show_visits(qtbot, back, client.id)
        assert shown.model.rowCount() == 0

        starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
        visits.create_visit(front.db, client.id, draft)

        qtbot.waitUntil(lambda: shown.model.rowCount() == 1, timeout=5_000)
        assert shown.count.text() == "1 visit"
    finally:
        close_launcher(qtbot, launcher)
