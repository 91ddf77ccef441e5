"""Clinic mode on screen: two windows on one server; what one saves appears in the other's
Visits list without a click (LISTEN/NOTIFY into the app's one change signal)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store.server import open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.launching import close_launcher, open_window
from ui.ops import runner


class StatusWindow(QMainWindow):
    """A main window noting what it is asked to say in its status bar."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []

    def show_status(self, message: str) -> None:
        self.said.append(message)


def server_with_a_client(url: str, folder: Path) -> tuple[str, Any]:
    """A new practice on the server at `url` with one client, Ana Peña: (url, the client)."""
    setup = open_server(url, folder)
    try:
        return url, clients.create_client(setup, ClientForm(given_name="Ana", family_name="Peña"))
    finally:
        setup.close()


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

    url, client = server_with_a_client(server_url_factory(), tmp_path / "setup")
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


def _terminate(db: Any, pid: int) -> None:
    with db.read() as session:
        db.raw_connection(session).execute("SELECT pg_terminate_backend(?)", (pid,)).fetchone()


def test_a_window_whose_server_connection_was_cut_reconnects_and_shows_what_was_missed(
    qtbot: QtBot,
    qapp: QApplication,
    server_url_factory: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    import ui.live
    from ui.app import Launcher

    # The first try comes after the missed save has surely landed (it takes milliseconds).
    monkeypatch.setattr(ui.live, "FIRST_RETRY_MS", 2_000)
    url, client = server_with_a_client(server_url_factory(), tmp_path / "setup")
    launcher = Launcher(qapp)
    try:
        front = open_window(qtbot, launcher, url, tmp_path / "front")
        back = open_window(qtbot, launcher, url, tmp_path / "back")
        live = launcher.live_updates[-1]
        shown = show_visits(qtbot, back, client.id)
        _terminate(front.db, live._listener.backend_pid)
        qtbot.waitUntil(lambda: live.notice.isVisible(), timeout=5_000)
        assert live.notice.text() == "Server connection lost — reconnecting…"
        assert not live.listening

        starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Missed"), ())
        visits.create_visit(front.db, client.id, draft)  # heard by nobody in the back window

        qtbot.waitUntil(lambda: live.listening, timeout=10_000)
        assert not live.notice.isVisible()
        assert "Reconnected" in back.statusBar().currentMessage()
        qtbot.waitUntil(lambda: shown.model.rowCount() == 1, timeout=5_000)  # refreshed once

        draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Heard"), ())
        visits.create_visit(front.db, client.id, draft)  # heard again, as before the cut
        qtbot.waitUntil(lambda: shown.model.rowCount() == 2, timeout=5_000)
    finally:
        close_launcher(qtbot, launcher)


def test_a_save_the_server_went_away_from_offers_retry_and_saves_once_it_is_back(
    qtbot: QtBot, qapp: QApplication, server_url_factory: Any, tmp_path: Path, pg_cluster: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.ops import WriteOp

    db = open_server(server_url_factory(), tmp_path / "one")
    form = QWidget()
    qtbot.addWidget(form)
    saved: list[int] = []
    try:
        pg_cluster.pause()
        try:
            WriteOp(
                form,
                lambda: clients.create_client(db, ClientForm(given_name="Retried")),
                lambda client: saved.append(client.id),
            ).run()

            def asking() -> QMessageBox | None:
                boxes = [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox)]
                return next((b for b in boxes if b.isVisible()), None)

            qtbot.waitUntil(lambda: asking() is not None, timeout=20_000)
            box = asking()
            assert box is not None and "stopped answering" in box.text()
            assert "not saved" in box.text() and not saved
        finally:
            pg_cluster.resume()
        assert len(clients.search_clients(db)) == 0  # nothing half-saved
        box.button(QMessageBox.StandardButton.Retry).click()
        qtbot.waitUntil(lambda: len(saved) == 1, timeout=20_000)
        assert [c.display_name for c in clients.search_clients(db)] == ["Retried"]
    finally:
        qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
        db.close()


def test_a_read_the_server_went_away_from_is_said_in_the_status_bar_not_in_a_dialog(
    qtbot: QtBot, qapp: QApplication, monkeypatch: Any
) -> None:
    import sys

    from PySide6.QtWidgets import QMessageBox

    from practice.errors import ServerGoneError
    from ui.app import _install_error_hook

    window = StatusWindow()
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    _install_error_hook(qapp, exit_after=False)
    gone = ServerGoneError("The server for clinic stopped answering, so this was not saved.")
    sys.excepthook(ServerGoneError, gone, None)
    assert window.said == [str(gone)]


def test_a_window_lives_through_a_server_restart_and_lists_what_was_saved_meanwhile(
    qtbot: QtBot,
    qapp: QApplication,
    server_url_factory: Any,
    tmp_path: Path,
    pg_cluster: Any,
    monkeypatch: Any,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.app import Launcher

    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    url = server_url_factory()
    launcher = Launcher(qapp)
    try:
        window = open_window(qtbot, launcher, url, tmp_path / "window")
        live = launcher.live_updates[-1]
        window.pages.setCurrentWidget(window.clients)
        assert window.clients.model.rowCount() == 0
        pg_cluster.pause()
        try:
            qtbot.waitUntil(lambda: live.notice.isVisible(), timeout=5_000)
        finally:
            pg_cluster.resume()
        elsewhere = open_server(url, tmp_path / "elsewhere")
        clients.create_client(elsewhere, ClientForm(given_name="Saved", family_name="Meanwhile"))
        elsewhere.close()
        qtbot.waitUntil(lambda: live.listening, timeout=20_000)
        qtbot.waitUntil(lambda: window.clients.model.rowCount() == 1, timeout=10_000)
        assert not [
            w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
        ]
    finally:
        close_launcher(qtbot, launcher)


def test_a_background_read_the_server_went_away_from_is_said_in_the_status_bar(
    qtbot: QtBot, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from practice.errors import ServerGoneError
    from ui.ops import QueryOp

    window = StatusWindow()
    qtbot.addWidget(window)
    view = QWidget(window)
    monkeypatch.setattr(QMessageBox, "open", lambda box: pytest.fail(box.text()))
    gone = ServerGoneError("The server for clinic stopped answering, so this could not be read.")

    def read() -> None:
        raise gone

    QueryOp(view, read).run()
    qtbot.waitUntil(lambda: runner().idle, timeout=5_000)
    assert window.said == [str(gone)]


def test_two_windows_on_one_server_saving_one_note_the_later_is_told_and_overwrites_nothing(
    qtbot: QtBot, qapp: QApplication, server_url_factory: Any, tmp_path: Path
) -> None:
    from ui.app import Launcher

    url = server_url_factory()
    setup = open_server(url, tmp_path / "setup")
    client = clients.create_client(setup, ClientForm(given_name="Ana", family_name="Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
    visit_id = visits.create_visit(setup, client.id, draft).visit.id
    setup.close()
    launcher = Launcher(qapp)
    try:
        front = open_window(qtbot, launcher, url, tmp_path / "front")
        back = open_window(qtbot, launcher, url, tmp_path / "back")
        editors = []
        for window in (front, back):
            tab = show_visits(qtbot, window, client.id)
            tab.open_visit(visit_id)
            qtbot.waitUntil(lambda: runner().idle)
            qtbot.waitUntil(lambda tab=tab: tab.editor.record is not None)
            editors.append(tab.editor)
        mine, theirs = editors
        theirs.subjective.fields["complaint"].setPlainText("Neck, worse since Monday — 월요일부터")
        assert theirs.save() is not None
        mine.subjective.fields["complaint"].setPlainText("Neck, better")
        assert mine.save() is None

        assert "Someone else saved this note" in mine.form_error.message()
        stored = visits.get_visit(front.db, visit_id).note.complaint
        assert stored == "Neck, worse since Monday — 월요일부터"
    finally:
        close_launcher(qtbot, launcher)
