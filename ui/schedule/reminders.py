"""Schedule > Reminders (R): the queue of reminder emails and calls, sending, the call list.

Pending reminders wait for their time; held ones are due and go with the next send (or wait
while the computer is offline); failed ones stay queued with the mail server's words; a send
that stopped midway is "Sent?" until the therapist checks their Sent folder and decides.
Calls are for clients without email: printed as a list, ticked off here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.schedule import mailer, reminders
from practice.schedule.reminders import QueueState, Reminder
from practice.schedule.settings import get_settings
from practice.store.database import Database
from ui import icons, theme
from ui.ops import QueryOp, Refresh, WriteOp
from ui.widgets import dates
from ui.widgets.empty import EmptyState
from ui.widgets.forms import WrappedLabel, muted, section_title
from ui.widgets.tables import RowsModel, row_table

ACTIONS = {  # button: (the states it applies to, the channel, the core function, done word)
    "called": ((QueueState.PENDING, QueueState.HELD), "call", reminders.mark_called, "called"),
    "sent": ((QueueState.UNCERTAIN,), "email", reminders.mark_sent, "marked sent"),
    "again": ((QueueState.UNCERTAIN,), "email", reminders.retry, "queued again"),
    "drop": (
        (QueueState.PENDING, QueueState.HELD, QueueState.FAILED, QueueState.UNCERTAIN),
        None,
        reminders.drop,
        "dropped",
    ),
}


@dataclass(frozen=True, slots=True)
class Queue:
    reminders: tuple[Reminder, ...]
    zone: str
    now: datetime


def load_queue(db: Database) -> Queue:
    return Queue(tuple(reminders.recent(db)), get_settings(db).time_zone, datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class Sending:
    queued: reminders.QueueResult
    sent: mailer.SendResult | None
    problem: str  # the mailbox is not set up, or its password is unknown or refused


def queue_and_send(db: Database, *, timeout: float = 20.0) -> Sending:
    """Queue what is due, then send the due emails (as fascia-cli reminders send does)."""
    queued = reminders.queue_due(db)
    try:
        return Sending(queued, mailer.send_due(db, timeout=timeout), "")
    except mailer.MailSetupError as error:
        return Sending(queued, None, str(error))


def sending_text(result: Sending) -> tuple[str, list[str]]:
    """A status line and the problems to show above the queue."""
    q, s = result.queued, result.sent
    parts = [f"{q.emails} email(s) and {q.calls} call(s) queued"] if q.emails or q.calls else []
    if s is not None:
        parts.append(f"{s.sent} sent")
        if s.failed:
            parts.append(f"{s.failed} refused by the server (still queued)")
        if s.held:
            parts.append(f"{s.held} held")
    problems = [result.problem] if result.problem else list(s.problems if s else ())
    if q.unreachable:
        problems.append(f"{q.unreachable} client(s) have neither an email address nor a phone.")
    return ("Reminders: " + ", ".join(parts) if parts else "No reminders were due"), problems


class QueueModel(RowsModel):
    WHEN, CLIENT, BY, TO, STATE, TRIES, WORDS = range(7)
    COLUMNS = ("Appointment", "Client", "By", "To", "State", "Tries", "The server said")
    RIGHT_ALIGNED = frozenset({TRIES})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo("UTC")  # the practice's, and the moment the rows were read:
        self.now = datetime.now(UTC)  # set with each load, so states do not drift on screen

    def state(self, row: int) -> QueueState:
        return reminders.queue_state(self.item(row), self.now)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r: Reminder = self._rows[index.row()]
        column, state = index.column(), self.state(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.alignment(column))
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.STATE, self.WORDS):
            bad = state in (QueueState.FAILED, QueueState.UNCERTAIN)
            return QColor(theme.colours().danger if bad else theme.colours().text)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WORDS and r.last_error:
            return r.last_error[:2000]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        local = r.for_starts_at.astimezone(self.zone).replace(tzinfo=None)
        waiting = state in (QueueState.PENDING, QueueState.HELD)
        return {
            self.WHEN: dates.moment(local),
            self.CLIENT: r.client_name,
            self.BY: "Email" if r.channel == "email" else "Call",
            self.TO: r.to_address,
            self.STATE: "To call" if r.channel == "call" and waiting else state.label,
            self.TRIES: str(r.attempts) if r.channel == "email" else "",
            self.WORDS: r.last_error.splitlines()[0][:300] if r.last_error else "",
        }[column]


class RemindersDialog(QDialog):
    status = Signal(str)
    settings_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Reminders")
        self.resize(1080, 560)
        self.model = QueueModel(self)
        self.table = row_table(self.model, "Reminder queue")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QueueModel.WORDS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 190), (1, 170), (2, 56), (3, 200), (4, 80), (5, 48)):
            header.resizeSection(column, width)
        self.empty = EmptyState(
            "bell",
            "No reminders yet",
            "Appointments coming up get an email, or a call for clients without an address.",
            "Queue and send now (Ctrl+Return)",
            self._on_send_clicked,
            button_icon="send",
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.problems = WrappedLabel()
        self.problems.setProperty("role", "error")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.hide()

        self.send_button = QPushButton(
            icons.icon("send", theme.colours().accent_text), "Queue and send now"
        )
        self.send_button.setProperty("primary", True)
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_button.setToolTip("Queue the reminders now due and send the emails (Ctrl+Return)")
        self.calls_button = QPushButton(icons.icon("printer"), "Print call list…")
        self.calls_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.calls_button.setToolTip("The calls to make, on paper (Ctrl+P)")
        self.settings_button = QPushButton(icons.icon("settings"), "Settings…")
        self.settings_button.setToolTip("Mailbox, message and calendar folder")
        self.action_buttons: dict[str, QPushButton] = {}
        for name, text, icon in (
            ("called", "Mark called", "phone"),
            ("sent", "It was sent", "mail-check"),
            ("again", "Send again", "repeat"),
            ("drop", "Drop", "x"),
        ):
            button = QPushButton(icons.icon(icon), text)
            button.clicked.connect(lambda _=False, n=name: self._on_action_clicked(n))
            self.action_buttons[name] = button
        self.action_buttons["called"].setToolTip("The client was phoned or a message left")
        self.action_buttons["sent"].setToolTip("Found in your Sent folder: it went out")
        self.action_buttons["again"].setToolTip("Not in your Sent folder: send it again")
        self.action_buttons["drop"].setToolTip("Take it out of the queue")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(section_title("Reminders"), 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.calls_button)
        top.addWidget(self.send_button)
        chosen = QHBoxLayout()
        chosen.setSpacing(8)
        for button in self.action_buttons.values():
            chosen.addWidget(button)
        chosen.addStretch(1)
        chosen.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(
            muted(
                "Held reminders are due and go with the next send (they wait while you are "
                "offline). Failed ones stay queued with the mail server's words. “Sent?” "
                "means a send stopped midway: look in your Sent folder, then decide."
            )
        )
        layout.addWidget(self.problems)
        layout.addWidget(self.stack, 1)
        layout.addLayout(chosen)

        self.send_button.clicked.connect(self._on_send_clicked)
        self.calls_button.clicked.connect(self._on_calls_clicked)
        self.settings_button.clicked.connect(self.settings_requested)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresher = Refresh(self, ("appointment", "settings", "client"), self.reload)
        self._update_buttons()
        # What is due is queued on opening (it is safe to repeat), so the list and the call
        # list show every reminder to send or call, not only those of the last send.
        queue = WriteOp(self, lambda: reminders.queue_due(db), changes=lambda q: q.changes)
        queue.after(self.reload).run()

    def reload(self) -> None:
        QueryOp(self, lambda: load_queue(self.db), self._show).run(key="queue")

    def _show(self, queue: Queue) -> None:
        keep = self.selected()
        self.model.zone, self.model.now = ZoneInfo(queue.zone), queue.now
        self.model.set_rows(queue.reminders)
        self.stack.setCurrentWidget(self.table if queue.reminders else self.empty)
        row = self.model.row_of(keep.id) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> Reminder | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        state = self.model.state(rows[0].row()) if rows else None
        chosen = self.selected()
        for name, (states, channel, _work, _word) in ACTIONS.items():
            fits = chosen is not None and state in states
            self.action_buttons[name].setEnabled(
                fits and (channel is None or chosen.channel == channel)  # type: ignore[union-attr]
            )

    def _on_action_clicked(self, name: str) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        _states, _channel, work, word = ACTIONS[name]

        def done(_r: Reminder) -> None:
            self.status.emit(f"Reminder for {chosen.client_name}: {word}")
            self.reload()

        WriteOp(self, lambda: work(self.db, chosen.id), done, changes=reminders.CHANGED).run()

    def _on_send_clicked(self) -> None:
        def done(result: Sending) -> None:
            line, problems = sending_text(result)
            self.status.emit(line)
            self.problems.setText("\n".join(problems))
            self.problems.setVisible(bool(problems))
            self.reload()

        self.send_button.setEnabled(False)
        WriteOp(
            self, lambda: queue_and_send(self.db), done, changes=reminders.CHANGED
        ).with_progress("Sending reminders…").after(lambda: self.send_button.setEnabled(True)).run()

    def _on_calls_clicked(self) -> None:
        from ui.documents.printing import preview_call_list

        self.preview = preview_call_list(self, self.db)
