"""Keeps the .ics calendar file in the therapist's chosen folder current (Edit > Schedule
settings > Calendar).

After any write that changes appointments, clients (their initials) or the settings, and once
when the practice opens, the feed is rewritten a moment later as a write op (one at a time,
through a temporary file and a rename: practice.schedule.ics.refresh_feed). Nothing happens
when no folder is chosen. A folder that went missing is said once in the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from practice.changes import Changes
from practice.errors import ValidationError
from practice.schedule import ics
from practice.store.database import Database
from ui.ops import WriteOp, runner

KINDS = frozenset({"appointment", "client", "settings"})
DELAY_MS = 1500  # a burst of writes (a series booked, a day rearranged) writes the file once


class CalendarFeed(QObject):
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.written = 0  # times the file was rewritten (the tests wait on it)
        self._said = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        runner().changed.connect(self._on_changed)
        self._timer.start()

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        if changes.touches(KINDS):
            self._timer.start()

    def refresh(self) -> None:
        WriteOp(self, lambda: ics.refresh_feed(self.db), self._on_written).on_invalid(
            self._on_invalid
        ).run()

    def _on_written(self, path: object) -> None:
        if path is not None:
            self.written += 1
            self._said = ""

    def _on_invalid(self, error: ValidationError) -> None:
        words = " ".join(error.errors.values())
        if words != self._said:  # said once, not after every booking
            self._said = words
            self.status.emit(f"Calendar file not updated: {words}")
