"""Startup for an encrypted practice: a window asking for the passphrase before anything is
read, and making a new practice encrypted right after the Welcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from practice.store.encryption import protect_practice
from ui.lock.passphrase import RecoveryCodeDialog
from ui.lock.unlock import UnlockScreen

if TYPE_CHECKING:
    from practice.store.database import Database


class UnlockWindow(QMainWindow):
    """The first window of an encrypted practice: only the unlock screen."""

    unlocked = Signal()

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle("Fascia — locked")
        self.setObjectName("UnlockWindow")
        self.screen_ = UnlockScreen(data_dir)
        self.screen_.unlocked.connect(self.unlocked)
        self.setCentralWidget(self.screen_)
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1100, screen.width()), min(700, screen.height()))


def protect_new_practice(db: Database, passphrase: str) -> Database:
    """Encrypt the practice just set up at the Welcome and show its recovery code once.

    The practice is a few kilobytes, so this runs at once (Argon2 takes the most of it).
    """
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        lock = db.hand_over()
        try:
            code = protect_practice(db.data_dir, passphrase)
        finally:
            db.take_back(lock)
            db.reopen_engine()
    finally:
        QGuiApplication.restoreOverrideCursor()
    RecoveryCodeDialog(code, db).exec()
    return db
