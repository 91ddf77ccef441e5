"""Record an outcome measure: PSFS, sleep quality, a headache diary day or a custom measure."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.clients.records import Client
from practice.dates import format_day
from practice.errors import FasciaError, ValidationError
from practice.store import Database
from practice.visits import measures, outcomes
from practice.visits.records import CustomMeasureForm, HeadacheForm, PsfsItem, Visit
from ui.widgets.forms import DateField, ErrorLabel, FormGrid, line, muted, text_box

KINDS = ("PSFS", "Sleep quality", "Headache diary entry", "Custom measure")
PSFS_MIN_ROWS = 3
NEW_MEASURE = "New measure…"
_ITEM = re.compile(r"items\[(\d+)\]")


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    return spin


def _number(low: float, high: float, value: float = 0.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(2)
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


class RecordMeasureDialog(QDialog):
    """One score for the client; errors from the practice layer appear next to their fields."""

    def __init__(
        self,
        db: Database,
        client: Client,
        parent: QWidget | None = None,
        *,
        visit: Visit | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.client = client
        self.visit = visit  # scores taken at this visit: dated its day and locked with it
        self.setWindowTitle(
            f"Record measure at the visit of {format_day(visit.day)}" if visit else "Record measure"
        )
        self.top = FormGrid()
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.top.add("kind", "&Measure", self.kind)
        self.date = DateField()
        self.date.set_value(visit.day if visit else date.today())
        self.date.setEnabled(visit is None)
        self.top.add("measured_on", "&Date", self.date)

        self.pages = QStackedWidget()
        self.grids: list[FormGrid] = []
        self._build_psfs()
        self._build_sleep()
        self._build_headache()
        self._build_custom()
        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)

        self.general_error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.addWidget(self.top)
        layout.addWidget(self.pages)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------ pages

    def _page(self) -> FormGrid:
        grid = FormGrid()
        self.grids.append(grid)
        self.pages.addWidget(grid)
        return grid

    def _build_psfs(self) -> None:
        grid = self.psfs_grid = self._page()
        self.activities: list[QLineEdit] = []
        self.scores: list[QSpinBox] = []
        self.psfs_rows: list[QWidget] = []
        previous = outcomes.psfs_activities(self.db, self.client.id)
        for i in range(measures.PSFS_MAX_ITEMS):
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            activity = line("An activity the client finds hard")
            if i < len(previous):
                activity.setText(previous[i])
            score = _spin(0, 10)
            score.setAccessibleName(f"Score of activity {i + 1}")
            score.valueChanged.connect(self._update_mean)
            box.addWidget(activity, 1)
            box.addWidget(score)
            grid.add(f"items[{i}]", f"Activity {i + 1}", row)
            activity.setAccessibleName(f"Activity {i + 1}")
            self.activities.append(activity)
            self.scores.append(score)
            self.psfs_rows.append(row)
        buttons = QWidget()
        box = QHBoxLayout(buttons)
        box.setContentsMargins(0, 0, 0, 0)
        self.add_activity = QPushButton("Add activity")
        self.remove_activity = QPushButton("Remove last")
        self.add_activity.clicked.connect(lambda: self._set_rows(self.row_count + 1))
        self.remove_activity.clicked.connect(lambda: self._set_rows(self.row_count - 1))
        self.mean_label = QLabel()
        box.addWidget(self.add_activity)
        box.addWidget(self.remove_activity)
        box.addStretch(1)
        box.addWidget(self.mean_label)
        grid.add("items", "", buttons)
        grid.add("psfs_help", "", muted("0 = unable to do the activity, 10 = as before."))
        self.row_count = 0
        self._set_rows(max(PSFS_MIN_ROWS, len(previous)))

    def _set_rows(self, count: int) -> None:
        self.row_count = max(PSFS_MIN_ROWS, min(measures.PSFS_MAX_ITEMS, count))
        captions = {label.buddy(): label for label in self.psfs_grid.findChildren(QLabel)}
        for i, row in enumerate(self.psfs_rows):
            row.parentWidget().setVisible(i < self.row_count)  # the field with its error
            captions[row].setVisible(i < self.row_count)
        self.add_activity.setEnabled(self.row_count < measures.PSFS_MAX_ITEMS)
        self.remove_activity.setEnabled(self.row_count > PSFS_MIN_ROWS)
        self._update_mean()

    def psfs_mean(self) -> float:
        return measures.psfs_mean([s.value() for s in self.scores[: self.row_count]])

    def _update_mean(self) -> None:
        self.mean_label.setText(f"Mean: {self.psfs_mean():.1f}")

    def _build_sleep(self) -> None:
        grid = self._page()
        self.sleep_score = grid.add("score", "&Score", _spin(0, 10))
        grid.add("sleep_help", "", muted("Last week's sleep: 0 = very poor, 10 = very good."))

    def _build_headache(self) -> None:
        grid = self.headache_grid = self._page()
        self.duration = _number(0, 24, 1)
        self.duration.setSingleStep(0.5)
        self.duration.setSuffix(" h")
        grid.add("duration_hours", "D&uration", self.duration)
        self.intensity = grid.add("intensity", "&Intensity (0-10)", _spin(0, 10))
        self.medication_taken = QCheckBox("Medication taken")
        grid.add("medication_taken", "", self.medication_taken)
        self.medication = line("Which medication")
        grid.add("medication", "Medi&cation", self.medication)
        self.notes = text_box("Triggers, what helped")
        grid.add("notes", "&Notes", self.notes)

    def _build_custom(self) -> None:
        grid = self.custom_grid = self._page()
        self.custom = QComboBox()
        grid.add("definition", "Me&asure", self.custom)
        self.new_grid = FormGrid()
        self.new_name = self.new_grid.add("name", "Na&me", line())
        self.new_unit = self.new_grid.add("unit", "Unit", line("e.g. degrees, minutes"))
        self.new_min = self.new_grid.add("minimum", "Lowest", _number(-1e6, 1e6, 0))
        self.new_max = self.new_grid.add("maximum", "Highest", _number(-1e6, 1e6, 10))
        self.new_higher = QCheckBox("Higher is better")
        self.new_higher.setChecked(True)
        self.new_grid.add("higher_is_better", "", self.new_higher)
        self.new_mcid = self.new_grid.add(
            "mcid", "Minimal important change", line("blank if none", 20)
        )
        grid.add("new", "", self.new_grid)
        self.custom_value = grid.add("value", "&Value", _number(-1e6, 1e6, 0))
        self.custom.currentIndexChanged.connect(self._on_custom_changed)
        self._fill_custom()

    def _fill_custom(self, select_id: int | None = None) -> None:
        self.custom.clear()
        for measure in outcomes.custom_measures(self.db):
            unit = f" ({measure.unit})" if measure.unit else ""
            self.custom.addItem(f"{measure.name}{unit}", measure.definition_id)
        self.custom.addItem(NEW_MEASURE, None)
        index = self.custom.findData(select_id) if select_id is not None else 0
        self.custom.setCurrentIndex(max(index, 0))
        self._on_custom_changed()

    def _on_custom_changed(self) -> None:
        self.new_grid.setVisible(self.custom.currentData() is None)

    # ------------------------------------------------------------ saving

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message next to its field; any without a field under the page."""
        mapped: dict[str, str] = {}
        for key, message in errors.items():
            key = "measured_on" if key == "occurred_on" else key
            found = _ITEM.match(key)
            mapped[f"items[{found.group(1)}]" if found else key] = message
        shown: set[str] = set()
        for grid in (self.top, self.grids[self.kind.currentIndex()], self.new_grid):
            grid.show_errors(mapped)
            shown |= set(grid.fields) & set(mapped)
        rest = [message for key, message in mapped.items() if key not in shown]
        self.general_error.set_message(" ".join(rest))

    def save(self) -> None:
        """Store the score and accept; on any error show it and store nothing."""
        try:
            day = self.date.value()
        except ValueError as error:
            self.show_errors({"measured_on": str(error)})
            return
        if day is None:
            self.show_errors({"measured_on": "Give the date."})
            return
        try:
            self._save(day)
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        except FasciaError as error:
            self.show_errors({"": str(error)})
            return
        self.accept()

    def _save(self, day: date) -> None:
        client_id = self.client.id
        visit_id = self.visit.id if self.visit else None
        kind = KINDS[self.kind.currentIndex()]
        if kind == "PSFS":
            items = [
                PsfsItem(activity.text(), score.value())
                for activity, score in zip(self.activities, self.scores, strict=True)
            ][: self.row_count]
            outcomes.record_psfs(self.db, client_id, day, items, visit_id=visit_id)
        elif kind == "Sleep quality":
            outcomes.record_sleep_quality(
                self.db, client_id, day, self.sleep_score.value(), visit_id=visit_id
            )
        elif kind == "Headache diary entry":
            form = HeadacheForm(
                occurred_on=day,
                duration_hours=self.duration.value(),
                intensity=self.intensity.value(),
                medication_taken=self.medication_taken.isChecked(),
                medication=self.medication.text(),
                notes=self.notes.toPlainText(),
            )
            outcomes.record_headache(self.db, client_id, form, visit_id=visit_id)
        else:
            definition_id = self.custom.currentData()
            value = self.custom_value.value()
            if definition_id is None:
                definition_id = self._define(day, value)
            outcomes.record_custom_value(
                self.db, client_id, definition_id, day, value, visit_id=visit_id
            )

    def _define(self, day: date, value: float) -> int:
        """Define the new measure, after checking the value fits it, so an error saves nothing."""
        errors: dict[str, str] = {}
        mcid: float | None = None
        if text := self.new_mcid.text().strip():
            try:
                mcid = float(text.replace(",", "."))
            except ValueError:
                errors["mcid"] = "Give a number, or leave it blank."
        low, high = self.new_min.value(), self.new_max.value()
        if low < high and not low <= value <= high:
            errors["value"] = f"The value must be from {low:g} to {high:g}."
        if day > date.today():
            errors["measured_on"] = "The date is in the future."
        if errors:
            raise ValidationError(errors)
        form = CustomMeasureForm(
            name=self.new_name.text(),
            minimum=low,
            maximum=high,
            higher_is_better=self.new_higher.isChecked(),
            mcid=mcid,
            unit=self.new_unit.text(),
        )
        measure = outcomes.define_custom_measure(self.db, form)
        definition_id = int(measure.definition_id or 0)
        self._fill_custom(definition_id)
        return definition_id
