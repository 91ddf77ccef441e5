"""The main window, first-run welcome and the quick switcher, driven as a therapist would."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store import Database
from ui.app import demo_dir_for
from ui.main_window import MainWindow
from ui.quick_switcher import QuickSwitcher
from ui.welcome import WelcomeDialog
from ui.widgets.shortcuts import ShortcutsDialog, undescribed


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    return window


def test_window_opens_on_today_once_the_database_is_attached_and_there_are_clients(
    qtbot: QtBot, db: Database
) -> None:
    service.create_client(db, ClientForm(given_name="Chloé"))
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    save = next(
        a for a in window.findChildren(type(window.menuBar().actions()[0])) if a.text() == "&Save"
    )
    assert window.pages.currentWidget() is window.loading
    assert not save.isEnabled()
    window.attach(db)
    assert window.pages.currentWidget() is window.today
    assert save.isEnabled()
    assert window.clients.model.rowCount() == 1


def test_a_practice_without_clients_opens_on_its_client_list(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    assert window.pages.currentWidget() is window.clients
    assert window.nav.checkedButton().text() == "Clients"


def test_ctrl_n_starts_a_new_client(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    new = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+N"))
    new.trigger()
    assert window.clients.workspace.header.name.text() == "New client"


def test_f1_lists_every_shortcut_the_window_has_with_where_it_works(
    qtbot: QtBot, db: Database
) -> None:
    window = _window(qtbot, db)
    help_action = next(
        a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("F1")
    )
    shown: list[ShortcutsDialog] = []
    QTimer.singleShot(0, lambda: shown.append(QApplication.activeModalWidget()))
    QTimer.singleShot(50, lambda: shown[-1].reject())
    help_action.trigger()
    dialog = shown[-1]
    assert isinstance(dialog, ShortcutsDialog)
    rows = {(where, does): keys for where, does, keys in dialog.rows()}
    assert rows[("File", "New client")] == "Ctrl+N"
    assert rows[("File", "Go to client")] == "Ctrl+K"
    assert rows[("Edit", "Practice profile")].endswith("Ctrl+,")
    assert rows[("Progress", "Record measure")] == "Ctrl+Shift+M"
    assert rows[("Body map", "Paint")] == "P"
    assert rows[("Body map", "Show or hide possible sources")] == "Ctrl+Shift+S"
    assert rows[("Body map", "Redo")] == "Ctrl+Shift+Z, Ctrl+Y"
    assert rows[("Navigation rail", "Billing")] == "Ctrl+3"
    assert rows[("Schedule", "Waitlist")] == "L"
    assert rows[("Schedule", "Reminders")] == "R"
    # Every key the window answers to is listed: each QShortcut says what it does.
    assert undescribed(window) == []
    listed = {key for keys in rows.values() for key in keys.split(", ")}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in listed


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no keyboard grab
def test_each_menus_icons_are_there_when_it_opens(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    for menu in window.menuBar().findChildren(QMenu):
        menu.popup(window.mapToGlobal(window.rect().center()))
        qtbot.waitUntil(menu.isVisible)
        menu.hide()
    by_text = {a.text(): a for m in window.menuBar().findChildren(QMenu) for a in m.actions()}
    for text in (
        "&New client",
        "&Print…",
        "&Save",
        "&New visit",
        "&Billing",
        "&Keyboard shortcuts",
    ):
        assert not by_text[text].icon().isNull(), text
    assert by_text["&Quit"].icon().isNull()  # no icon was given


def test_preferences_opens_with_ctrl_comma_on_every_platform(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    profile = next(a for a in window.findChildren(QAction) if a.text() == "Practice &profile…")
    assert QKeySequence("Ctrl+,") in profile.shortcuts()


def test_the_rail_highlights_the_area_shown_however_it_was_reached(
    qtbot: QtBot, db: Database
) -> None:
    window = _window(qtbot, db)
    buttons = {b.accessibleName(): b for b in window.nav.buttons()}
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.billing)  # an animated click
    assert buttons["Billing"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New client
    assert window.pages.currentWidget() is window.clients
    assert buttons["Clients"].isChecked() and not buttons["Billing"].isChecked()


def test_window_geometry_is_remembered(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    window.resize(1200, 760)
    expected = window.saveGeometry()
    window.close()
    assert QSettings().value("main/geometry") == expected
    window.clients.splitter.setSizes([500, 700])
    assert QSettings().value("clients/splitter") is not None


def test_quick_switcher_opens_the_chosen_client(qtbot: QtBot, db: Database) -> None:
    service.create_client(db, ClientForm(given_name="Noah", family_name="Smith"))
    wanted = service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    switcher = QuickSwitcher(db)
    qtbot.addWidget(switcher)
    qtbot.keyClicks(switcher.query, "lefev")
    qtbot.keyClick(switcher.query, Qt.Key.Key_Return)
    assert switcher.chosen == wanted.id


def test_welcome_refuses_an_empty_name_then_saves_the_profile(qtbot: QtBot, db: Database) -> None:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog._on_start_clicked()
    assert "therapist" in dialog.form.grid.errors["therapist_name"].message()
    assert service.get_profile(db) is None
    qtbot.keyClicks(dialog.form.grid.fields["therapist_name"], "Jordan Rivera")
    for field in (dialog.protect.fields.first, dialog.protect.fields.second):
        qtbot.keyClicks(field, "correct horse battery staple")
    dialog._on_start_clicked()
    assert dialog.choice == "practice"
    assert dialog.passphrase == "correct horse battery staple"
    assert service.get_profile(db).therapist_name == "Jordan Rivera"


def test_demo_practice_lives_in_its_own_folder(tmp_path: Path) -> None:
    real = tmp_path / "Fascia"
    assert demo_dir_for(real) != real
    assert demo_dir_for(real).parent == real.parent
    assert QApplication.instance() is not None


def test_after_the_warm_up_the_client_workspace_is_ready_before_the_first_client_is_opened(
    qtbot: QtBot, db: Database
) -> None:
    from ui.app import _start_warm_up
    from ui.ops import runner

    client = service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    window = _window(qtbot, db)
    page = window.clients
    assert page is not None and page._workspace is None  # startup builds no workspace
    _start_warm_up(window, db)
    qtbot.waitUntil(lambda: runner().idle and page._workspace is not None, timeout=60_000)
    workspace = page.workspace
    page.open_client(client.id)  # the first client opens in the workspace built beforehand
    assert page.workspace is workspace and workspace.header.name.text() == "Chloé Lefèvre"


def test_while_the_window_is_idle_every_client_tab_and_billing_are_built_before_use(
    qtbot: QtBot, db: Database
) -> None:
    from ui.app import _start_warm_up
    from ui.clients.workspace import TABS

    client = service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    window = _window(qtbot, db)
    assert window.billing is not None and window.billing._page is None
    _start_warm_up(window, db)
    page = window.clients
    assert page is not None
    qtbot.waitUntil(lambda: window.billing._page is not None, timeout=60_000)
    assert gc.get_freeze_count() > 0, "what lives on is left out of later collections"
    workspace = page.workspace
    assert all(workspace.built(name) is not None for name, *_rest in TABS)
    page.open_client(client.id)
    workspace.tabs.setCurrentWidget(workspace.visits)  # built already: it reads its client
    qtbot.waitUntil(
        lambda: workspace.visits.client is not None and workspace.visits.client.id == client.id
    )


def test_ctrl_s_saves_the_open_note_on_the_op_runner_and_the_window_keeps_answering(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from practice.visits import service as visits
    from ui.ops import runner

    client = service.create_client(db, ClientForm(given_name="Minji", family_name="Kim"))
    window = _window(qtbot, db)
    window.pages.setCurrentWidget(window.clients)
    window.clients.open_client(client.id)
    window.clients.workspace.new_visit()
    qtbot.waitUntil(lambda: runner().idle)
    editor = window.clients.workspace.visits.editor
    editor.subjective.fields["complaint"].insertPlainText("Stiff neck — 목이 뻣뻣해요")
    writers: list[str] = []
    create = visits.create_visit

    def creating(*args, **kwargs):  # type: ignore[no-untyped-def]
        writers.append(threading.current_thread().name)
        return create(*args, **kwargs)

    monkeypatch.setattr(visits, "create_visit", creating)
    save = next(a for a in window.findChildren(QAction) if a.text() == "&Save")
    save.trigger()
    qtbot.waitUntil(lambda: runner().idle)

    assert writers and threading.main_thread().name not in writers
    [record] = visits.export_client_visits(db, client.id)
    assert "목이 뻣뻣해요" in record.note.complaint
    assert not editor.is_dirty()
