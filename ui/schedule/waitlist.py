"""The waitlist (Schedule > Waitlist, L): who wants an earlier or a regular slot, in join order.

Add, change and take clients off; a cancelled or missed appointment then offers its time to
the clients whose wishes fit (ui/schedule/offers.py). Every read and write goes through the ops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from practice.errors import ValidationError
from practice.schedule import waitlist
from practice.schedule.records import WaitlistEntry, WaitlistForm, Wants
from practice.schedule.rules import WEEKDAY_NAMES
from practice.schedule.settings import get_settings
from practice.store.database import Database
from ui import icons, theme
from ui.ops import QueryOp, Refresh, WriteOp
from ui.schedule import ask
from ui.schedule.dialog import Choices, client_box, fill_client_box, load_choices
from ui.widgets import dates
from ui.widgets.empty import EmptyState
from ui.widgets.forms import FormGrid, line, muted, section_title, text_box
from ui.widgets.tables import RowsModel, row_table

FIELDS = {
    "client_id": "client",
    "wants": "wants",
    "service_id": "service",
    "duration_minutes": "minutes",
    "weekdays": "days",
    "earliest": "earliest",
    "latest": "latest",
    "notes": "notes",
}


@dataclass(frozen=True, slots=True)
class Waiting:
    entries: tuple[WaitlistEntry, ...]
    zone: str


def load_waiting(db: Database) -> Waiting:
    return Waiting(tuple(waitlist.waitlist(db)), get_settings(db).time_zone)


def days_text(days: frozenset[int]) -> str:
    if not days:
        return "Any working day"
    return ", ".join(WEEKDAY_NAMES[d][:3] for d in sorted(days))


def hours_text(earliest: time | None, latest: time | None) -> str:
    """'9:00 a.m.–4:00 p.m.', 'from 9:00 a.m.', in the practice's style."""
    if earliest is None and latest is None:
        return "Any time"
    start = dates.clock(datetime.combine(date.min, earliest)) if earliest else ""
    end = dates.clock(datetime.combine(date.min, latest)) if latest else ""
    return f"from {start}" if not end else f"until {end}" if not start else f"{start}–{end}"


def typed_clock(value: time | None) -> str:
    """A time as the From and Until fields read it back ('09:30'), like a typed date field."""
    return f"{value.hour:02d}:{value.minute:02d}" if value is not None else ""


def parse_clock(text: str, field: str) -> time | None:
    """'9', '9:30', '14:05' or empty (any time); ValidationError keyed `field` otherwise."""
    text = text.strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    if hours.isdigit() and (minutes.isdigit() or not minutes) and len(minutes) in (0, 2):
        h, m = int(hours), int(minutes or 0)
        if 0 <= h <= 23 and 0 <= m <= 59:
            return time(h, m)
    raise ValidationError({field: "Type a clock time such as 9:00 or 14:30, or leave it empty."})


class WaitlistModel(RowsModel):
    PLACE, CLIENT, WANTS, LENGTH, DAYS, HOURS, NEXT, NOTE = range(8)
    COLUMNS = ("#", "Client", "Wants", "Length", "Days", "Hours", "Booked now", "Note")
    RIGHT_ALIGNED = frozenset({PLACE, LENGTH})
    TEXT_TIPS = frozenset({CLIENT, DAYS, HOURS})
    zone = ZoneInfo("UTC")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry: WaitlistEntry = self._rows[index.row()]
        column, form = index.column(), entry.form
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.alignment(column))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE and form.notes:
            return form.notes[:2000]
        if role == Qt.ItemDataRole.ToolTipRole and column in self.TEXT_TIPS:
            return self.text(entry, index.row(), column)  # whole, should it not fit
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.text(entry, index.row(), column)

    def text(self, entry: WaitlistEntry, row: int, column: int) -> str:
        form, booked = entry.form, entry.next_appointment
        return {
            self.PLACE: str(row + 1),
            self.CLIENT: entry.client_name,
            self.WANTS: form.wants.label,
            self.LENGTH: f"{form.duration_minutes} min",
            self.DAYS: days_text(form.weekdays),
            self.HOURS: hours_text(form.earliest, form.latest),
            self.NEXT: dates.moment(booked.astimezone(self.zone).replace(tzinfo=None))
            if booked
            else "",
            self.NOTE: form.notes.splitlines()[0][:200] if form.notes else "",
        }[column]


