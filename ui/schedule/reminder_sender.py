"""Sends reminders by itself while the practice is open, once the therapist turned it on
(Edit > Schedule settings > Reminder mailbox > Send reminders automatically).

When the practice opens, every ten minutes after, and right after the settings are saved, a
write op queues the reminders now due and sends the due emails, exactly as "Queue and send
now" does (ui.schedule.reminders.queue_and_send; the core never sends a reminder twice). The
timer only starts the op; the work runs on the ops' writer thread. Offline, the emails stay
held; a server that refuses one leaves it queued with its words. The status bar hears of it
only when something was sent or failed, or the mailbox itself needs the therapist (said once,
not every ten minutes); otherwise it stays quiet.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from practice.changes import NOTHING, Changes
from practice.errors import FasciaError
from practice.schedule.reminders import QueueResult
from practice.schedule.settings import get_settings
from practice.store.database import Database
from ui.ops import WriteOp, runner
from ui.schedule.reminders import Sending, queue_and_send

EVERY_MS = 10 * 60 * 1000
TIMEOUT_S = 10.0  # a mail server that does not answer holds the writer no longer than this


def send_if_on(db: Database, timeout: float = TIMEOUT_S) -> Sending | None:
    """Queue and send what is due when automatic sending is on; None when it is off."""
    if not get_settings(db).send_automatically:
        return None
    try:
        return queue_and_send(db, timeout=timeout)
    except FasciaError as error:  # a template gone wrong, say: told, never a dialog
        return Sending(QueueResult(0, 0, 0), None, str(error))


def changes_of(result: Sending | None) -> Changes:
    if result is None:
        return NOTHING
    return result.queued.changes | (result.sent.changes if result.sent else NOTHING)


class ReminderSender(QObject):
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *, every_ms: int = EVERY_MS):
        super().__init__(parent)
        self.db = db
        self.runs = 0  # sends finished (the tests wait on it)
        self._said = ""
        self._uncertain = 0
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.send)
        self.timer.start()
        runner().changed.connect(self._on_changed)
        self.send()

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        if changes.touches({"settings"}):
            self.send()

    def send(self) -> None:
        """Queue and send after the writes already queued; asked again while one runs, one
        more follows (not one each)."""
        if self._running:
            self._again = True
            return
        self._running = True
        WriteOp(self, lambda: send_if_on(self.db), self._on_sent, changes=changes_of).after(
            self._on_done
        ).run()

    def _on_done(self) -> None:
        self._running = False
        self.runs += 1
        if self._again:
            self._again = False
            self.send()

    def _on_sent(self, result: Sending | None) -> None:
        if result is None:
            self._said = ""
            return
        line = self._line(result)
        if line:
            self.status.emit(line)

    def _line(self, result: Sending) -> str:
        """What to say, or "" to stay quiet."""
        if result.problem:  # the mailbox needs the therapist: said once until it changes
            if result.problem == self._said:
                return ""
            self._said = result.problem
            return f"Reminders not sent: {result.problem}"
        self._said = ""
        s = result.sent
        if s is None:
            return ""
        parts = [f"{s.sent} sent"] if s.sent else []
        if s.failed:
            parts.append(f"{s.failed} refused by the server (still queued)")
        stopped = s.uncertain > self._uncertain
        self._uncertain = s.uncertain
        if stopped:
            parts.append("a send stopped midway: see Schedule > Reminders")
        return "Reminders: " + ", ".join(parts) if parts else ""
