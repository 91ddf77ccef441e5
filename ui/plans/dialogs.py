"""Small dialogs of the plan: a goal, a planned technique, and the deep-work acknowledgement."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practice.clients import service as clients
from practice.clients.rules import Alert, AlertLevel
from practice.errors import ValidationError
from practice.plans import goals, service
from practice.plans.records import Goal, GoalForm, GoalKind, PlannedTechnique, PlannedTechniqueForm
from practice.plans.service import MAX_PLANNED_MINUTES
from practice.plans.trigger_points import load_catalogue
from practice.store import Database
from practice.techniques import library as techniques
from practice.techniques.records import Technique, TechniqueCategory
from practice.visits import outcomes
from practice.visits.records import PRESSURE_LABELS
from ui.ops import accept_when_written, holding
from ui.plans.chips import Chip
from ui.visits.regions import RegionPicker
from ui.widgets.alerts import STYLE
from ui.widgets.forms import ErrorLabel, FormGrid, line, muted, section_title

NEW_PSFS_ACTIVITY = "psfs:"  # combo data of "PSFS: another activity…"
DEFAULT_MINUTES = 15
DEFAULT_PRESSURE = 3
ACKNOWLEDGE_TEXT = "I have considered this and plan the technique anyway"


class _Dialog(QDialog):
    """24 px margins, a form, an error line and Save / Cancel; Enter saves, Escape cancels."""

    def __init__(self, title: str, save_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 24, 24, 16)
        self.body.setSpacing(8)
        self.form = FormGrid()
        self.problem = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    def _finish(self) -> None:
        self.body.addWidget(self.form)
        self.body.addWidget(self.problem)
        self.body.addSpacing(8)
        self.body.addWidget(self.buttons)

    def _show_errors(self, errors: dict[str, str]) -> None:
        shown = {k: v for k, v in errors.items() if k in self.form.fields}
        self.form.show_errors(shown)
        self.problem.set_message(" ".join(v for k, v in errors.items() if k not in shown))

    def _on_save(self) -> None:
        raise NotImplementedError

    def _write(self, work: Callable[[], Any], refused: Callable[[ValidationError], None]) -> None:
        """Save on the op runner; the dialog closes with `saved` once it lands (the plan tab,
        which opened it, announces the change)."""
        accept_when_written(self, self.buttons, work, refused)

    def reject(self) -> None:
        """Escape waits for a save on its way: it closes the dialog when it lands."""
        if not holding(self.buttons):
            super().reject()


def _number(text: str) -> float | None:
    """A typed score: '7', '6.5' or '6,5'; None when empty; ValueError when unreadable."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number; type a score such as 7 or 6.5.") from None


# ---------------------------------------------------------------- goals


