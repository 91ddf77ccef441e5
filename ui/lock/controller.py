"""Locking a window: after some idle minutes, or at once with Ctrl+L.

Locking saves what is open, replaces the window's contents by the unlock screen (the client
list, the open record and every dialog are taken off screen, not covered), closes the database
connections once the pending saves are written, forgets the key and removes the copies opened
in the system viewer. Unlocking puts the same
contents back, so the therapist is where they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from practice.store.connection import forget_key
from practice.store.private import PRIVATE_TEMP
from ui.lock.unlock import UnlockScreen
from ui.ops import runner

if TYPE_CHECKING:
    from practice.store.database import Database

IDLE_SETTING = "security/lock_after_minutes"
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 240
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def idle_minutes() -> int:
    """Minutes without use before the window locks (0: never), from the preferences."""
    try:
        value = int(QSettings().value(IDLE_SETTING, DEFAULT_IDLE_MINUTES))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    return min(max(value, 0), MAX_IDLE_MINUTES)


def set_idle_minutes(minutes: int) -> None:
    QSettings().setValue(IDLE_SETTING, min(max(int(minutes), 0), MAX_IDLE_MINUTES))


class LockController(QObject):
    """Locks `window` (a practice protected by a passphrase) and brings it back unlocked."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, data_dir: Path) -> None:
        super().__init__(window)
        self.window = window
        self.data_dir = data_dir
        self.locked = False
        self._contents: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._title = ""
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self._closing = QTimer(self)
        self._closing.setInterval(50)
        self._closing.timeout.connect(self._on_closing_timeout)
        QApplication.instance().installEventFilter(self)
        self.restart_idle()

    def restart_idle(self) -> None:
        minutes = idle_minutes()
        if minutes and not self.locked:
            self.idle.start(minutes * 60_000)
        else:
            self.idle.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in _ACTIVITY and self.idle.isActive():
            self.idle.start()  # the same interval, from now
        return False

    # ------------------------------------------------------------------ locking

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.idle.stop()
        save = getattr(self.window, "save_open_work", None)
        if save is not None:
            save()  # queued before the connections close
        self._hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget is not self.window and widget.isVisible() and not widget.isHidden()
        ]
        for widget in self._hidden:
            widget.hide()
        self._title = self.window.windowTitle()
        self._contents = self.window.takeCentralWidget()
        screen = UnlockScreen(self.data_dir)
        screen.unlocked.connect(self._on_screen_unlocked)
        self.window.setCentralWidget(screen)
        self.window.menuBar().hide()
        self.window.statusBar().hide()
        self.window.setWindowTitle("Fascia — locked")
        self._pause_background(True)
        self._closing.start()
        self.locked_changed.emit(True)

    def _on_closing_timeout(self) -> None:
        """Close the connections and forget the key once the saves queued at locking are done."""
        if not runner().idle:
            return
        self._closing.stop()
        if not self.locked:
            return
        db: Database | None = getattr(self.window, "db", None)
        if db is not None:
            db.engine.dispose()
        clients = getattr(self.window, "clients", None)
        if clients is not None:
            clients.directory.close()
        forget_key(self.data_dir)
        PRIVATE_TEMP.stop()  # decrypted copies opened in the system viewer go too

    def _on_screen_unlocked(self) -> None:
        if self._closing.isActive():
            self._closing.stop()  # unlocked before the saves were written: nothing was closed
        screen = self.window.takeCentralWidget()
        if screen is not None:
            screen.deleteLater()
        if self._contents is not None:
            self.window.setCentralWidget(self._contents)
            self._contents = None
        self.window.menuBar().show()
        self.window.statusBar().show()
        self.window.setWindowTitle(self._title)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.locked = False
        self._pause_background(False)
        self.restart_idle()
        self.locked_changed.emit(False)

    def _pause_background(self, paused: bool) -> None:
        backups = getattr(self.window, "backups", None)
        if backups is None:
            return
        if paused:
            backups.timer.stop()
        else:
            backups.timer.start()
