"""The Intake tab's small editable tables: medications (with their flags) and surgeries."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.clients.intake import (
    Medication,
    MedicationFlag,
    Surgery,
    suggest_flags,
)
from ui import icons, theme
from ui.widgets.forms import (
    DateField,
    ErrorLabel,
    line,
    muted,
)


class _Row(QWidget):
    """One editable line of a small table, with a button that removes it."""

    changed = Signal()
    remove_requested = Signal(object)

    COLUMNS: tuple[tuple[str, int, int], ...] = ()  # header text, stretch, fixed width

    def __init__(self) -> None:
        super().__init__()
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icons.icon("x", theme.colours().muted))
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def _lay_out(self, widgets: list[QWidget]) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for widget, (_title, stretch, width) in zip(widgets, self.COLUMNS, strict=True):
            if width:
                widget.setFixedWidth(width)
            layout.addWidget(widget, stretch)

    def set_number(self, number: int) -> None:
        self.remove_button.setToolTip(f"Remove row {number}")
        self.remove_button.setAccessibleName(f"Remove row {number}")

    def editors(self) -> list[QWidget]:
        raise NotImplementedError

    def problem_editor(self) -> QWidget:
        return self.editors()[0]

    def is_blank(self) -> bool:
        raise NotImplementedError

    def mark_invalid(self, invalid: bool) -> QWidget:
        """Mark (or unmark) the editor with the problem; returns it for focusing."""
        target = self.problem_editor()
        for widget in self.editors():
            widget.setProperty("invalid", invalid and widget is target)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        return target

    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)


class _FlagPicker(QPushButton):
    """A compact multi-select of medication flags; suggestions from the name are pre-ticked."""

    flags_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet("text-align: left;")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Medication flags")
        self.setToolTip("Flags that matter for treatment; suggested from the name")
        menu = QMenu(self)
        self._actions: dict[MedicationFlag, QAction] = {}
        for flag in MedicationFlag:
            action = menu.addAction(flag.value.capitalize())
            action.setCheckable(True)
            action.toggled.connect(self._on_action_toggled)
            action.triggered.connect(partial(self._on_action_triggered, flag))
            self._actions[flag] = action
        self.setMenu(menu)
        self._suggested: frozenset[MedicationFlag] = frozenset()
        self._auto: set[MedicationFlag] = set()
        self._update_text()

    def action(self, flag: MedicationFlag) -> QAction:
        return self._actions[flag]

    def flags(self) -> frozenset[MedicationFlag]:
        return frozenset(f for f, a in self._actions.items() if a.isChecked())

    def set_flags(self, flags: frozenset[MedicationFlag], name: str) -> None:
        """Show saved flags as they were confirmed; nothing counts as auto-ticked."""
        for flag, action in self._actions.items():
            action.setChecked(flag in flags)
        self._suggested = suggest_flags(name)
        self._auto.clear()

    def suggest_for(self, name: str) -> None:
        """Tick newly suggested flags and untick earlier suggestions the name no longer makes."""
        suggested = suggest_flags(name)
        for flag in self._auto - suggested:
            self._actions[flag].setChecked(False)
            self._auto.discard(flag)
        for flag in suggested - self._suggested:
            if not self._actions[flag].isChecked():
                self._actions[flag].setChecked(True)
                self._auto.add(flag)
        self._suggested = suggested

    def _update_text(self) -> None:
        flags = sorted(f.value for f in self.flags())
        self.setText(", ".join(flags) if flags else "No flags")
        self.setToolTip(", ".join(flags) if flags else "Choose flags that matter for treatment")

    def _on_action_toggled(self) -> None:
        self._update_text()
        self.flags_changed.emit()

    def _on_action_triggered(self, flag: MedicationFlag) -> None:
        self._auto.discard(flag)  # the therapist decided; stop treating it as a suggestion


class MedicationRow(_Row):
    COLUMNS = (("Name and dose", 3, 0), ("Flags", 2, 0), ("Note", 2, 0), ("", 0, 32))

    def __init__(self, number: int) -> None:
        super().__init__()
        self.name = line("e.g. Warfarin 5 mg", 200)
        self.flags = _FlagPicker()
        self.note = line("What for, since when", 300)
        self.set_number(number)
        self.name.textEdited.connect(self.flags.suggest_for)
        self.name.textChanged.connect(self.changed)
        self.note.textChanged.connect(self.changed)
        self.flags.flags_changed.connect(self.changed)
        self._lay_out([self.name, self.flags, self.note, self.remove_button])

    def set_number(self, number: int) -> None:
        super().set_number(number)
        self.name.setAccessibleName(f"Medication {number} name")
        self.note.setAccessibleName(f"Medication {number} note")
        self.flags.setAccessibleName(f"Medication {number} flags")

    def editors(self) -> list[QWidget]:
        return [self.name, self.note]

    def set_value(self, medication: Medication) -> None:
        self.name.setText(medication.name)
        self.flags.set_flags(medication.flags, medication.name)
        self.note.setText(medication.note)

    def value(self) -> Medication:
        return Medication(self.name.text().strip(), self.flags.flags(), self.note.text().strip())

    def is_blank(self) -> bool:
        return not (self.name.text().strip() or self.note.text().strip() or self.flags.flags())


class SurgeryRow(_Row):
    COLUMNS = (("What was done", 1, 0), ("Date", 0, 128), ("", 0, 128), ("", 0, 32))

    def __init__(self, number: int) -> None:
        super().__init__()
        self.description = line("e.g. Knee replacement, appendectomy", 300)
        self.on = DateField()
        self.spine = QCheckBox("Spine surgery")
        self.set_number(number)
        self.description.textChanged.connect(self.changed)
        self.on.textChanged.connect(self.changed)
        self.spine.toggled.connect(self.changed)
        self._lay_out([self.description, self.on, self.spine, self.remove_button])

    def set_number(self, number: int) -> None:
        super().set_number(number)
        self.description.setAccessibleName(f"Surgery {number} description")
        self.on.setAccessibleName(f"Surgery {number} date")
        self.spine.setAccessibleName(f"Surgery {number} was spine surgery")

    def editors(self) -> list[QWidget]:
        return [self.description, self.on]

    def problem_editor(self) -> QWidget:
        return self.on if self._date_problem() else self.description

    def set_value(self, surgery: Surgery) -> None:
        self.description.setText(surgery.description)
        self.on.set_value(surgery.on)
        self.spine.setChecked(surgery.spine)

    def value(self) -> tuple[Surgery, str]:
        """The surgery (an unreadable date left out) and a message about the date, if any."""
        try:
            on = self.on.value()
        except ValueError as error:
            on, problem = None, str(error)
        else:
            problem = ""
        return Surgery(self.description.text().strip(), on, self.spine.isChecked()), problem

    def _date_problem(self) -> bool:
        try:
            on = self.on.value()
        except ValueError:
            return True
        return on is not None and on > date.today()

    def is_blank(self) -> bool:
        return not (self.description.text().strip() or self.on.text().strip())


class EditableRows(QWidget):
    """A header, editable rows with remove buttons, an add button and one error line."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(
        self, row_type: type[MedicationRow | SurgeryRow], add_text: str, empty_text: str
    ) -> None:
        super().__init__()
        self._row_type = row_type
        self._rows: list[MedicationRow | SurgeryRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._header = QWidget()
        header = QHBoxLayout(self._header)
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(8)
        for title, stretch, width in row_type.COLUMNS:
            caption = QLabel(title)
            caption.setProperty("muted", True)
            if width:
                caption.setFixedWidth(width)
            header.addWidget(caption, stretch)
        layout.addWidget(self._header)
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(4)
        layout.addLayout(self._rows_layout)
        self.empty = muted(empty_text)
        layout.addWidget(self.empty)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.add_button = QPushButton(icons.icon("plus"), add_text)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 4, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_empty()

    def rows(self) -> list[MedicationRow | SurgeryRow]:
        return list(self._rows)

    def add_row(self) -> MedicationRow | SurgeryRow:
        row = self._row_type(len(self._rows) + 1)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._on_row_remove_requested)
        self._rows.append(row)
        self._rows_layout.addWidget(row)
        self._update_empty()
        self.rows_changed.emit()
        return row

    def set_values(self, values: list) -> None:  # type: ignore[type-arg]
        for row in self._rows:
            self._discard(row)
        self._rows.clear()
        for value in values:
            self.add_row().set_value(value)
        self._update_empty()

    def show_errors(self, by_row: dict[int, str]) -> list[QWidget]:
        """Mark the rows with problems and list them under the table; returns editors to focus."""
        focus = [row.mark_invalid(i in by_row) for i, row in enumerate(self._rows)]
        self.error.set_message("\n".join(f"Row {i + 1}: {m}" for i, m in sorted(by_row.items())))
        return [w for i, w in enumerate(focus) if i in by_row]

    def _update_empty(self) -> None:
        self._header.setVisible(bool(self._rows))
        self.empty.setVisible(not self._rows)

    def _on_add_button_clicked(self) -> None:
        row = self.add_row()
        row.editors()[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _discard(self, row: QWidget) -> None:
        self._rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _on_row_remove_requested(self, row: MedicationRow | SurgeryRow) -> None:
        self._rows.remove(row)
        self._discard(row)
        for number, other in enumerate(self._rows, start=1):
            other.set_number(number)
        self._update_empty()
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.rows_changed.emit()
        self.changed.emit()
