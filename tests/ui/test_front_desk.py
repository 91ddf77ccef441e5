"""Clinic mode as the front desk sees it: every page and tab they can reach works, and none of
them asks the server for what it refuses them (clinical notes, charts, intake, plans)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from practice.store import Database, staff
from practice.store.server import open_server
from tests.launching import close_launcher, open_window
from ui.ops import runner

_names = itertools.count()


def _login(prefix: str) -> str:
    """A login name no other test in this cluster has (roles are the whole server's)."""
    return f"{prefix}_{os.getpid()}_{next(_names)}"


def url_as(db: Database, login: str) -> str:
    return make_url(db.server_url or "").set(username=login).render_as_string(False)


class ServerLog:
    """What the server refused since it was opened (its log names every refused statement)."""

    def __init__(self, cluster: Any) -> None:
        self.path = Path(cluster.folder) / "log"
        self.start = self.path.stat().st_size

    def refused(self) -> list[str]:
        with self.path.open("rb") as log:
            log.seek(self.start)
            lines = log.read().decode(errors="replace").splitlines()
        return [
            f"{line} || {lines[i + 1] if i + 1 < len(lines) else ''}"
            for i, line in enumerate(lines)
            if "permission denied" in line or "row-level security" in line
        ]


@pytest.fixture
def practice(empty_url: Any, tmp_path: Path) -> Iterator[Database]:
    """A small demo practice (notes, charts, plans, invoices, an issued summary) moved onto the
    server the way a solo practice joins a clinic; opened by the server's administrator."""
    from practice import printouts, tables  # noqa: F401  (every table)
    from practice.demo import generate
    from practice.store import open_database
    from practice.store.moving import move_to_server
    from practice.summaries import demo as summaries_demo
    from practice.summaries import service as summaries

    folder = tmp_path / "solo"
    solo = open_database(folder, actor="jordan")
    try:
        generate(solo, clients_count=3, seed=7)
        made = summaries_demo.build(solo, visits_count=3)
        printouts.issue_summary(solo, summaries.summary_draft(solo, made.rich))
    finally:
        solo.close()
    url = empty_url()
    move_to_server(folder, url)
    db = open_server(url, tmp_path / "admin")
    yield db
    db.close()


class DialogCloser:
    """Closes every dialog a walk opens (a modal one would block it), keeping what each said:
    an error box's text is what the test looks for."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.errors: list[str] = []
        self.opened: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self.close_all)
        self.timer.start(100)

    def close_all(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if not isinstance(widget, QDialog) or not widget.isVisible():
                continue
            if isinstance(widget, QMessageBox):
                if widget.icon() in (QMessageBox.Icon.Critical, QMessageBox.Icon.Warning):
                    self.errors.append(widget.text())
            else:
                self.opened.append(type(widget).__name__)
            widget.reject()

    def stop(self) -> None:
        self.timer.stop()
        self.close_all()


def settle(qtbot: QtBot) -> None:
    qtbot.wait(50)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)


# Menu entries the walk leaves alone: they close or lock the window, or open another practice.
NOT_WALKED = {"&Quit", "&Lock now", "Explore the &demo practice…", "&Restore from backup…"}


def walk(qtbot: QtBot, window: Any, practice: Database) -> set[str]:
    """Every page and its tabs, a client's every tab, an invoice, an appointment, every menu;
    returns the appointment dialog's actions on offer."""
    from practice.billing.queries import list_invoices
    from practice.schedule.queries import client_appointments

    for button in window.nav.buttons():
        button.click()
        settle(qtbot)
    billing = window.billing.page
    for index in range(billing.tabs.count()):
        billing.tabs.setCurrentIndex(index)
        settle(qtbot)
    invoice = list_invoices(practice, limit=1)[0]
    billing.open_invoice(invoice.id)
    settle(qtbot)
    window.schedule.open_appointment(client_appointments(practice, invoice.client_id)[0])
    settle(qtbot)
    dialog = window.schedule.dialog
    actions = {name for name, b in dialog.action_buttons.items() if b.isVisibleTo(dialog)}
    dialog.reject()
    window.pages.setCurrentWidget(window.clients)
    window.clients.open_client(invoice.client_id)
    settle(qtbot)
    workspace = window.clients.workspace
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        settle(qtbot)
    for menu in window.menuBar().findChildren(QMenu):
        menu.aboutToShow.emit()
        for action in menu.actions():
            shown = action.isVisible() and action.isEnabled() and not action.isSeparator()
            if shown and action.text() not in NOT_WALKED:
                action.trigger()
                settle(qtbot)
    qtbot.wait(2500)  # the records check at open
    settle(qtbot)
    return actions


def offered(window: Any) -> tuple[list[str], list[str]]:
    """The client tabs and the menu entries the window offers."""
    workspace = window.clients.workspace
    tabs = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    entries = [
        action.text().replace("&", "")
        for menu in window.menuBar().findChildren(QMenu)
        if menu.menuAction().isVisible()
        for action in menu.actions()
        if action.isVisible() and not action.isSeparator()
    ]
    return tabs, entries


@contextmanager
def walked_as(
    qtbot: QtBot, qapp: QApplication, practice: Database, pg_cluster: Any, url: str, folder: Path
) -> Iterator[tuple[Any, set[str], DialogCloser, ServerLog]]:
    """A window signed in at `url`, walked through every page and tab (`walk`): the window,
    the actions its appointment dialog offered, the dialogs it opened and the server's log."""
    from ui.app import Launcher

    log = ServerLog(pg_cluster)
    launcher = Launcher(qapp)
    closer = DialogCloser()
    try:
        window = open_window(qtbot, launcher, url, folder)
        yield window, walk(qtbot, window, practice), closer, log
    finally:
        closer.stop()
        settle(qtbot)
        close_launcher(qtbot, launcher)


def test_the_front_desk_walks_every_page_and_tab_without_an_error_or_a_refused_query(
    qtbot: QtBot, qapp: QApplication, practice: Database, pg_cluster: Any, tmp_path: Path
) -> None:
    desk = _login("front")
    staff.add_user(practice, desk, "front_desk", "pw", display_name="Anna Lee")
    url = url_as(practice, desk)
    with walked_as(qtbot, qapp, practice, pg_cluster, url, tmp_path / "desk") as walked:
        window, actions, closer, log = walked
        assert "visit" not in actions and "bill" not in actions and "arrive" in actions
        tabs, entries = offered(window)
        assert tabs == ["Timeline", "Profile", "Consent", "Billing"]
        assert window.clients.workspace.profile.care_team is None
        assert not window.clients.workspace.billing.superbill_button.isVisibleTo(window)
        for clinical in ("New visit", "New plan", "Physician summary…", "Unsigned notes…"):
            assert clinical not in entries
        assert window.windowTitle() == "Fascia — Anna Lee (front desk)"
        assert "AuditViewer" in closer.opened
        assert closer.errors == []
        assert log.refused() == []


def test_a_practitioner_walks_every_page_and_tab_without_an_error_or_a_refused_query(
    qtbot: QtBot, qapp: QApplication, practice: Database, pg_cluster: Any, tmp_path: Path
) -> None:
    from practice.store.practitioners import PractitionerForm
    from ui.clients.workspace import TABS

    login = _login("walker")
    form = PractitionerForm("Maya Chen", "RMT")
    staff.add_user(practice, login, "practitioner", "pw", practitioner=form)
    url = url_as(practice, login)
    with walked_as(qtbot, qapp, practice, pg_cluster, url, tmp_path / "maya") as walked:
        window, actions, closer, log = walked
        assert "visit" in actions and "bill" in actions
        tabs, entries = offered(window)
        assert tabs == [title for _name, title, *_rest in TABS]
        assert "New visit" in entries and "Verify records…" not in entries
        assert window.clients.workspace.profile.care_team is not None
        assert closer.errors == []
        assert log.refused() == []
