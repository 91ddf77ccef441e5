"""The Intake tab: the client's dated health history, with a live preview of its alerts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate, pairwise

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import rules, service
from practice.clients.intake import (
    CONDITIONS,
    CancerStatus,
    ConditionGroup,
    ConditionInfo,
    IntakeData,
    Pressure,
)
from practice.clients.records import Client, Intake
from practice.errors import ValidationError
from practice.store import Database
from ui import icons, theme
from ui.clients.intake_alerts import IntakeAlertPreview
from ui.clients.intake_rows import EditableRows, MedicationRow, SurgeryRow
from ui.ops import Refresh, save_now, save_soon
from ui.widgets import dates
from ui.widgets.columns import Columns
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import (
    DateField,
    ErrorLabel,
    FormGrid,
    align_captions,
    focus_topmost,
    line,
    muted,
    section_title,
    text_box,
)

PREVIEW_DELAY_MS = 150
CANCER_LABELS = {
    CancerStatus.NONE: "None",
    CancerStatus.HISTORY: "History, treatment finished",
    CancerStatus.ACTIVE: "In active treatment",
    CancerStatus.BONE_METASTASIS: "With bone metastasis",
}


class IntakeForm(QWidget):
    """Shows the latest intake prefilled; recording saves a new dated intake and keeps the old."""

    intake_saved = Signal(object)  # Intake
    dirty_changed = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self._history: list[Intake] = []
        self._dirty = False
        self._loading = False
        self._edits = 0  # changes typed so far: a save landing knows whether typing came after
        self._shown = 0  # which client the form shows: a save landing knows if it moved on
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(16, 8, 16, 16)
        body.setSpacing(8)
        self.date_grid = FormGrid()
        dated = QWidget()
        row = QHBoxLayout(dated)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.recorded_on = DateField()
        self.recorded_on.setFixedWidth(128)
        self.prefill_note = muted("")
        row.addWidget(self.recorded_on)
        row.addWidget(self.prefill_note, 1)
        self.date_grid.add("recorded_on", "Intake &date", dated)
        self.date_grid.fields["recorded_on"] = self.recorded_on
        self.recorded_on.setAccessibleName("Intake date")
        body.addWidget(self.date_grid)
        self._add_section(body, "Screening", self._build_screening())
        self._add_section(body, "Medications and supplements", self._build_medications())
        self._add_section(body, "Allergies", self._build_allergies())
        self._add_section(body, "Surgeries and hospital stays", self._build_surgeries())
        self._add_section(body, "Pregnancy, implants and cancer", self._build_health())
        self._add_section(body, "Goals and preferences", self._build_goals())
        body.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._body)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(self._build_top())
        outer.addWidget(self._scroll, 1)
        outer.addLayout(self._build_bottom())

        align_captions(self._grids())
        self._connect_changes()
        self._update_tab_order()
        self._intakes = Refresh(self, (), self._read)  # a client's intakes, once shown
        self.load(None)

    # ------------------------------------------------------------------ building

    def _build_top(self) -> QVBoxLayout:
        top = QVBoxLayout()
        top.setContentsMargins(16, 16, 16, 8)
        top.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.history = QComboBox()
        self.history.setMinimumContentsLength(28)
        self.history.setAccessibleName("Intake shown")
        self.history.currentIndexChanged.connect(self._on_history_current_index_changed)
        caption = QLabel("&Showing")
        caption.setProperty("muted", True)
        caption.setBuddy(self.history)
        self.history_hint = muted("", wrap=False)
        row.addWidget(caption)
        row.addWidget(self.history)
        row.addWidget(self.history_hint, 1)
        top.addLayout(row)

        self.old_note = QWidget()
        self.old_note.setObjectName("AlertRow")
        self.old_note.setProperty("level", "info")
        self.old_note.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        note = QHBoxLayout(self.old_note)
        note.setContentsMargins(12, 8, 8, 8)
        note.setSpacing(8)
        self._old_note_icon = QLabel()
        self.old_note_text = QLabel()
        self.old_note_text.setWordWrap(True)
        self.latest_button = QPushButton("Back to the latest intake")
        self.latest_button.clicked.connect(self._on_latest_button_clicked)
        note.addWidget(self._old_note_icon, 0, Qt.AlignmentFlag.AlignTop)
        note.addWidget(self.old_note_text, 1)
        note.addWidget(self.latest_button)
        top.addWidget(self.old_note)

        self.alert_preview = IntakeAlertPreview()
        self.alert_chips = self.alert_preview.chips
        top.addWidget(self.alert_preview)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setStyleSheet(f"color: {theme.colours().border};")  # the app sheet sets `color`
        top.addWidget(rule)
        return top

    def _build_screening(self) -> QWidget:
        self.conditions: dict[str, tuple[QCheckBox, QLineEdit]] = {}
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(muted("Tick what applies now or in the client's history."))
        columns = Columns(spacing=24)
        for groups in _split_groups():
            grid = QGridLayout()
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(2)
            grid.setColumnStretch(1, 1)
            for n, (group, conditions) in enumerate(groups):
                heading = QLabel(group.value)
                heading.setProperty("muted", True)
                font = heading.font()
                font.setWeight(font.Weight.DemiBold)
                heading.setFont(font)
                heading.setContentsMargins(0, 8 if n else 0, 0, 0)
                grid.addWidget(heading, grid.rowCount(), 0, 1, 2)
                for info in conditions:
                    self._add_condition(grid, info)
            column = QVBoxLayout()
            column.addLayout(grid)
            column.addStretch(1)
            columns.add_column(column)
        layout.addWidget(columns)
        self.screening_error = ErrorLabel()
        layout.addWidget(self.screening_error)
        return box

    def _add_condition(self, grid: QGridLayout, info: ConditionInfo) -> None:
        check = QCheckBox(info.label)
        detail = line(info.detail_hint or "Details", 300)
        detail.setAccessibleName(f"{info.label}: details")
        for show in (detail.setEnabled, detail.setVisible):
            show(False)
            check.toggled.connect(show)
        row = grid.rowCount()
        grid.addWidget(check, row, 0)
        grid.addWidget(detail, row, 1)
        # The row keeps its details field's room while it is hidden: ticking moves nothing.
        # (Measured by the layout, not now: the window's stylesheet gives the field its height.)
        policy = detail.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        detail.setSizePolicy(policy)
        self.conditions[info.code] = (check, detail)

    def _build_medications(self) -> QWidget:
        self.medications = EditableRows(
            MedicationRow,
            "Add medication",
            "No medications or supplements recorded.",
        )
        return self.medications

    def _build_allergies(self) -> QWidget:
        self.allergy_grid = FormGrid()
        self.allergies = line("Latex, nuts, adhesive tape ...", 500)
        self.oil_allergy = QCheckBox("Allergic to &oils or scents")
        self.allergy_grid.add("allergies", "A&llergies", self.allergies)
        self.allergy_grid.add("oil_or_scent_allergy", "", self.oil_allergy)
        return self.allergy_grid

    def _build_surgeries(self) -> QWidget:
        self.surgeries = EditableRows(
            SurgeryRow, "Add surgery", "No surgeries or hospital stays recorded."
        )
        return self.surgeries

    def _build_health(self) -> QWidget:
        self.health_grid = FormGrid()
        pregnancy = QWidget()
        row = FlowLayout(pregnancy, spacing=16)  # narrow, the high-risk box goes under
        self.pregnant = QCheckBox("&Pregnant")
        self.pregnancy_weeks = QSpinBox()
        self.pregnancy_weeks.setRange(-1, 42)
        self.pregnancy_weeks.setSpecialValueText("not known")
        self.pregnancy_weeks.setSuffix(" weeks")
        self.pregnancy_weeks.setMinimumWidth(128)
        self.pregnancy_weeks.setAccessibleName("Weeks of pregnancy")
        self.high_risk = QCheckBox("&High-risk pregnancy")
        for widget in (self.pregnancy_weeks, self.high_risk):
            widget.setEnabled(False)
            self.pregnant.toggled.connect(widget.setEnabled)
        weeks_caption = QLabel("&Weeks")
        weeks_caption.setBuddy(self.pregnancy_weeks)
        weeks = QWidget()
        weeks_row = QHBoxLayout(weeks)
        weeks_row.setContentsMargins(0, 0, 0, 0)
        weeks_row.setSpacing(8)
        weeks_row.addWidget(weeks_caption)
        weeks_row.addWidget(self.pregnancy_weeks)
        row.addWidget(self.pregnant)
        row.addWidget(weeks)
        row.addWidget(self.high_risk)
        self.health_grid.add("pregnancy_weeks", "Pregnancy", pregnancy)
        self.health_grid.fields["pregnancy_weeks"] = self.pregnancy_weeks
        self.implants = line("Pacemaker, port, insulin pump, stimulator ...", 300)
        self.health_grid.add("implants", "&Implants", self.implants)

        cancer = QWidget()
        row = QHBoxLayout(cancer)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.cancer_status = QComboBox()
        for status, label in CANCER_LABELS.items():
            self.cancer_status.addItem(label, status)
        self.cancer_status.setMinimumContentsLength(24)
        self.cancer_status.setAccessibleName("Cancer status")
        self.cancer_details = line("Type, treatment, sites to avoid, oncology clearance", 500)
        self.cancer_details.setAccessibleName("Cancer details")
        self.cancer_status.currentIndexChanged.connect(self._on_cancer_status_current_index_changed)
        row.addWidget(self.cancer_status)
        row.addWidget(self.cancer_details, 1)
        self.health_grid.add("cancer_status", "&Cancer", cancer)
        self.health_grid.fields["cancer_status"] = self.cancer_status
        return self.health_grid

    def _build_goals(self) -> QWidget:
        self.goals_grid = FormGrid()
        g = self.goals_grid
        self.goals = g.add("goals", "&Goals", text_box("What the client wants from treatment", 2))
        self.focus_areas = g.add(
            "focus_areas", "&Focus areas", line("Neck, right shoulder ...", 300)
        )
        self.areas_to_avoid = g.add("areas_to_avoid", "Areas to a&void", line("", 300))
        self.pressure = QComboBox()
        for pressure in Pressure:
            self.pressure.addItem(pressure.value.capitalize(), pressure)
        self.pressure.setMaximumWidth(200)
        g.add("pressure_preference", "P&ressure", self.pressure)
        self.positions = g.add(
            "positions_not_tolerated",
            "Posi&tions not tolerated",
            line("Prone, flat supine ...", 300),
        )
        self.other_notes = g.add("other_notes", "Other &notes", text_box("", 2))
        return g

    def _build_bottom(self) -> QHBoxLayout:
        self.form_error = ErrorLabel()
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.save_button = QPushButton("Record updated intake")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(
            "Saves a new intake with the date above; earlier intakes are kept"
        )
        self.save_button.clicked.connect(self.save_soon)
        self.buttons = QWidget()  # held, disabled, while a save is on its way
        held = QHBoxLayout(self.buttons)
        held.setContentsMargins(0, 0, 0, 0)
        held.setSpacing(8)
        held.addWidget(self.discard_button)
        held.addWidget(self.save_button)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 16)
        bar.setSpacing(8)
        bar.addWidget(self.form_error, 1)
        bar.addStretch(1)
        bar.addWidget(self.buttons)
        return bar

    @staticmethod
    def _add_section(layout: QVBoxLayout, title: str, content: QWidget) -> None:
        layout.addSpacing(16)
        layout.addWidget(section_title(title))
        layout.addWidget(content)

    def _grids(self) -> tuple[FormGrid, ...]:
        return (self.date_grid, self.allergy_grid, self.health_grid, self.goals_grid)

    def _connect_changes(self) -> None:
        for check, detail in self.conditions.values():
            check.toggled.connect(self._on_field_changed)
            detail.textChanged.connect(self._on_field_changed)
        for edit in (
            self.recorded_on,
            self.allergies,
            self.implants,
            self.cancer_details,
            self.focus_areas,
            self.areas_to_avoid,
            self.positions,
        ):
            edit.textChanged.connect(self._on_field_changed)
        for box in (self.goals, self.other_notes):
            box.textChanged.connect(self._on_field_changed)
        for check in (self.oil_allergy, self.pregnant, self.high_risk):
            check.toggled.connect(self._on_field_changed)
        for combo in (self.cancer_status, self.pressure):
            combo.currentIndexChanged.connect(self._on_field_changed)
        self.pregnancy_weeks.valueChanged.connect(self._on_field_changed)
        for rows in (self.medications, self.surgeries):
            rows.changed.connect(self._on_field_changed)
            rows.rows_changed.connect(self._update_tab_order)

    def _update_tab_order(self) -> None:
        chain = _focus_chain(self.layout())
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ state

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.discard_button.setEnabled(dirty)
        has_older = len(self._history) > 1
        self.history.setEnabled(has_older and not dirty)
        self.history.setToolTip(
            "Record or discard your changes to look at older intakes" if dirty and has_older else ""
        )
        self.dirty_changed.emit(dirty)

    def _on_field_changed(self) -> None:
        if self._loading:
            return
        self._edits += 1
        self._preview_timer.start()
        if not self._dirty:
            self._set_dirty(True)

    def load(self, client: Client | None) -> None:
        """Show the client's latest intake, ready to be recorded again as a new one; read when
        the tab is shown, so opening a client stays quick."""
        self._shown += 1
        self.client = client
        if not self.isVisible():
            self._history = []
            self._set_dirty(False)  # what another client's form held is not this one's
        self._intakes.request()

    def _read(self) -> None:
        client = self.client
        self._history = service.intake_history(self.db, client.id) if client else []
        self._list_history()
        self._show(0)

    def _list_history(self) -> None:
        self._loading = True
        self.history.clear()
        for i, intake in enumerate(self._history):
            latest = " (latest)" if i == 0 else ""
            self.history.addItem(f"Intake of {dates.day(intake.data.recorded_on)}{latest}")
        if not self._history:
            self.history.addItem("No intake on file yet")
        self._loading = False

    def showEvent(self, event: QShowEvent) -> None:
        self._intakes.ensure()  # before anything shown can be clicked or asked for
        super().showEvent(event)

    def show_intake(self, intake_id: int) -> None:
        """Show this intake of the client (the timeline opens it); unsaved edits stay shown."""
        self._intakes.ensure()
        index = next((i for i, intake in enumerate(self._history) if intake.id == intake_id), None)
        if index is not None and not self.is_dirty():
            self._show(index)

    def _show(self, index: int) -> None:
        """Show history entry `index`: 0 is editable (prefilled from the latest), others not."""
        read_only = index > 0
        intake = self._history[index] if self._history else None
        data = intake.data if intake else IntakeData(recorded_on=date.today())
        self._loading = True
        self.history.setCurrentIndex(index)
        self._fill(data)
        if not read_only:
            self.recorded_on.set_value(date.today())
        self._loading = False

        self.old_note.setVisible(read_only)
        if read_only:
            self._old_note_icon.setPixmap(icons.pixmap("history", 18, theme.colours().info))
            self.old_note_text.setText(
                f"This is the intake of {dates.day(data.recorded_on)}, kept as it was recorded. "
                "It cannot be changed; updates go into a new intake."
            )
        self.history_hint.setText(
            f"{len(self._history)} intakes on file" if len(self._history) > 1 else ""
        )
        self.prefill_note.setText(self._note_text(intake, read_only))
        editable = self.client is not None and not read_only
        self._body.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.save_button.setText("Record updated intake" if self._history else "Record intake")
        self._clear_errors()
        self._set_dirty(False)
        self._preview_timer.stop()
        self._refresh_alerts()

    def _note_text(self, intake: Intake | None, read_only: bool) -> str:
        if intake is not None and read_only:
            entered = dates.moment(intake.created_at)
            return f"Entered by {intake.created_by} on {entered}."
        if self.client is None:
            return "Save the client's profile first; then record their intake here."
        if intake is None:
            return "No intake on file yet. Fill in what the client reports, then record it."
        return (
            f"Prefilled from the intake of {dates.day(intake.data.recorded_on)}. Recording saves "
            "a new intake with this date; earlier intakes are kept."
        )

    def _fill(self, data: IntakeData) -> None:
        self.recorded_on.set_value(data.recorded_on)
        for code, (check, detail) in self.conditions.items():
            check.setChecked(code in data.conditions)
            detail.setText(data.conditions.get(code, ""))
        self.medications.set_values(list(data.medications))
        self.allergies.setText(data.allergies)
        self.oil_allergy.setChecked(data.oil_or_scent_allergy)
        self.surgeries.set_values(list(data.surgeries))
        self.pregnant.setChecked(data.pregnant)
        weeks = data.pregnancy_weeks
        self.pregnancy_weeks.setValue(-1 if weeks is None else weeks)
        self.high_risk.setChecked(data.high_risk_pregnancy)
        self.implants.setText(data.implants)
        self.cancer_status.setCurrentIndex(self.cancer_status.findData(data.cancer_status))
        self.cancer_details.setText(data.cancer_details)
        self._on_cancer_status_current_index_changed()
        self.goals.setPlainText(data.goals)
        self.focus_areas.setText(data.focus_areas)
        self.areas_to_avoid.setText(data.areas_to_avoid)
        self.pressure.setCurrentIndex(self.pressure.findData(data.pressure_preference))
        self.positions.setText(data.positions_not_tolerated)
        self.other_notes.setPlainText(data.other_notes)

    def _collect(self) -> _Collected:
        """The form as IntakeData, with messages for anything typed that cannot be read."""
        errors: dict[str, str] = {}
        try:
            recorded_on = self.recorded_on.value()
        except ValueError as error:
            recorded_on, errors["recorded_on"] = None, str(error)
        else:
            if recorded_on is None:
                errors["recorded_on"] = "Enter the date of this intake."
        medication_rows = [r for r in self.medications.rows() if not r.is_blank()]
        surgery_rows = [r for r in self.surgeries.rows() if not r.is_blank()]
        surgeries = []
        for i, row in enumerate(surgery_rows):
            surgery, problem = row.value()
            surgeries.append(surgery)
            if problem:
                errors[f"surgeries[{i}]"] = problem
        pregnant = self.pregnant.isChecked()
        cancer = CancerStatus(self.cancer_status.currentData())
        weeks = self.pregnancy_weeks.value()
        data = IntakeData(
            recorded_on=recorded_on or date.today(),
            conditions={
                code: detail.text().strip()
                for code, (check, detail) in self.conditions.items()
                if check.isChecked()
            },
            medications=tuple(r.value() for r in medication_rows),
            allergies=self.allergies.text().strip(),
            oil_or_scent_allergy=self.oil_allergy.isChecked(),
            surgeries=tuple(surgeries),
            pregnant=pregnant,
            pregnancy_weeks=weeks if pregnant and weeks >= 0 else None,
            high_risk_pregnancy=pregnant and self.high_risk.isChecked(),
            implants=self.implants.text().strip(),
            cancer_status=cancer,
            cancer_details=""
            if cancer is CancerStatus.NONE
            else self.cancer_details.text().strip(),
            goals=self.goals.toPlainText().strip(),
            focus_areas=self.focus_areas.text().strip(),
            areas_to_avoid=self.areas_to_avoid.text().strip(),
            pressure_preference=Pressure(self.pressure.currentData()),
            positions_not_tolerated=self.positions.text().strip(),
            other_notes=self.other_notes.toPlainText().strip(),
        )
        return _Collected(data, errors, medication_rows, surgery_rows)

    # The Record button writes on the op runner; `save()` writes at once, for the flows that
    # need its outcome before going on (Ctrl+S, "Save them first?" before leaving the client).

    def save(self) -> Intake | None:
        """Record the form as a new intake now; shows messages and saves nothing if any is
        wrong."""
        return save_now(self, self._save_write, self._landed, self._refused, _changes)

    def save_soon(self) -> None:
        """Save on the op runner: the Save button and Ctrl+S (the window keeps answering)."""
        save_soon(self, self.buttons, self._save_write, self._landed, self._refused, _changes)

    def _save_write(self) -> Callable[[], Intake] | None:
        """The write that records the form as it is now, or None (with the messages shown)."""
        self._intakes.ensure()
        if self.client is None or self.history.currentIndex() > 0:
            return None
        collected = self._collect()
        errors = dict(collected.errors)
        try:
            service.validate_intake(collected.data)
        except ValidationError as error:
            errors = {**error.errors, **errors}
        if errors:
            self._show_errors(errors, collected)
            return None
        db, client_id = self.db, self.client.id
        return lambda: service.save_intake(db, client_id, collected.data)

    def _landed(self) -> Callable[[Intake], None]:
        """Show the intake as recorded, unless the therapist typed meanwhile (the form stays
        unsaved, the new intake listed) or moved on to another client."""
        shown, edits = self._shown, self._edits

        def landed(saved: Intake) -> None:
            if shown != self._shown:
                return
            if edits == self._edits:
                self.load(self.client)
            else:
                self._history.insert(0, saved)
                self._list_history()
                self.save_button.setText("Record updated intake")
                self._set_dirty(True)
            self.intake_saved.emit(saved)

        return landed

    def _refused(self, error: ValidationError) -> None:
        self._show_errors(error.errors, self._collect())

    def _clear_errors(self) -> None:
        for grid in self._grids():
            grid.clear_errors()
        self.medications.show_errors({})
        self.surgeries.show_errors({})
        self.screening_error.set_message("")
        self.form_error.set_message("")

    def _show_errors(self, errors: dict[str, str], collected: _Collected) -> None:
        remaining = dict(errors)
        focus: list[QWidget] = []
        for grid in self._grids():
            mine = {k: remaining.pop(k) for k in list(remaining) if k in grid.fields}
            grid.show_errors(mine)
            focus += [grid.fields[k] for k in grid.fields if k in mine]
        self.screening_error.set_message(remaining.pop("conditions", ""))
        for rows, key, in_data in (
            (self.medications, "medications", collected.medication_rows),
            (self.surgeries, "surgeries", collected.surgery_rows),
        ):
            by_row = {
                rows.rows().index(row): remaining.pop(f"{key}[{i}]")
                for i, row in enumerate(in_data)
                if f"{key}[{i}]" in remaining
            }
            focus += rows.show_errors(by_row)
        self.form_error.set_message(
            " ".join(remaining.values()) or "Nothing was saved yet. Fix the marked fields first."
        )
        focus_topmost(focus, self._body, self._scroll)

    def _refresh_alerts(self) -> None:
        alerts = rules.evaluate(self._collect().data) if self.client else []
        if not alerts and self.client is not None and not self._history:
            alerts = [rules.NO_INTAKE]  # an empty form says nothing about the client's health
        self.alert_preview.show_alerts(alerts, self._alerts_on_file())

    def _alerts_on_file(self) -> list[rules.Alert]:
        """The alerts of the latest intake (dated today, as the form shows it)."""
        if self.client is None:
            return []
        if not self._history:
            return [rules.NO_INTAKE]
        return rules.evaluate(replace(self._history[0].data, recorded_on=date.today()))

    # ------------------------------------------------------------------ handlers

    def _on_preview_timer_timeout(self) -> None:
        self._refresh_alerts()

    def _on_history_current_index_changed(self, index: int) -> None:
        if not self._loading and index >= 0:
            self._show(index)

    def _on_latest_button_clicked(self) -> None:
        self._show(0)
        self.history.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_discard_button_clicked(self) -> None:
        self._show(0)

    def _on_cancer_status_current_index_changed(self) -> None:
        self.cancer_details.setEnabled(self.cancer_status.currentData() != CancerStatus.NONE)


def _changes(intake: Intake) -> Changes:
    return Changes.of("intake", client_id=intake.client_id)


@dataclass(slots=True)
class _Collected:
    """What the form holds, plus which table row each medication and surgery came from."""

    data: IntakeData
    errors: dict[str, str]
    medication_rows: list[MedicationRow]
    surgery_rows: list[SurgeryRow]


def _split_groups() -> tuple[list[tuple[ConditionGroup, list[ConditionInfo]]], ...]:
    """The screening groups in two columns of about equal height, in checklist order."""
    groups = [(g, [c for c in CONDITIONS if c.group is g]) for g in ConditionGroup]
    groups = [(g, items) for g, items in groups if items]
    heights = list(accumulate(len(items) + 1 for _g, items in groups))  # +1 for the heading
    split = min(range(1, len(groups)), key=lambda i: abs(2 * heights[i - 1] - heights[-1]))
    return groups[:split], groups[split:]


def _focus_chain(layout: QLayout) -> list[QWidget]:
    """Focusable widgets in layout order, looking inside plain containers and scroll areas."""
    chain: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.layout() is not None:
            chain += _focus_chain(item.layout())
        widget = item.widget()
        if widget is None:
            continue
        if isinstance(widget, QScrollArea) and widget.widget() is not None:
            inner = widget.widget().layout()
            chain += _focus_chain(inner) if inner else []
        elif widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        elif widget.layout() is not None:
            chain += _focus_chain(widget.layout())
    return chain
