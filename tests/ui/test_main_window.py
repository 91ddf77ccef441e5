"""The main window, first-run welcome and the quick switcher, driven as a therapist would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store import Database
from ui.app import demo_dir_for
from ui.main_window import MainWindow, ShortcutsDialog
from ui.quick_switcher import QuickSwitcher
from ui.welcome import WelcomeDialog


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    return window


def test_window_opens_on_the_client_list_once_the_database_is_attached(
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
    assert window.pages.currentWidget() is window.clients
    assert save.isEnabled()
    assert window.clients.model.rowCount() == 1


def test_ctrl_n_starts_a_new_client(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    new = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+N"))
    new.trigger()
    assert window.clients.workspace.header.name.text() == "New client"


def test_shortcuts_window_lists_the_menu_shortcuts(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    table = dialog.findChild(type(dialog.children()[-1]))
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["New client"] == "Ctrl+N"
    assert rows["Go to client"] == "Ctrl+K"


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
