"""Editable lists inside the note: the treatment log and the trigger point findings."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.clients.rules import Alert
from practice.techniques.records import Technique
from practice.visits.records import (
    PRESSURE_LABELS,
    Position,
    TreatmentInput,
    TriggerPointFinding,
    TriggerPointState,
)
from practice.visits.techniques import OTHER, is_deep
from ui import icons, theme
from ui.visits.regions import RegionPicker
from ui.widgets.forms import ErrorLabel, line, muted

POSITION_LABELS = {
    Position.PRONE: "Prone",
    Position.SUPINE: "Supine",
    Position.SIDE_LYING_LEFT: "Side-lying, left side down",
    Position.SIDE_LYING_RIGHT: "Side-lying, right side down",
    Position.SEATED: "Seated",
}
SIDE_LABELS = {"": "Both or midline", "L": "Left", "R": "Right"}
STATE_LABELS = {TriggerPointState.ACTIVE: "Active", TriggerPointState.LATENT: "Latent"}
MAX_ENTRY_MINUTES = 480
DEFAULT_PRESSURE = 3
MINUTES_WIDTH = 88
PRESSURE_WIDTH = 128


def _combo(items: dict[object, str], name: str) -> QComboBox:
    combo = QComboBox()
    for data, label in items.items():
        combo.addItem(label, data)
    combo.setAccessibleName(name)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(max(combo.findData(data), 0))


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class EntryRow(QWidget):
    """One entry with a remove button and a line for its error."""

    changed = Signal()
    remove_requested = Signal(object)
    FIELDS: tuple[str, ...] = ()  # error keys after "name[i]." in field order

    def __init__(self) -> None:
        super().__init__()
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icons.icon("x", theme.colours().muted))
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.error = ErrorLabel()

    def editors(self) -> list[QWidget]:
        """The editors in tab order."""
        raise NotImplementedError

    def editor_for(self, field: str) -> QWidget:
        return self.editors()[0]

    def set_number(self, number: int) -> None:
        self.remove_button.setToolTip(f"Remove entry {number}")
        self.remove_button.setAccessibleName(f"Remove entry {number}")

    def is_blank(self) -> bool:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> QWidget | None:
        """Show messages keyed by field ('' for the whole entry); returns the editor to focus."""
        targets = {self.editor_for(field) for field in errors if field}
        for editor in self.editors():
            _mark(editor, editor in targets)
        self.error.set_message(" ".join(errors.values()))
        if not errors:
            return None
        first = next((f for f in self.FIELDS if f in errors), "")
        return self.editor_for(first)

    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)


class TreatmentRow(EntryRow):
    """Technique x regions x minutes, with pressure, position and notes; two lines per entry.

    The pick list is the technique library (the archived techniques stay out of it, but an
    entry that names one still shows it); the library's deep and point-pressure flags decide
    what counts as deep work.
    """

    deep_work_chosen = Signal(object)  # this row, after a choice that made it deep work
    FIELDS = ("technique", "regions", "minutes", "pressure", "position", "acknowledged")

    def __init__(self, number: int, library: Mapping[str, Technique]) -> None:
        super().__init__()
        self.acknowledged: frozenset[str] = frozenset()
        self._alerts: dict[str, Alert] = {}
        self._library = library
        self.technique = QComboBox()
        self.technique.setPlaceholderText("Technique")
        self.technique.setMinimumContentsLength(18)
        for technique in library.values():
            if not technique.archived:
                self._add_technique(technique.name, technique.code, technique.description)
        self.technique.addItem("Other technique (name it)", OTHER)
        self.technique.setCurrentIndex(-1)
        self.other_name = line("Name of the technique", 120)
        self.other_name.hide()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_ENTRY_MINUTES)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("min")
        self.minutes.setFixedWidth(MINUTES_WIDTH)
        self.pressure = _combo({k: f"{k} · {v}" for k, v in PRESSURE_LABELS.items()}, "Pressure")
        self.pressure.setToolTip("Pressure: 1 light to 5 very deep")
        _select(self.pressure, DEFAULT_PRESSURE)
        self.pressure.setFixedWidth(PRESSURE_WIDTH)
        self.regions = RegionPicker()
        self.position = _combo(dict(POSITION_LABELS), "Position")
        self.position.setToolTip("The client's position")
        self.position.setFixedWidth(MINUTES_WIDTH + 8 + PRESSURE_WIDTH)  # under both
        self.notes = line("Notes", 300)
        self.acknowledgement = muted("")
        self.acknowledgement.hide()
        self._technique_index = -1
        self._pressure_index = self.pressure.currentIndex()

        first = QHBoxLayout()
        first.setSpacing(8)
        first.addWidget(self.technique, 3)
        first.addWidget(self.other_name, 2)
        first.addWidget(self.minutes)
        first.addWidget(self.pressure)
        first.addWidget(self.remove_button)
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.regions, 3)
        second.addWidget(self.notes, 2)
        second.addWidget(self.position)
        second.addSpacing(self.remove_button.sizeHint().width() + 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.acknowledgement)
        layout.addWidget(self.error)
        self.set_number(number)

        self.technique.currentIndexChanged.connect(self._on_technique_current_index_changed)
        self.pressure.currentIndexChanged.connect(self._on_pressure_current_index_changed)
        self.other_name.textChanged.connect(self.changed)
        self.minutes.valueChanged.connect(self.changed)
        self.regions.regions_changed.connect(self.changed)
        self.position.currentIndexChanged.connect(self.changed)
        self.notes.textChanged.connect(self.changed)

    def set_number(self, number: int) -> None:
        super().set_number(number)
        for widget, what in (
            (self.technique, "technique"),
            (self.other_name, "technique name"),
            (self.minutes, "minutes"),
            (self.pressure, "pressure"),
            (self.regions, "body regions"),
            (self.notes, "notes"),
            (self.position, "position"),
        ):
            widget.setAccessibleName(f"Entry {number} {what}")

    def editors(self) -> list[QWidget]:
        return [
            self.technique,
            self.other_name,
            self.minutes,
            self.pressure,
            self.regions,
            self.notes,
            self.position,
        ]

    def editor_for(self, field: str) -> QWidget:
        if field == "technique" and self.technique.currentData() == OTHER:
            return self.other_name
        editors = {
            "technique": self.technique,
            "minutes": self.minutes,
            "pressure": self.pressure,
            "position": self.position,
            "regions": self.regions,
            "acknowledged": self.technique,
        }
        return editors.get(field, self.technique)

    def is_blank(self) -> bool:
        return (
            self.technique.currentIndex() < 0
            and not self.minutes.value()
            and not self.regions.regions()
            and not self.notes.text().strip()
        )

    def value(self) -> TreatmentInput:
        code = self.technique.currentData()
        technique = self._library.get(code) if code and code != OTHER else None
        if code == OTHER:
            name = self.other_name.text()
        elif technique is not None:
            name = technique.name
        else:  # a code from before the library (kept as named on the day)
            name = self.technique.currentText() if code else ""
        return TreatmentInput(
            technique=code or "",
            minutes=self.minutes.value(),
            regions=self.regions.regions(),
            pressure=self.pressure.currentData(),
            position=Position(self.position.currentData()),
            notes=self.notes.text(),
            name=name,
            deep=technique is not None and technique.restricted,
            acknowledged=self.acknowledged,
        )

    def set_value(self, entry: TreatmentInput, alerts: Sequence[Alert]) -> None:
        """Show a stored entry as it was; nothing here asks for an acknowledgement."""
        for widget in (self.technique, self.pressure):
            widget.blockSignals(True)
        if entry.technique and self.technique.findData(entry.technique) < 0:
            # Archived since, or from the starter list before the library: shown as named.
            known = self._library.get(entry.technique)
            name = entry.name or (known.name if known else entry.technique)
            self._add_technique(name, entry.technique, "No longer in the pick list", at_end=True)
        self.technique.setCurrentIndex(self.technique.findData(entry.technique))
        self.other_name.setText(entry.name if entry.technique == OTHER else "")
        self.other_name.setVisible(entry.technique == OTHER)
        _select(self.pressure, entry.pressure)
        for widget in (self.technique, self.pressure):
            widget.blockSignals(False)
        self._technique_index = self.technique.currentIndex()
        self._pressure_index = self.pressure.currentIndex()
        self.minutes.setValue(entry.minutes)
        self.regions.set_regions(entry.regions)
        _select(self.position, entry.position)
        self.notes.setText(entry.notes)
        self.acknowledge(entry.acknowledged, alerts)

    def set_planned(
        self, technique: str, regions: Sequence[str], pressure: int, minutes: int, notes: str
    ) -> None:
        """Fill the row from a planned technique; a deep choice asks as when picked by hand."""
        self.minutes.setValue(minutes)
        self.regions.set_regions(tuple(regions))
        self.notes.setText(notes)
        for widget, data in ((self.technique, technique), (self.pressure, pressure)):
            widget.blockSignals(True)
            if widget is self.technique and widget.findData(data) < 0:
                known = self._library.get(technique)
                self._add_technique(known.name if known else technique, technique, "", at_end=True)
            widget.setCurrentIndex(max(widget.findData(data), 0))
            widget.blockSignals(False)
        self.other_name.setVisible(self.technique.currentData() == OTHER)
        self._after_choice()

    def _add_technique(
        self, name: str, code: str, description: str, *, at_end: bool = False
    ) -> None:
        index = self.technique.count() - 1 if at_end else self.technique.count()
        self.technique.insertItem(max(index, 0), name, code)
        if description:
            self.technique.setItemData(max(index, 0), description, Qt.ItemDataRole.ToolTipRole)

    def acknowledge(self, rules: frozenset[str], alerts: Sequence[Alert]) -> None:
        """Record acknowledged alert rules and say which, under the entry."""
        self.acknowledged |= rules
        self._alerts.update({alert.rule: alert for alert in alerts})
        self._show_acknowledgement()
        self.changed.emit()

    def _show_acknowledgement(self) -> None:
        titles = [
            f"{self._alerts[rule].title} ({self._alerts[rule].level})"
            for rule in sorted(self.acknowledged)
            if rule in self._alerts
        ]
        self.acknowledgement.setText(f"⚠ Deep work acknowledged despite: {'; '.join(titles)}")
        self.acknowledgement.setVisible(bool(titles) and is_deep(self.value()))

    def undo_deep_choice(self) -> None:
        """Go back to the technique and pressure before the choice that was not acknowledged."""
        for widget, index in (
            (self.technique, self._technique_index),
            (self.pressure, self._pressure_index),
        ):
            widget.blockSignals(True)
            widget.setCurrentIndex(index)
            widget.blockSignals(False)
        self.other_name.setVisible(self.technique.currentData() == OTHER)
        self.changed.emit()

    def _after_choice(self) -> None:
        self.changed.emit()
        if is_deep(self.value()):
            self.deep_work_chosen.emit(self)
        self._technique_index = self.technique.currentIndex()
        self._pressure_index = self.pressure.currentIndex()
        self._show_acknowledgement()

    def _on_technique_current_index_changed(self) -> None:
        other = self.technique.currentData() == OTHER
        self.other_name.setVisible(other)
        if other:
            self.other_name.setFocus(Qt.FocusReason.OtherFocusReason)
        self._after_choice()

    def _on_pressure_current_index_changed(self) -> None:
        self._after_choice()


class TriggerPointRow(EntryRow):
    FIELDS = ("muscle",)

    def __init__(self, number: int) -> None:
        super().__init__()
        self.muscle = line("Muscle, e.g. Upper trapezius", 120)
        self.side = _combo(dict(SIDE_LABELS), "Side")
        self.side.setFixedWidth(156)
        self.state = _combo(dict(STATE_LABELS), "State")
        self.state.setFixedWidth(96)
        self.state.setToolTip(
            "Active: reproduces the familiar pain and refers it. Latent: painful only when pressed."
        )
        self.note = line("Note: taut band, twitch, jump sign …", 200)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.muscle, 2)
        row.addWidget(self.side)
        row.addWidget(self.state)
        row.addWidget(self.note, 2)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.set_number(number)
        self.muscle.textChanged.connect(self.changed)
        self.note.textChanged.connect(self.changed)
        self.side.currentIndexChanged.connect(self.changed)
        self.state.currentIndexChanged.connect(self.changed)

    def set_number(self, number: int) -> None:
        super().set_number(number)
        self.muscle.setAccessibleName(f"Trigger point {number} muscle")
        self.side.setAccessibleName(f"Trigger point {number} side")
        self.state.setAccessibleName(f"Trigger point {number} state")
        self.note.setAccessibleName(f"Trigger point {number} note")

    def editors(self) -> list[QWidget]:
        return [self.muscle, self.side, self.state, self.note]

    def is_blank(self) -> bool:
        return not (self.muscle.text().strip() or self.note.text().strip())

    def value(self) -> TriggerPointFinding:
        return TriggerPointFinding(
            self.muscle.text(),
            TriggerPointState(self.state.currentData()),
            self.side.currentData(),
            self.note.text(),
        )

    def set_value(self, finding: TriggerPointFinding) -> None:
        self.muscle.setText(finding.muscle)
        _select(self.side, finding.side)
        _select(self.state, finding.state)
        self.note.setText(finding.note)


RowT = TypeVar("RowT", TreatmentRow, TriggerPointRow)


class EntryList(QWidget, Generic[RowT]):
    """Rows of one kind with an add button, a line under them and one error for the list."""

    changed = Signal()
    rows_changed = Signal()  # a row was added or removed: the tab order needs updating

    def __init__(
        self, make_row: Callable[[int], RowT], add_text: str, empty_text: str, spacing: int = 8
    ) -> None:
        super().__init__()
        self._make_row = make_row
        self._rows: list[RowT] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(spacing)
        layout.addLayout(self._rows_layout)
        self.empty = muted(empty_text)
        layout.addWidget(self.empty)
        self.add_button = QPushButton(icons.icon("plus"), add_text)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.footer = QHBoxLayout()
        self.footer.setSpacing(16)
        self.footer.addWidget(self.add_button)
        self.footer.addStretch(1)
        layout.addLayout(self.footer)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self._update_empty()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def add_row(self) -> RowT:
        row = self._make_row(len(self._rows) + 1)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._on_row_remove_requested)
        self._rows.append(row)
        self._rows_layout.addWidget(row)
        self._update_empty()
        self.rows_changed.emit()
        return row

    def clear(self) -> None:
        for row in self._rows:
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows = []
        self._update_empty()
        self.rows_changed.emit()

    def filled(self) -> list[RowT]:
        """The rows that hold something, in order: the entries the note will have."""
        return [row for row in self._rows if not row.is_blank()]

    def show_errors(self, errors: dict[int, dict[str, str]], message: str = "") -> list[QWidget]:
        """Messages per filled-row index and field, and one for the list; returns editors."""
        focus = []
        for i, row in enumerate(self.filled()):
            editor = row.show_errors(errors.get(i, {}))
            if editor is not None:
                focus.append(editor)
        for row in self._rows:
            if row.is_blank():
                row.show_errors({})
        self.error.set_message(message)
        return focus

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._rows)

    def _on_add_button_clicked(self) -> None:
        row = self.add_row()
        row.editors()[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _on_row_remove_requested(self, row: RowT) -> None:
        index = self._rows.index(row)
        self._rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        for number, other in enumerate(self._rows, start=1):
            other.set_number(number)
        self._update_empty()
        self.rows_changed.emit()
        self.changed.emit()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].editors()[0].setFocus()
        else:
            self.add_button.setFocus()
