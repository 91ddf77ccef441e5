"""Locking an encrypted practice: the unlock screen, a growing wait after wrong passphrases,
Ctrl+L replacing the window's contents and unlocking putting them back, the idle preference,
and the Welcome's "Protect with a passphrase"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.paths import DB_FILENAME
from practice.store import connection, keyfile, open_database
from practice.store.database import Database
from practice.store.encryption import protect_practice
from practice.store.private import PRIVATE_TEMP
from ui.lock.controller import idle_minutes, set_idle_minutes
from ui.lock.unlock import UnlockScreen, wait_after
from ui.main_window import MainWindow
from ui.ops import runner
from ui.welcome import WelcomeDialog

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(keyfile, "COST", keyfile.Argon2Cost(1, 1024, 1))
    yield
    connection.forget_all()


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[Database]:
    folder = tmp_path / "practice"
    db = open_database(folder, actor="jordan")
    service.create_client(db, ClientForm(given_name="Chloé", family_name="Dubois"))
    db.close()
    protect_practice(folder, PASSPHRASE)
    db = open_database(folder, actor="jordan")
    yield db
    qtbot_idle()
    db.close()


def qtbot_idle() -> None:
    from tests.conftest import settle_ops

    settle_ops()


def _messages() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def _press_ctrl_l(window: MainWindow) -> None:
    """The menu action holding Ctrl+L (the only one), as the keyboard triggers it."""
    (action,) = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+L")]
    action.trigger()


def _unlock(qtbot: QtBot, screen: UnlockScreen, text: str) -> None:
    screen.field.setText(text)
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)


def test_waits_grow_after_each_wrong_passphrase_up_to_a_minute() -> None:
    assert [wait_after(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_the_unlock_screen_says_a_passphrase_is_wrong_then_opens_with_the_right_one(
    qtbot: QtBot, encrypted: Database
) -> None:
    connection.forget_key(encrypted.data_dir)
    screen = UnlockScreen(encrypted.data_dir)
    qtbot.addWidget(screen)
    screen.show()
    _unlock(qtbot, screen, "not it at all")
    qtbot.waitUntil(lambda: screen.message.isVisible())
    assert "does not unlock this practice" in screen.message.text()
    assert "Try again in 1 s" in screen.message.text()
    assert not screen.button.isEnabled() and not screen.field.isEnabled()
    qtbot.waitUntil(lambda: screen.button.isEnabled(), timeout=5000)
    assert connection.key_for(encrypted.path) is None
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        _unlock(qtbot, screen, PASSPHRASE)
    assert connection.key_for(encrypted.path) is not None


def test_the_recovery_code_is_offered_when_the_passphrase_is_forgotten(
    qtbot: QtBot, encrypted: Database
) -> None:
    screen = UnlockScreen(encrypted.data_dir)
    qtbot.addWidget(screen)
    qtbot.mouseClick(screen.switch, Qt.MouseButton.LeftButton)
    assert "recovery code" in screen.hint.text()
    assert screen.switch.text() == "Use the passphrase"


def test_ctrl_l_replaces_the_window_contents_and_unlocking_brings_them_back(
    qtbot: QtBot, encrypted: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PRIVATE_TEMP.stop()
    monkeypatch.setenv("FASCIA_PRIVATE_TEMP", str(tmp_path / "private"))
    window = MainWindow(encrypted.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(encrypted)
    assert window.locker is not None
    contents = window.centralWidget()
    viewer_copy = PRIVATE_TEMP.start() / "Treatment summary Chloé Dubois.pdf"
    viewer_copy.write_bytes(b"%PDF-1.4")
    _press_ctrl_l(window)
    screen = window.centralWidget()
    assert isinstance(screen, UnlockScreen)
    assert contents is not None and not contents.isVisible()
    assert not window.menuBar().isVisible()
    shown = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    assert not any("Dubois" in text or "Chloé" in text for text in shown)
    qtbot.waitUntil(lambda: connection.key_for(encrypted.path) is None)  # the key forgotten
    assert not viewer_copy.exists()  # the decrypted copy in the system viewer's folder
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        _unlock(qtbot, screen, PASSPHRASE)
    assert window.centralWidget() is contents
    assert window.menuBar().isVisible() and window.windowTitle() == "Fascia"
    qtbot.waitUntil(lambda: runner().idle)
    assert len(service.search_clients(encrypted)) == 1  # the practice reads again


def test_a_plain_practice_is_not_locked_and_says_how_to_protect_it(
    qtbot: QtBot, db: Database
) -> None:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    _press_ctrl_l(window)
    assert window.locker is None and not isinstance(window.centralWidget(), UnlockScreen)
    assert "Edit > Security" in window.statusBar().currentMessage()


def test_the_idle_lock_follows_the_preference(qtbot: QtBot, encrypted: Database) -> None:
    assert idle_minutes() == 10
    window = MainWindow(encrypted.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(encrypted)
    assert window.locker is not None
    assert window.locker.idle.isActive() and window.locker.idle.interval() == 600_000
    set_idle_minutes(0)
    window.locker.restart_idle()
    assert not window.locker.idle.isActive()
    set_idle_minutes(1)
    window.locker.restart_idle()
    window.locker.idle.setInterval(50)  # a minute, shortened for the test
    window.locker.idle.start()
    qtbot.waitUntil(lambda: window.locker.locked, timeout=5000)
    assert isinstance(window.centralWidget(), UnlockScreen)


def test_welcome_protects_by_default_and_refuses_a_short_or_mistyped_passphrase(
    qtbot: QtBot, db: Database
) -> None:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.protect.enabled.isChecked()
    dialog.protect.fields.first.setText("short")
    dialog.protect.fields.second.setText("short")
    assert dialog.protect.choice() == (False, None)
    assert "at least 8 characters" in dialog.protect.fields.message.text()
    dialog.protect.fields.first.setText(PASSPHRASE)
    dialog.protect.fields.second.setText(PASSPHRASE + "x")
    assert dialog.protect.choice() == (False, None)
    assert dialog.protect.fields.message.text() == "The two passphrases differ."
    dialog.protect.fields.second.setText(PASSPHRASE)
    assert dialog.protect.choice() == (True, PASSPHRASE)
    dialog.protect.enabled.setChecked(False)
    assert dialog.protect.choice() == (True, None)
    assert not (db.data_dir / DB_FILENAME).with_name("fascia.key").exists()


def test_protecting_an_open_practice_from_security_encrypts_it_and_keeps_working(
    qtbot: QtBot, db: Database
) -> None:
    from ui.lock.passphrase import RecoveryCodeDialog
    from ui.lock.settings import SecurityDialog

    service.create_client(db, ClientForm(given_name="Chloé", family_name="Dubois"))
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    dialog = SecurityDialog(db, window, on_protected=window.start_locking)
    qtbot.addWidget(dialog)
    assert "not encrypted" in dialog.status.text()
    dialog.fields.first.setText(PASSPHRASE)
    dialog.fields.second.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)

    def ended() -> bool:
        return dialog.findChild(RecoveryCodeDialog) is not None or bool(_messages())

    qtbot.waitUntil(ended, timeout=20_000)
    assert [box.text() for box in _messages()] == []
    recovery = dialog.findChild(RecoveryCodeDialog)
    assert len(recovery.code.text()) == 39 and not recovery.ok.isEnabled()
    recovery.written.setChecked(True)
    recovery.accept()
    assert b"Dubois" not in db.path.read_bytes()
    assert "is encrypted" in dialog.status.text()
    assert window.locker is not None
    service.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    assert len(service.search_clients(db)) == 2
    from practice.store.seal.verify import verify_records

    assert verify_records(db).ok


def test_an_encrypted_practice_lists_its_clients_before_sqlalchemy_is_loaded(
    tmp_path: Path,
) -> None:
    """Unlocking (what the unlock screen runs) then starting shows the list as quickly as a
    plain practice's: neither loads SQLAlchemy before the list (about 140 ms)."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "practice"
    db = open_database(folder, actor="jordan")
    service.create_client(db, ClientForm(given_name="Chloé", family_name="Dubois"))
    db.close()
    protect_practice(folder, PASSPHRASE)
    connection.forget_all()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from practice.store.encryption import unlock_practice\n"
        f"unlock_practice(Path({str(folder)!r}), passphrase={PASSPHRASE!r})\n"
        "print('after unlocking:', 'sqlalchemy' in sys.modules)\n"
        "from ui.app import main\n"
        f"main(['--data-dir', {str(folder)!r}])\n"
        "print('at the list:', 'sqlalchemy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "FASCIA_EXIT_AFTER_SHOW": "ready"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert "after unlocking: False" in lines
    assert "client list ready" in lines
    assert lines[-1] == "at the list: False"