class WaitlistDialog(QDialog):
    """The waitlist with Add, Change and Take off."""

    status = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Waitlist")
        self.resize(1040, 540)
        self.model = WaitlistModel(self)
        self.table = row_table(self.model, "Waitlist")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(WaitlistModel.NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 36), (1, 190), (2, 112), (3, 72), (4, 130), (6, 176)):
            header.resizeSection(column, width)
        # As wide as the widest range the practice's clock writes ("10:45 p.m.–11:45 p.m."),
        # so a range is never cut to "10:00 a.m.–1…".
        widest = hours_text(time(10, 45), time(23, 45))
        padding = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 16
        header.resizeSection(
            WaitlistModel.HOURS, self.table.fontMetrics().horizontalAdvance(widest) + padding
        )
        self.table.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.empty = EmptyState(
            "hourglass",
            "No one is waiting",
            "Clients who want an earlier or a regular slot wait here, first come first served.",
            "Add a client (Ctrl+N)",
            self._on_add_clicked,
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)

        self.add_button = QPushButton(icons.icon("list-plus"), "Add client…")
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.add_button.setToolTip("Put a client on the waitlist (Ctrl+N)")
        self.edit_button = QPushButton(icons.icon("pencil"), "Change…")
        self.edit_button.setToolTip("Change the selected wish (Enter)")
        self.remove_button = QPushButton(icons.icon("trash-2", theme.colours().danger), "Take off…")
        self.remove_button.setProperty("danger", True)
        self.remove_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_button.setToolTip("Take the selected client off the waitlist (Delete)")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title("Waitlist"))
        layout.addWidget(
            muted(
                "In the order clients joined. When an appointment is cancelled or marked "
                "no-show, the schedule offers the freed time to those whose wishes fit."
            )
        )
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresher = Refresh(self, ("appointment", "client"), self.reload)
        self._update_buttons()
        self.reload()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self._on_edit_clicked()
            return
        super().keyPressEvent(event)

    def reload(self, select: int | None = None) -> None:
        QueryOp(self, lambda: load_waiting(self.db), lambda w: self._show(w, select)).run(
            key="waitlist"
        )

    def _show(self, waiting: Waiting, select: int | None) -> None:
        keep = select if select is not None else self._selected_id()
        self.model.zone = ZoneInfo(waiting.zone)
        self.model.set_rows(waiting.entries)
        self.stack.setCurrentWidget(self.table if waiting.entries else self.empty)
        row = self.model.row_of(keep) if keep is not None else None
        if waiting.entries:
            self.table.selectRow(row if row is not None else 0)
            self.table.setFocus()
        self._update_buttons()

    def selected(self) -> WaitlistEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _selected_id(self) -> int | None:
        entry = self.selected()
        return entry.id if entry is not None else None

    def _update_buttons(self) -> None:
        chosen, anyone = self.selected() is not None, self.model.rowCount() > 0
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(chosen)
            button.setVisible(anyone)  # nothing to change on an empty list

    def _on_add_clicked(self) -> None:
        self._open_entry(WaitlistEntryDialog(self.db, self))

    def _on_edit_clicked(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._open_entry(WaitlistEntryDialog(self.db, self, entry=entry))

    def _open_entry(self, dialog: WaitlistEntryDialog) -> None:
        self.entry_dialog = dialog
        dialog.saved.connect(self._on_entry_saved)
        dialog.open()

    def _on_entry_saved(self, entry: WaitlistEntry) -> None:
        self.status.emit(f"{entry.client_name}: on the waitlist")
        self.reload(select=entry.id)

    def _on_remove_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        text = f"Take {entry.client_name} off the waitlist? The entry is kept in the audit trail."
        if not ask.go_ahead(self, "Waitlist", text, "Take off"):
            return

        def done(_none: None) -> None:
            self.status.emit(f"{entry.client_name}: off the waitlist")
            self.reload()

        WriteOp(
            self,
            lambda: waitlist.leave(self.db, entry.id, "Taken off by the therapist"),
            done,
            changes=waitlist.CHANGED,
        ).run()


class WaitlistEntryDialog(QDialog):
    """One client's wish: what they want, how long, which days and hours, a note."""

    saved = Signal(object)  # WaitlistEntry

    def __init__(
        self, db: Database, parent: QWidget, *, entry: WaitlistEntry | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.entry = entry
        self.choices: Choices | None = None
        self.setWindowTitle("Change the wish" if entry else "Add to the waitlist")
        self.setMinimumWidth(560)
        self.form = FormGrid()
        self.client = client_box()
        self.wants = QComboBox()
        for wish in Wants:
            self.wants.addItem(wish.label, wish)
        self.service = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" min")
        self.days = [QCheckBox(name[:3]) for name in WEEKDAY_NAMES]
        day_row = QWidget()
        row = QHBoxLayout(day_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for box, name in zip(self.days, WEEKDAY_NAMES, strict=True):
            box.setAccessibleName(name)
            row.addWidget(box)
        row.addStretch(1)
        self.earliest = line("Any time, or e.g. 9:00", 5)
        self.latest = line("Any time, or e.g. 17:00", 5)
        self.notes = text_box("Practical notes: can come at short notice, prefers mornings…", 3)
        self.form.add("client", "&Client", self.client)
        self.form.add("wants", "&Wants", self.wants)
        self.form.add("service", "&Service", self.service)
        self.form.add("minutes", "&Length", self.minutes)
        self.form.add("days", "&Days", day_row)
        self.form.fields["days"] = self.days[0]
        self.form.add("earliest", "&From", self.earliest)
        self.form.add("latest", "&Until (ends by)", self.latest)
        self.form.add("notes", "&Note", self.notes)
        hint = muted("No day ticked: any working day. Empty times: any time of the working day.")
        self.general = QLabel()
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()
        self.save_button = QPushButton("Save" if entry else "Add")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        close = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.general)
        layout.addLayout(buttons)
        close.clicked.connect(self.reject)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.service.currentIndexChanged.connect(self._on_service_changed)
        if entry is not None:
            self._fill(entry)
        QueryOp(self, lambda: load_choices(db), self._on_choices).run()

    def _fill(self, entry: WaitlistEntry) -> None:
        form = entry.form
        self.client.setEnabled(False)
        self.wants.setCurrentIndex(self.wants.findData(form.wants))
        self.minutes.setValue(form.duration_minutes)
        for day, box in enumerate(self.days):
            box.setChecked(day in form.weekdays)
        self.earliest.setText(typed_clock(form.earliest))
        self.latest.setText(typed_clock(form.latest))
        self.notes.setPlainText(form.notes)

    def _on_choices(self, choices: Choices) -> None:
        self.choices = choices
        entry = self.entry
        current = (entry.client_id, entry.client_name) if entry else None
        fill_client_box(self.client, choices, current)
        self.service.blockSignals(True)
        self.service.addItem("Any treatment: give the length", None)
        for service_id, name, minutes, _price in choices.services:
            self.service.addItem(f"{name} — {minutes} min", service_id)
        if entry is not None:
            self.service.setCurrentIndex(max(0, self.service.findData(entry.form.service_id)))
        self.service.blockSignals(False)
        self.save_button.setEnabled(True)
        (self.wants if entry else self.client).setFocus()

    def _on_service_changed(self, *_args: object) -> None:
        if self.choices is None:
            return
        found = next((s for s in self.choices.services if s[0] == self.service.currentData()), None)
        if found is not None:
            self.minutes.setValue(found[2])

    def value(self) -> WaitlistForm:
        """The form as typed; ValidationError (keyed as the core keys it) for a bad time."""
        client_id = self.client.currentData() if self.client.currentIndex() > 0 else None
        typed = self.client.currentText().strip()
        if client_id is None or typed != self.client.itemText(self.client.currentIndex()):
            raise ValidationError({"client_id": "Choose the client from the list."})
        errors: dict[str, str] = {}
        earliest = latest = None
        try:
            earliest = parse_clock(self.earliest.text(), "earliest")
        except ValidationError as error:
            errors |= error.errors
        try:
            latest = parse_clock(self.latest.text(), "latest")
        except ValidationError as error:
            errors |= error.errors
        if errors:
            raise ValidationError(errors)
        return WaitlistForm(
            client_id=client_id,
            wants=self.wants.currentData(),
            duration_minutes=self.minutes.value(),
            service_id=self.service.currentData(),
            weekdays=frozenset(d for d, box in enumerate(self.days) if box.isChecked()),
            earliest=earliest,
            latest=latest,
            notes=self.notes.toPlainText(),
        )

    def _on_save_clicked(self) -> None:
        try:
            form = self.value()
        except ValidationError as error:
            self._show_invalid(error)
            return
        db, entry = self.db, self.entry

        def work() -> WaitlistEntry:
            if entry is None:
                return waitlist.join(db, form)
            return waitlist.change(db, entry.id, form)

        def done(saved: WaitlistEntry) -> None:
            self.saved.emit(saved)
            self.accept()

        self.save_button.setEnabled(False)
        WriteOp(self, work, done, changes=waitlist.CHANGED).on_invalid(self._show_invalid).after(
            lambda: self.save_button.setEnabled(True)
        ).run()

    def _show_invalid(self, error: ValidationError) -> None:
        mapped = {FIELDS[k]: m for k, m in error.errors.items() if k in FIELDS}
        rest = [m for k, m in error.errors.items() if k not in FIELDS]
        self.form.show_errors(mapped)
        self.general.setText(" ".join(rest))
        self.general.setVisible(bool(rest))
