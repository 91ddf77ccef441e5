"""Keeps the .ics calendar file in the therapist's chosen folder current (Edit > Schedule
settings > Calendar).

After any write that changes appointments, clients (their initials) or the settings, and once
when the practice opens, the feed is rewritten as a write op queued behind that write
(through a temporary file and a rename: practice.schedule.ics.refresh_feed); a burst of
changes rewrites it once more, not once each. No timers: nothing is left to fire after the
window closes. Nothing happens when no folder is chosen. A folder that went missing is said
once in the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from practice.changes import Changes
from practice.errors import ValidationError
from practice.schedule import ics
from practice.store.database import Database
from ui.ops import WriteOp, runner

KINDS = frozenset({"appointment", "client", "settings"})


class CalendarFeed(QObject):
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.written = 0  # times the file was rewritten (the tests wait on it)
        self._said = ""
        self._running = False
        self._again = False
        runner().changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        if changes.touches(KINDS):
            self.refresh()

    def refresh(self) -> None:
        """Rewrite the file after the writes already queued; a burst of changes (a series
        booked) while one rewrite waits asks for one more, not one each."""
        if self._running:
            self._again = True
            return
        self._running = True
        WriteOp(self, lambda: ics.refresh_feed(self.db), self._on_written).on_invalid(
            self._on_invalid
        ).after(self._on_done).run()

    def _on_done(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.refresh()

    def _on_written(self, path: object) -> None:
        if path is not None:
            self.written += 1
            self._said = ""

    def _on_invalid(self, error: ValidationError) -> None:
        words = " ".join(error.errors.values())
        if words != self._said:  # said once, not after every booking
            self._said = words
            self.status.emit(f"Calendar file not updated: {words}")
