"""The plan editor, in place in the Plan tab: referral, diagnoses, schedule, status, precautions.

Everything is read into a `PlanForm` and handed to `practice.plans.service`; its
ValidationError messages appear next to their fields and nothing is saved until all are fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client
from practice.errors import ValidationError
from practice.plans import service
from practice.plans.checks import MAX_LENGTH_WEEKS, MAX_PERIOD_WEEKS, plan_end
from practice.plans.records import Plan, PlanForm, PlanStatus, Precaution
from practice.store import Database
from ui import icons, theme
from ui.ops import save_now, save_soon
from ui.plans.chips import Chip
from ui.plans.diagnoses import DiagnosisPicker
from ui.widgets import dates
from ui.widgets.forms import DateField, FormGrid, line, muted, section_title, text_box
from ui.widgets.physician_dialog import PhysicianDialog

REEVALUATION_AT_MOST = timedelta(weeks=4)
DEFAULT_LENGTH_WEEKS = 6
# Core error keys shown at a field of another name.
FIELD_OF = {"frequency_count": "frequency", "frequency_weeks": "frequency"}
CLOSING = {
    PlanStatus.COMPLETED: "Complete the plan",
    PlanStatus.DISCHARGED: "Discharge the client from the plan",
}


def suggested_reevaluation(start: date, length_weeks: int) -> date:
    """Half-way through the plan, but no later than 4 weeks in."""
    half = timedelta(days=length_weeks * 7 // 2)
    return start + max(timedelta(days=1), min(half, REEVALUATION_AT_MOST))


def long_date(day: date) -> str:
    return dates.long_day(day)


def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setAccessibleName(name)
    spin.setFixedWidth(72)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class PrecautionList(QWidget):
    """The alerts' precautions (read-only, renewed on every save) and the therapist's own."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.from_alerts = QVBoxLayout()
        self.from_alerts.setSpacing(4)
        self.own = QListWidget()
        self.own.setAccessibleName("Your own precautions")
        self.own.setUniformItemSizes(True)
        self.own.currentRowChanged.connect(self._update)
        self.entry = line("Your own precaution: no prone position after 20 min …", 300)
        self.entry.setAccessibleName("New precaution")
        self.entry.returnPressed.connect(self._on_add_clicked)
        self.add_button = QPushButton(icons.icon("plus"), "Add")
        self.add_button.setToolTip("Add the precaution (Enter)")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icons.icon("x", theme.colours().muted))
        self.remove_button.setToolTip("Remove the selected precaution")
        self.remove_button.setAccessibleName("Remove the selected precaution")
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        entry_row = QHBoxLayout()
        entry_row.setSpacing(8)
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.add_button)
        own_row = QHBoxLayout()
        own_row.setSpacing(8)
        own_row.addWidget(self.own, 1)
        own_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.from_alerts)
        layout.addLayout(own_row)
        layout.addLayout(entry_row)
        self.setFocusProxy(self.entry)
        self.set_values([], [])

    def set_values(self, alerts: list[Precaution], own: list[str]) -> None:
        self.alert_texts = [p.text for p in alerts]
        while self.from_alerts.count():
            item = self.from_alerts.takeAt(0)
            if item.widget():
                item.widget().hide()  # at once: deleteLater leaves it painted until then
                item.widget().deleteLater()
        for precaution in alerts:
            row = QHBoxLayout()
            row.setSpacing(8)
            holder = QWidget()
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            chip = Chip(
                f"⚠ {precaution.level}", "warning" if precaution.level != "BLOCK" else "danger"
            )
            text = QLabel(precaution.text)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            row.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            holder.setToolTip(
                "From the client's intake alerts; renewed each time the plan is saved"
            )
            self.from_alerts.addWidget(holder)
        if not alerts:
            self.from_alerts.addWidget(muted("No contraindication alerts from the intake."))
        self.own.clear()
        for text in own:
            self.own.addItem(QListWidgetItem(text))
        self._update()

    def own_precautions(self) -> tuple[str, ...]:
        return tuple(self.own.item(i).text() for i in range(self.own.count()))

    def _update(self) -> None:
        count = self.own.count()
        self.own.setVisible(bool(count))
        self.own.setFixedHeight(self.own.sizeHintForRow(0) * count + 8 if count else 0)
        self.remove_button.setVisible(bool(count))
        self.remove_button.setEnabled(self.own.currentRow() >= 0)

    def _on_add_clicked(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        if text not in self.own_precautions():
            self.own.addItem(QListWidgetItem(text))
        self.entry.clear()
        self._update()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.own.currentRow()
        if row >= 0:
            self.own.takeItem(row)
            self._update()
            self.changed.emit()


class PlanEditor(QWidget):
    """Create or edit one plan. `saved` carries the saved Plan; `cancelled` leaves it as it was."""

    saved = Signal(object)
    cancelled = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.plan: Plan | None = None
        self._loaded: tuple[object, ...] = ()
        self._reevaluation_suggested = True
        self._save_pending = False
        self._opened = 0  # which plan the editor shows: a save landing knows if it moved on

        self.title = section_title("New treatment plan")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.back_button = QPushButton("← Plan")
        self.back_button.setToolTip("Back to the plan without saving (Esc)")
        self.back_button.clicked.connect(self._on_cancel_clicked)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.back_button)
        head.addWidget(self.title, 1)

        self.referral = FormGrid()
        self.physician = QComboBox()
        self.physician.setMinimumContentsLength(20)
        self.add_physician = QPushButton("New physician…")
        self.add_physician.clicked.connect(self._on_add_physician_clicked)
        physician_row = QWidget()
        pr = QHBoxLayout(physician_row)
        pr.setContentsMargins(0, 0, 0, 0)
        pr.setSpacing(8)
        pr.addWidget(self.physician, 1)
        pr.addWidget(self.add_physician)
        self.referral.add("physician_id", "Referring &physician", physician_row)
        self.referral.fields["physician_id"] = self.physician
        self.physician.setAccessibleName("Referring physician")
        self.referral_date = self.referral.add("referral_date", "Referral &date", DateField())
        self.referral.add("referral_reason", "&Reason", line("Low back pain after a fall …", 300))
        self.referral_reason: QLineEdit = self.referral.fields["referral_reason"]  # type: ignore[assignment]

        self.diagnosis_grid = FormGrid()
        self.diagnoses = DiagnosisPicker()
        self.diagnosis_grid.add("diagnoses", "ICD-10-&CM", self.diagnoses)

        self.schedule = FormGrid()
        self.start_date: DateField = self.schedule.add("start_date", "&Starts", DateField())  # type: ignore[assignment]
        self.length = _spin(0, MAX_LENGTH_WEEKS, DEFAULT_LENGTH_WEEKS, "Length in weeks")
        self.end_label = muted("", wrap=False)
        length_row = QWidget()
        lr = QHBoxLayout(length_row)
        lr.setContentsMargins(0, 0, 0, 0)
        lr.setSpacing(8)
        lr.addWidget(self.length)
        lr.addWidget(QLabel("weeks"))
        lr.addWidget(self.end_label, 1)
        self.schedule.add("length_weeks", "&Length", length_row)
        self.schedule.fields["length_weeks"] = self.length
        self.count = _spin(0, 14, 1, "Visits per period")
        self.per_weeks = _spin(1, MAX_PERIOD_WEEKS, 1, "Period in weeks")
        self.visits_label = muted("", wrap=False)
        frequency_row = QWidget()
        fr = QHBoxLayout(frequency_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.setSpacing(8)
        fr.addWidget(self.count)
        self.count_word = QLabel("visit per")
        fr.addWidget(self.count_word)
        fr.addWidget(self.per_weeks)
        self.per_word = QLabel("week")
        fr.addWidget(self.per_word)
        fr.addWidget(self.visits_label, 1)
        self.schedule.add("frequency", "&Frequency", frequency_row)
        self.schedule.fields["frequency"] = self.count
        self.reevaluation: DateField = self.schedule.add(  # type: ignore[assignment]
            "reevaluation_date", "Re-&evaluate on", DateField()
        )
        self.status = QComboBox()
        for status in PlanStatus:
            self.status.addItem(status.label, status.value)
        self.schedule.add("status", "S&tatus", self.status)

        self.precaution_grid = FormGrid()
        self.precautions = PrecautionList()
        self.precaution_grid.add("precautions", "P&recautions", self.precautions)
        self.notes: QPlainTextEdit = self.precaution_grid.add(  # type: ignore[assignment]
            "notes", "&Notes", text_box("Anything else about the plan", 2)
        )

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 8, 24, 16)
        layout.setSpacing(8)
        for title, grid in (
            ("Referral", self.referral),
            ("Diagnoses", self.diagnosis_grid),
            ("Schedule", self.schedule),
            ("Precautions and notes", self.precaution_grid),
        ):
            layout.addWidget(section_title(title))
            layout.addWidget(grid)
            layout.addSpacing(8)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.scroll = scroll

        self.save_button = QPushButton("Create plan")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip("Save the plan (Ctrl+S)")
        self.save_button.clicked.connect(self.save_soon)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.waiting = muted("", wrap=False)
        self.buttons = QWidget()  # held, disabled, while a save is on its way
        held = QHBoxLayout(self.buttons)
        held.setContentsMargins(0, 0, 0, 0)
        held.setSpacing(8)
        held.addWidget(self.cancel_button)
        held.addWidget(self.save_button)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 8)
        bar.setSpacing(8)
        bar.addWidget(self.waiting, 1)
        bar.addWidget(self.buttons)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(4)
        outer.addLayout(head)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)

        self.start_date.textChanged.connect(self._on_schedule_changed)
        self.length.valueChanged.connect(self._on_schedule_changed)
        self.count.valueChanged.connect(self._on_schedule_changed)
        self.per_weeks.valueChanged.connect(self._on_schedule_changed)
        self.reevaluation.textEdited.connect(self._on_reevaluation_edited)
        self.diagnoses.loader.ready.connect(self._on_code_list_ready)
        self.diagnoses.results_shown.connect(self._on_diagnoses_results_shown)

    # ------------------------------------------------------------------ public

    def new_plan(self, client: Client, today: date | None = None) -> None:
        today = today or date.today()
        self._opened += 1
        self.client, self.plan = client, None
        self.title.setText("New treatment plan")
        self.save_button.setText("Create plan")
        self._reload_physicians(None)
        self.referral_date.set_value(None)
        self.referral_reason.clear()
        self.diagnoses.set_diagnoses([])
        self.start_date.set_value(today)
        self.length.setValue(DEFAULT_LENGTH_WEEKS)
        self.count.setValue(1)
        self.per_weeks.setValue(1)
        self._reevaluation_suggested = True
        self._select_status(PlanStatus.ACTIVE)
        self.status.setEnabled(False)
        self.status.setToolTip("A new plan starts active")
        self.precautions.set_values(service.precautions_from_alerts(self.db, client.id), [])
        self.notes.clear()
        self._after_load()

    def edit_plan(self, client: Client, plan: Plan) -> None:
        self._opened += 1
        self.client, self.plan = client, plan
        self.title.setText(f"Edit plan from {long_date(plan.start_date)}")
        self.save_button.setText("Save plan")
        self._reload_physicians(plan.physician_id)
        self.referral_date.set_value(plan.referral_date)
        self.referral_reason.setText(plan.referral_reason)
        self.diagnoses.set_diagnoses([(d.code, d.description) for d in plan.diagnoses])
        self.start_date.set_value(plan.start_date)
        self.length.setValue(plan.length_weeks)
        self.count.setValue(plan.frequency_count)
        self.per_weeks.setValue(plan.frequency_weeks)
        self.reevaluation.set_value(plan.reevaluation_date)
        self._reevaluation_suggested = plan.reevaluation_date is None
        self._select_status(plan.status)
        self.status.setEnabled(True)
        self.status.setToolTip("Completing or discharging closes the plan for good")
        own = [p.text for p in plan.precautions if not p.from_alert]
        self.precautions.set_values(service.precautions_from_alerts(self.db, client.id), own)
        self.notes.setPlainText(plan.notes)
        self._after_load()

    def is_dirty(self) -> bool:
        return self.client is not None and self._snapshot() != self._loaded

    def focus_first_field(self) -> None:
        self.physician.setFocus(Qt.FocusReason.OtherFocusReason)

    def form(self) -> PlanForm | None:
        """The fields as a PlanForm, or None with the unreadable dates marked."""
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for name, field in (
            ("referral_date", self.referral_date),
            ("start_date", self.start_date),
            ("reevaluation_date", self.reevaluation),
        ):
            try:
                dates[name] = field.value()
            except ValueError as error:
                errors[name] = str(error)
        if not errors and dates["start_date"] is None:
            errors["start_date"] = "Enter the date the plan starts."
        if errors:
            self.show_errors(errors)
            return None
        start = dates["start_date"]
        assert start is not None
        return PlanForm(
            start_date=start,
            frequency_count=self.count.value(),
            frequency_weeks=self.per_weeks.value(),
            length_weeks=self.length.value(),
            physician_id=self.physician.currentData(),
            referral_date=dates["referral_date"],
            referral_reason=self.referral_reason.text(),
            reevaluation_date=dates["reevaluation_date"],
            diagnoses=self.diagnoses.codes(),
            precautions=self.precautions.own_precautions(),
            notes=self.notes.toPlainText(),
        )

    # The Save button writes on the op runner; `save()` writes at once, for Ctrl+S through
    # `ClientWorkspace.save()` and "Save them first?" before leaving the plan, which need to
    # know whether it saved.

    def save(self) -> Plan | None:
        """Create or update the plan now; on any error nothing is saved and the messages show."""
        return save_now(self, self._save_write, self._landed, self._refused, _changes)

    def save_soon(self) -> None:
        """Save on the op runner: the Save button and Ctrl+S (the window keeps answering)."""
        save_soon(self, self.buttons, self._save_write, self._landed, self._refused, _changes)

    def _save_write(self) -> Callable[[], Plan] | None:
        """The write that saves the form as it is now, or None (with the messages shown)."""
        if self.client is None:
            return None
        form = self.form()
        if form is None:
            return None
        if form.diagnoses and self.diagnoses.is_loading():
            self._save_pending = True
            self.waiting.setText("Saving once the ICD-10-CM code list has loaded…")
            return None
        db, client_id, plan = self.db, self.client.id, self.plan
        if plan is None:
            return lambda: service.create_plan(db, client_id, form)
        status = PlanStatus(self.status.currentData())
        changing = status != plan.status
        if changing and not self._may_change_status(status):
            return None

        def update() -> Plan:
            updated = service.update_plan(db, plan.id, form, expected_version=plan.version)
            if not changing:
                return updated
            return service.set_status(db, plan.id, status, expected_version=updated.version)

        return update

    def _landed(self) -> Callable[[Plan], None]:
        """Close the editor on the saved plan, unless the therapist typed meanwhile (the
        editor stays open on it, unsaved) or moved on to another plan."""
        opened, typed = self._opened, self._snapshot()

        def landed(plan: Plan) -> None:
            if opened != self._opened:
                return
            self.plan = plan
            if self._snapshot() != typed:
                self.save_button.setText("Save plan")
                return
            self._loaded = self._snapshot()
            self.saved.emit(plan)

        return landed

    def _refused(self, error: ValidationError) -> None:
        self.show_errors(error.errors)

    def show_errors(self, errors: dict[str, str]) -> None:
        shown: dict[str, str] = {}
        for key, message in errors.items():
            name = "diagnoses" if key.startswith("diagnoses") else FIELD_OF.get(key, key)
            shown[name] = f"{shown[name]} {message}" if name in shown else message
        # Each grid focuses its first error: go backwards so the topmost one keeps the focus.
        for grid in reversed(self._grids()):
            grid.show_errors(shown)

    def error_messages(self) -> dict[str, str]:
        """The messages on screen, by field (for tests and accessibility checks)."""
        return {
            name: label.message()
            for grid in self._grids()
            for name, label in grid.errors.items()
            if label.message()
        }

    # ------------------------------------------------------------------ helpers

    def _may_change_status(self, status: PlanStatus) -> bool:
        """Whether the plan may take this status: one active plan at a time (else the reason
        shows at the field), and closing it is confirmed."""
        assert self.plan is not None and self.client is not None
        if status == PlanStatus.ACTIVE:
            other = service.active_plan(self.db, self.client.id)
            if other is not None and other.id != self.plan.id:
                self.show_errors(
                    {
                        "status": f"The client already has an active plan (from "
                        f"{dates.day(other.start_date)}); put it on hold or complete it first."
                    }
                )
                return False
        return not status.closed or self._confirm_closing(status)

    def _confirm_closing(self, status: PlanStatus) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(CLOSING[status])
        box.setText(f"{CLOSING[status]}?")
        box.setInformativeText(
            f"A {status.label.lower()} plan can no longer be changed; a new episode of care "
            "gets a new plan."
        )
        close = box.addButton(CLOSING[status], QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        chosen = box.clickedButton() is close
        box.deleteLater()
        return chosen

    def _grids(self) -> tuple[FormGrid, ...]:
        return (self.referral, self.diagnosis_grid, self.schedule, self.precaution_grid)

    def _after_load(self) -> None:
        for grid in self._grids():
            grid.clear_errors()
        self.diagnoses.show_error("")
        self.waiting.clear()
        self._save_pending = False
        self._on_schedule_changed()
        self._loaded = self._snapshot()

    def _snapshot(self) -> tuple[object, ...]:
        return (
            self.physician.currentData(),
            self.referral_date.text(),
            self.referral_reason.text(),
            self.diagnoses.codes(),
            self.start_date.text(),
            self.length.value(),
            self.count.value(),
            self.per_weeks.value(),
            self.reevaluation.text(),
            self.status.currentData(),
            self.precautions.own_precautions(),
            self.notes.toPlainText(),
        )

    def _select_status(self, status: PlanStatus) -> None:
        self.status.setCurrentIndex(self.status.findData(PlanStatus(status).value))

    def _reload_physicians(self, selected: int | None) -> None:
        self.physician.clear()
        self.physician.addItem("No referring physician", None)
        for physician in clients.list_physicians(self.db):
            self.physician.addItem(physician.display, physician.id)
        if selected is not None and self.physician.findData(selected) < 0:
            archived = clients.get_physician(self.db, selected)
            self.physician.addItem(f"{archived.display} (archived)", archived.id)
        self.physician.setCurrentIndex(max(0, self.physician.findData(selected)))

    # ------------------------------------------------------------------ handlers

    def _on_schedule_changed(self) -> None:
        count, weeks, length = self.count.value(), self.per_weeks.value(), self.length.value()
        self.count_word.setText("visit per" if count == 1 else "visits per")
        self.per_word.setText("week" if weeks == 1 else "weeks")
        try:
            start = self.start_date.value()
        except ValueError:
            start = None
        if start is None or length < 1:
            self.end_label.setText("")
        else:
            self.end_label.setText(f"ends {long_date(plan_end(start, length))}")
        planned = -(-count * length // weeks) if length >= 1 and count >= 1 else 0
        self.visits_label.setText(f"{planned} visit{'s' if planned != 1 else ''} in all")
        if self._reevaluation_suggested and start is not None and length >= 1:
            self.reevaluation.set_value(suggested_reevaluation(start, length))
            self.reevaluation.setToolTip("Suggested: half-way through, at most 4 weeks in")

    def _on_code_list_ready(self) -> None:
        if self._save_pending:
            self._save_pending = False
            self.waiting.clear()
            self.save_soon()

    def _on_diagnoses_results_shown(self) -> None:
        # The tab can be short at 1280x720: keep the search box and its matches in view.
        QTimer.singleShot(0, self._scroll_to_results)

    def _scroll_to_results(self) -> None:
        top = self.diagnoses.search.mapTo(self.scroll.widget(), QPoint(0, 0)).y()
        self.scroll.verticalScrollBar().setValue(top - 8)  # search box on top, matches below

    def _on_reevaluation_edited(self) -> None:
        self._reevaluation_suggested = False

    def _on_add_physician_clicked(self) -> None:
        dialog = PhysicianDialog(self.db, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._reload_physicians(dialog.saved.id)
        dialog.deleteLater()

    def _on_cancel_clicked(self) -> None:
        self.cancelled.emit()


def _changes(plan: Plan) -> Changes:
    return Changes.of("plan", client_id=plan.client_id)