class GoalDialog(_Dialog):
    """A measurable goal (measure, baseline, target) or a functional one in words."""

    def __init__(
        self,
        db: Database,
        client_id: int,
        plan_id: int,
        goal: Goal | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit goal" if goal else "New goal", "Save goal", parent)
        self.db, self.plan_id, self.goal = db, plan_id, goal
        self.saved: Goal | None = None
        self.custom = {
            m.definition_id: m for m in outcomes.custom_measures(db) if m.definition_id is not None
        }
        self.measurable = QRadioButton("&Measurable: scored on an outcome measure")
        self.functional = QRadioButton("F&unctional: an activity, in words")
        kinds = QButtonGroup(self)
        for button in (self.measurable, self.functional):
            kinds.addButton(button)
            button.toggled.connect(self._on_kind_toggled)
        kind_box = QWidget()
        kb = QVBoxLayout(kind_box)
        kb.setContentsMargins(0, 0, 0, 0)
        kb.setSpacing(0)
        kb.addWidget(self.measurable)
        kb.addWidget(self.functional)
        self.form.add("kind", "&Kind", kind_box)
        self.form.fields["kind"] = self.measurable

        self.measure = QComboBox()
        for measure in goals.GOAL_MEASURES:
            self.measure.addItem(measure.name, measure.code)
        for activity in outcomes.psfs_activities(db, client_id):
            self.measure.addItem(f"PSFS: {activity}", goals.psfs_item_code(activity))
        self.measure.addItem("PSFS: another activity…", NEW_PSFS_ACTIVITY)
        for definition_id, measure in self.custom.items():
            self.measure.addItem(measure.name, f"{goals.CUSTOM_PREFIX}{definition_id}")
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        self.form.add("measure", "Mea&sure", self.measure)
        self.activity: QLineEdit = self.form.add(  # type: ignore[assignment]
            "activity", "&Activity", line("Climbing stairs, lifting a child …", 120)
        )
        self.baseline: QLineEdit = self.form.add("baseline", "&Baseline", line())  # type: ignore[assignment]
        self.target: QLineEdit = self.form.add("target", "&Target", line())  # type: ignore[assignment]
        self.scale = muted("")
        self.body.addWidget(self.scale)
        self.text: QLineEdit = self.form.add(  # type: ignore[assignment]
            "text", "&Goal", line("Carry the groceries upstairs without pain", 300)
        )
        for field in (self.baseline, self.target):
            field.setMaxLength(8)
            field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._finish()
        if goal is None:
            self.measurable.setChecked(True)
        else:
            (self.measurable if goal.kind == GoalKind.MEASURABLE else self.functional).setChecked(
                True
            )
            self._select_measure(goal.measure)
            self.baseline.setText(f"{goal.baseline:g}" if goal.baseline is not None else "")
            self.target.setText(f"{goal.target:g}" if goal.target is not None else "")
            self.text.setText(goal.text)
        self._on_kind_toggled()

    def value(self) -> GoalForm:
        """The fields as a GoalForm; ValueError names a field whose number cannot be read."""
        if self.functional.isChecked():
            return GoalForm(GoalKind.FUNCTIONAL, text=self.text.text())
        code = self.measure.currentData()
        if code == NEW_PSFS_ACTIVITY:
            code = (
                goals.psfs_item_code(self.activity.text()) if self.activity.text().strip() else ""
            )
        numbers: dict[str, float | None] = {}
        for name, field in (("baseline", self.baseline), ("target", self.target)):
            try:
                numbers[name] = _number(field.text())
            except ValueError as error:
                raise ValueError(name, str(error)) from None
        return GoalForm(GoalKind.MEASURABLE, self.text.text(), code, **numbers)

    def _select_measure(self, code: str) -> None:
        index = self.measure.findData(code)
        if index < 0 and code.startswith(goals.PSFS_ITEM_PREFIX):
            self.measure.insertItem(self.measure.count() - 1, goals.measure_label(code), code)
            index = self.measure.findData(code)
        self.measure.setCurrentIndex(max(0, index))

    def _on_kind_toggled(self) -> None:
        measurable = self.measurable.isChecked()
        for name in ("measure", "baseline", "target"):
            self._set_row_visible(name, measurable)
        self._set_row_visible("activity", measurable and self._new_activity())
        self.scale.setVisible(measurable)
        self.text.setPlaceholderText(
            "Optional note: why this target matters to the client"
            if measurable
            else "Carry the groceries upstairs without pain"
        )
        self._on_measure_changed()

    def _new_activity(self) -> bool:
        return self.measure.currentData() == NEW_PSFS_ACTIVITY

    def _set_row_visible(self, name: str, visible: bool) -> None:
        field = self.form.fields[name]
        field.parentWidget().setVisible(visible)
        for caption in self.form.findChildren(QLabel):
            if caption.buddy() is field:
                caption.setVisible(visible)

    def _on_measure_changed(self) -> None:
        self._set_row_visible("activity", self.measurable.isChecked() and self._new_activity())
        code = self.measure.currentData()
        measure = goals.goal_measure(
            goals.PSFS_ITEM_PREFIX + "x" if code == NEW_PSFS_ACTIVITY else code, self.custom
        )
        if measure is None:
            self.scale.clear()
            return
        scale = f"{measure.minimum:g} to {measure.maximum:g}"
        better = "higher" if measure.higher_is_better else "lower"
        unit = f" {measure.unit}" if measure.unit else ""
        self.scale.setText(f"{measure.name}: {scale}{unit}, {better} is better.")
        for field in (self.baseline, self.target):
            field.setPlaceholderText(scale)

    def _on_save(self) -> None:
        try:
            form = self.value()
        except ValueError as error:
            field, message = error.args
            self._show_errors({field: message})
            return
        db, plan_id, goal = self.db, self.plan_id, self.goal
        if goal is None:
            self._write(lambda: service.add_goal(db, plan_id, form), self._refused)
        else:
            self._write(lambda: service.update_goal(db, goal.id, form), self._refused)

    def _refused(self, error: ValidationError) -> None:
        errors = dict(error.errors)
        if self._new_activity() and "measure" in errors:
            errors["activity"] = "Name the PSFS activity, in the client's words."
            del errors["measure"]
        self._show_errors(errors)


# ---------------------------------------------------------------- planned techniques


class TechniqueCombo(QComboBox):
    """The library's techniques under a heading per category; headings cannot be chosen."""

    def __init__(self, library: Sequence[Technique], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        model = QStandardItemModel(self)
        by_category: dict[TechniqueCategory, list[Technique]] = {}
        for technique in library:
            by_category.setdefault(technique.category, []).append(technique)
        for category in TechniqueCategory:
            if category not in by_category:
                continue
            heading = QStandardItem(category.label)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            font = heading.font()
            font.setWeight(font.Weight.DemiBold)
            heading.setFont(font)
            model.appendRow(heading)
            for technique in by_category[category]:
                flags = [
                    w
                    for w, on in (
                        ("deep", technique.deep),
                        ("point pressure", technique.point_pressure),
                    )
                    if on
                ]
                item = QStandardItem(f"    {technique.name}")
                item.setData(technique.code, Qt.ItemDataRole.UserRole)
                item.setToolTip(technique.description + (f" ({', '.join(flags)})" if flags else ""))
                model.appendRow(item)
        self.setModel(model)
        self.setPlaceholderText("Choose a technique")
        self.setCurrentIndex(-1)
        self.setMaxVisibleItems(18)

    def code(self) -> str:
        return self.currentData() or ""

    def select(self, code: str) -> None:
        self.setCurrentIndex(self.findData(code))


def muscle_combo() -> QComboBox:
    """Every catalogue muscle by side, type to find ('trap' finds both trapezius parts)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", "")
    for muscle in sorted(load_catalogue().muscles, key=lambda m: (m.name, m.label)):
        combo.addItem(muscle.label, muscle.key)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.lineEdit().setPlaceholderText("Optional: a muscle of the trigger point catalogue")
    return combo


class PlannedTechniqueDialog(_Dialog):
    """A technique on regions or a muscle; deep work under an alert asks for acknowledgement."""

    def __init__(
        self,
        db: Database,
        client_id: int,
        plan_id: int,
        muscle: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Plan a technique", "Add to plan", parent)
        self.db, self.client_id, self.plan_id = db, client_id, plan_id
        self.saved: PlannedTechnique | None = None
        self.acknowledged: frozenset[str] = frozenset()
        self.acknowledge_dialog: AcknowledgeDialog | None = None
        self.alerts = clients.alerts_for(db, client_id)
        self.library = {t.code: t for t in techniques.list_techniques(db)}
        self.technique = TechniqueCombo(list(self.library.values()))
        self.form.add("technique", "&Technique", self.technique)
        self.regions = RegionPicker()
        self.form.add("regions", "&Regions", self.regions)
        self.muscle = muscle_combo()
        self.form.add("muscle", "M&uscle", self.muscle)
        self.pressure = QComboBox()
        for level, label in PRESSURE_LABELS.items():
            self.pressure.addItem(f"{level} · {label}", level)
        self.pressure.setCurrentIndex(self.pressure.findData(DEFAULT_PRESSURE))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_PLANNED_MINUTES)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.minutes.setFixedWidth(96)
        dose = QWidget()
        dr = QHBoxLayout(dose)
        dr.setContentsMargins(0, 0, 0, 0)
        dr.setSpacing(8)
        dr.addWidget(self.pressure, 1)
        minutes_label = QLabel("for")
        dr.addWidget(minutes_label)
        dr.addWidget(self.minutes)
        self.form.add("pressure", "&Pressure", dose)
        self.form.fields["pressure"] = self.pressure
        self.pressure.setAccessibleName("Pressure")
        self.minutes.setAccessibleName("Minutes")
        self.notes: QLineEdit = self.form.add(  # type: ignore[assignment]
            "notes", "&Notes", line("Slow, client-guided pressure …", 300)
        )
        self.warning = QLabel()
        self.warning.setProperty("alert", "caution")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.hide()
        self._finish()
        self.body.insertWidget(self.body.indexOf(self.problem), self.warning)
        if muscle:
            self.muscle.setCurrentIndex(max(0, self.muscle.findData(muscle)))
        self.technique.currentIndexChanged.connect(self._on_choice_changed)
        self.pressure.currentIndexChanged.connect(self._on_choice_changed)

    def value(self) -> PlannedTechniqueForm:
        index = self.muscle.findText(self.muscle.currentText().strip())
        muscle = self.muscle.itemData(index) if index >= 0 else self.muscle.currentText().strip()
        return PlannedTechniqueForm(
            technique=self.technique.code(),
            minutes=self.minutes.value(),
            pressure=self.pressure.currentData(),
            regions=self.regions.regions(),
            muscle=muscle or "",
            notes=self.notes.text(),
            acknowledged=self.acknowledged,
        )

    def _show_errors(self, errors: dict[str, str]) -> None:
        errors = dict(errors)
        if "minutes" in errors:
            minutes = errors.pop("minutes")
            errors["pressure"] = f"{errors.get('pressure', '')} {minutes}".strip()
        super()._show_errors(errors)

    def needed(self) -> list[Alert]:
        """The alerts this choice must acknowledge (none for light work or no alerts)."""
        technique = self.library.get(self.technique.code())
        if technique is None:
            return []
        return service.acknowledgements_needed(technique, self.pressure.currentData(), self.alerts)

    def _on_choice_changed(self) -> None:
        needed = self.needed()
        self.acknowledged = frozenset()
        if needed:
            titles = "; ".join(f"{a.title} ({a.level})" for a in needed)
            self.warning.setText(
                f"⚠ Deep or point-pressure work under the client's alerts: {titles}. "
                "You will be asked to acknowledge before it is planned."
            )
        self.warning.setVisible(bool(needed))

    def _on_save(self) -> None:
        missing = [a for a in self.needed() if a.rule not in self.acknowledged]
        if missing:
            technique = self.library[self.technique.code()]
            self.acknowledge_dialog = AcknowledgeDialog(technique.name, missing, self)
            self.acknowledge_dialog.accepted.connect(self._on_acknowledged)
            self.acknowledge_dialog.open()
            return
        db, plan_id, form = self.db, self.plan_id, self.value()
        self._write(
            lambda: service.add_planned_technique(db, plan_id, form),
            lambda error: self._show_errors(error.errors),
        )

    def _on_acknowledged(self) -> None:
        dialog = self.acknowledge_dialog
        if dialog is not None:
            self.acknowledged |= frozenset(a.rule for a in dialog.alerts)
            dialog.deleteLater()
            self.acknowledge_dialog = None
        self._on_save()


class AcknowledgeDialog(QDialog):
    """Each alert against the technique with why and what to do; acknowledging needs a tick."""

    def __init__(self, technique: str, alerts: Sequence[Alert], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.alerts = tuple(alerts)
        self.setWindowTitle("Deep work despite an alert")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title(f"{technique} is restricted for this client"))
        layout.addWidget(
            muted(
                "The intake has alerts against deep, point-pressure, friction, cupping or "
                "instrument work. Read each one before you plan it:"
            )
        )
        for alert in self.alerts:
            layout.addWidget(_AlertCard(alert))
        self.considered = QCheckBox(ACKNOWLEDGE_TEXT)
        self.considered.setAccessibleName(ACKNOWLEDGE_TEXT)
        self.considered.toggled.connect(self._on_considered_toggled)
        layout.addSpacing(8)
        layout.addWidget(self.considered)
        layout.addWidget(
            muted(
                "Your name and the time are recorded with the planned technique and in the "
                "audit trail. Otherwise choose a lighter technique or pressure."
            )
        )
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            "Choose another technique", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.acknowledge_button = buttons.addButton(
            "Acknowledge and plan", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.acknowledge_button.setProperty("primary", True)
        self.acknowledge_button.setEnabled(False)
        self.cancel_button.setDefault(True)  # Enter takes the safe way out
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def _on_considered_toggled(self, checked: bool) -> None:
        self.acknowledge_button.setEnabled(checked)


class _AlertCard(QWidget):
    def __init__(self, alert: Alert) -> None:
        super().__init__()
        kind, _icon, word = STYLE[alert.level]
        self.setObjectName("AlertRow")
        self.setProperty("level", kind)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        head = QHBoxLayout()
        head.setSpacing(8)
        chip_kind = "danger" if alert.level == AlertLevel.BLOCK else "warning"
        head.addWidget(Chip(f"⚠ {word}", chip_kind))
        title = QLabel(alert.title)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        head.addWidget(title, 1)
        layout.addLayout(head)
        for text in (
            f"Reported: {alert.detail}" if alert.detail else "",
            f"Why: {alert.why}",
            f"What to do: {alert.action}",
        ):
            if text:
                label = QLabel(text)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                layout.addWidget(label)
