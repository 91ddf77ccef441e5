"""The SOAP note form of the visit editor: its fields built, read back, filled and marked.

`NoteForm` is the half of `VisitEditor` that knows the widgets; the editor itself (lifecycle,
storing, signing, fast entry) is in `ui/visits/editor.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from practice.techniques.library import techniques_by_code
from practice.visits.records import (
    PLACES_OF_SERVICE,
    SoapNote,
    VisitDraft,
    VisitForm,
    VisitStatus,
)
from practice.visits.validation import MAX_VISIT_MINUTES
from ui import icons, theme
from ui.visits.entries import EntryList, TreatmentRow, TriggerPointRow
from ui.visits.note_view import (
    ASSESSMENT,
    OBJECTIVE,
    PLAN,
    SUBJECTIVE,
    TENDERNESS,
    NoteView,
    place_label,
)
from ui.visits.visit_extras import VisitChartAndMeasures
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
from ui.widgets.scrolling import ScrollingBody

SIGNED_LOCK = "Signed notes can no longer be edited; corrections become amendments."
IMPORTED_LOCK = (
    "Imported visits are kept as they came and cannot be edited; corrections become amendments."
)


SCORES = ("pain_before", "pain_after")
LONG_TEXTS = {"complaint": 2, "response": 2, "home_care": 2}
PLACEHOLDERS = {
    "complaint": "In the client's words: where, since when, what makes it worse or better",
    "changes_since_last": "Better, worse, the same; after-effects of the last visit",
    "medication_changes": "New, stopped or changed",
    "goals_today": "What the client wants from today",
    "posture": "Forward head, elevated shoulder, guarding …",
    "tone": "Hypertonic, hypotonic, normal",
    "texture": "Adhesions, swelling, warmth, scars",
    "taut_bands": "Muscles with taut bands",
    "range_of_motion": "Measured, or as % of normal",
    "response": "How the tissue and the client responded",
    "released": "Trigger points or areas that released",
    "not_released": "What stayed resistant",
    "next_focus": "What to work on next time",
    "frequency": "e.g. 1x/week x 4",
    "home_care": "Stretches, heat or ice, posture breaks …",
    "referrals": "Physician, physiotherapist …",
}
_ENTRY_KEY = re.compile(r"^(treatments|trigger_points)\[(\d+)\](?:\.(\w+))?$")
TextField = QLineEdit | QPlainTextEdit


def _text(widget: TextField) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def _set_text(widget: TextField, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    else:
        widget.setText(value)


def _score_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(-1, 10)
    box.setSpecialValueText("Not recorded")
    box.setSuffix(" / 10")
    box.setFixedWidth(128)
    box.setToolTip("Pain on the 0-10 numeric rating scale (NRS)")
    return box


@dataclass(slots=True)
class _Collected:
    """What the form holds, and the messages for what could not be read (dates)."""

    draft: VisitDraft
    errors: dict[str, str]


def _now() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)


class NoteForm:
    """The form's widgets (built into the editor) and what reads, fills and marks them.

    A mixin of `VisitEditor` (a QWidget): it uses the editor's `db`, `client`, `record`,
    `_alerts`, `_loading` and its handlers, and gives it the fields (`subjective`, `objective`,
    `treatments` ...), `_collect()`, `_fill()` and the error marks.
    """

    def _build_form_page(self) -> QWidget:
        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(16, 0, 16, 16)
        body.setSpacing(8)
        self.visit_grid = self._build_visit()
        self.subjective = self._text_grid(SUBJECTIVE)
        self.objective = self._text_grid(OBJECTIVE)
        self.trigger_points = EntryList(
            TriggerPointRow, "Add trigger point", "No trigger points recorded.", spacing=4
        )
        self.objective.add("trigger_points", "Trigger points", self.trigger_points)
        self.assessment = self._text_grid(ASSESSMENT)
        self.plan = self._text_grid(PLAN)
        self.treatments = EntryList(
            self._make_treatment_row, "Add treatment", "No treatment logged yet.", spacing=16
        )
        self.from_plan_button = QPushButton(icons.icon("clipboard-list"), "From plan")
        self.from_plan_button.setToolTip("Add treatment entries from the client's active plan")
        self.from_plan_button.setMenu(QMenu(self.from_plan_button))
        self.from_plan_button.hide()
        self.treatments.footer.insertWidget(1, self.from_plan_button)
        self.total = QLabel()
        self.total.setAccessibleName("Treatment minutes")
        self.treatments.footer.addWidget(self.total)
        self.extras = VisitChartAndMeasures(self.db, self._ensure_visit)
        self.extras.chart_requested.connect(self.chart_requested)
        self.extras.measures_changed.connect(self._on_extras_measures_changed)
        for title, content in (
            ("Visit", self.visit_grid),
            ("Subjective", self.subjective),
            ("Objective", self.objective),
            ("Body chart and measures", self.extras),
            ("Treatment", self._build_treatment()),
            ("Assessment", self.assessment),
            ("Plan", self.plan),
        ):
            body.addSpacing(16)
            body.addWidget(section_title(title))
            body.addWidget(content)
        body.addStretch(1)
        align_captions(self._grids())
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._body)

        self.form_error = ErrorLabel()
        self.saved_label = muted("", wrap=False)
        self.save_button = QPushButton(icons.icon("save"), "Save draft")
        self.save_button.setToolTip("Save the draft (Ctrl+Enter or Ctrl+S); it stays editable")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.sign_button = QPushButton(
            icons.icon("file-signature", theme.colours().accent_text), "Sign…"
        )
        self.sign_button.setProperty("primary", True)
        self.sign_button.setToolTip("Sign the note; it can then only be amended")
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 16)
        bar.setSpacing(8)
        bar.addWidget(self.saved_label)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.sign_button)
        error_row = QHBoxLayout()
        error_row.setContentsMargins(16, 8, 16, 0)
        error_row.addWidget(self.form_error)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._line())
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._line())
        layout.addLayout(error_row)
        layout.addLayout(bar)
        return page

    @staticmethod
    def _line() -> QFrame:
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {theme.colours().border};")
        return rule

    def _build_visit(self) -> FormGrid:
        grid = FormGrid(columns=2)
        self.visit_date = DateField()
        self.visit_date.setFixedWidth(128)
        self.start_time = QTimeEdit()
        self.start_time.setDisplayFormat("HH:mm")
        self.start_time.setFixedWidth(88)
        # As tall as the date beside it: the row's height, given by the layout once styled.
        self.start_time.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.visit_date)
        row.addWidget(self.start_time)
        row.addStretch(1)
        grid.add("starts_at", "Date and time", when)
        grid.fields["starts_at"] = self.visit_date
        self.visit_date.setAccessibleName("Visit date")
        self.start_time.setAccessibleName("Visit time")
        self.duration = QSpinBox()
        self.duration.setRange(1, MAX_VISIT_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.duration.setFixedWidth(112)
        grid.add("duration_minutes", "Duration", self.duration)
        self.place = QComboBox()
        for code in PLACES_OF_SERVICE:
            self.place.addItem(place_label(code), code)
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.place.setMinimumContentsLength(16)
        grid.add("place_of_service", "Place", self.place)
        self.visit_status = QComboBox()
        for status in VisitStatus:
            self.visit_status.addItem(status.label, status)
        self.visit_status.setFixedWidth(144)
        grid.add("status", "Status", self.visit_status)
        layout = grid.layout()
        assert isinstance(layout, QGridLayout)
        layout.setColumnMinimumWidth(2, 0)  # the right-hand captions: only as wide as needed
        return grid

    def _text_grid(self, fields: tuple[tuple[str, str], ...]) -> FormGrid:
        grid = FormGrid()
        for name, label in fields:
            if name in SCORES:
                grid.add(name, label, _score_box())
            elif name == "tenderness_grade":
                combo = QComboBox()
                combo.addItem("Not graded", None)
                for grade, text in TENDERNESS.items():
                    combo.addItem(text, grade)
                combo.setToolTip("Tenderness grade 0 to IV (Hubbard & Berkoff 1993)")
                combo.setFixedWidth(320)
                grid.add(name, label, combo)
            elif name == "re_evaluation_on":
                field = DateField()
                field.setFixedWidth(128)
                grid.add(name, label, field)
            elif name in LONG_TEXTS:
                grid.add(name, label, text_box(PLACEHOLDERS.get(name, ""), LONG_TEXTS[name]))
            else:
                grid.add(name, label, line(PLACEHOLDERS.get(name, ""), 500))
        return grid

    def _build_treatment(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.deep_alerts = QWidget()
        self.deep_alerts.setToolTip(
            "Deep or point-pressure work for this client asks for an acknowledgement"
        )
        self._deep_alert_chips = QHBoxLayout(self.deep_alerts)
        self._deep_alert_chips.setContentsMargins(0, 0, 0, 4)
        self._deep_alert_chips.setSpacing(8)
        layout.addWidget(self.deep_alerts)
        layout.addWidget(
            muted("Technique × regions × minutes, with pressure (1 light to 5 very deep).")
        )
        self.plan_line = QLabel()
        self.plan_line.setObjectName("PlanLine")
        self.plan_line.setTextFormat(Qt.TextFormat.PlainText)
        self.plan_line.setWordWrap(True)
        self.plan_line.setStyleSheet(
            f"#PlanLine {{ background: {theme.colours().info_bg}; color: {theme.colours().text};"
            f" border-left: 3px solid {theme.colours().info}; border-radius: 4px;"
            " padding: 6px 10px; }"
        )
        self.plan_line.hide()
        layout.addWidget(self.plan_line)
        layout.addWidget(self.treatments)
        return box

    def _build_signed_page(self) -> QWidget:
        self.note_view = NoteView()
        self.amend_button = QPushButton(
            icons.icon("pencil", theme.colours().accent_text), "Add amendment…"
        )
        self.amend_button.setProperty("primary", True)
        self.amend_button.setToolTip("Add a dated correction below the signed note")
        self.amend_button.clicked.connect(self._on_amend_button_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 16)
        self.locked_note = muted(SIGNED_LOCK)
        bar.addWidget(self.locked_note, 1)
        bar.addWidget(self.amend_button)
        self.signed_extras = VisitChartAndMeasures(self.db, lambda: self.record)
        self.signed_extras.chart_requested.connect(self.chart_requested)
        body = QWidget()
        middle = QVBoxLayout(body)
        middle.setContentsMargins(0, 0, 8, 0)
        middle.setSpacing(8)
        middle.addWidget(self.note_view)
        middle.addWidget(self.signed_extras)
        middle.addStretch(1)
        self.signed_scroll = ScrollingBody(body)  # one scroll for the note and what follows
        self.signed_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys scroll the note
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 8, 16, 0)
        layout.setSpacing(8)
        layout.addWidget(self.signed_scroll, 1)
        layout.addLayout(bar)
        return page

    def _make_treatment_row(self, number: int) -> TreatmentRow:
        if not self._library:
            self._library = techniques_by_code(self.db)
        row = TreatmentRow(number, self._library)
        row.deep_work_chosen.connect(self._on_treatment_row_deep_work_chosen)
        return row

    def _grids(self) -> tuple[FormGrid, ...]:
        return (self.visit_grid, self.subjective, self.objective, self.assessment, self.plan)

    def _note_grid_fields(self) -> dict[str, QWidget]:
        return {
            name: widget
            for grid in self._grids()[1:]
            for name, widget in grid.fields.items()
            if name != "trigger_points"
        }

    def _connect_changes(self) -> None:
        for widget in self._note_grid_fields().values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.textChanged.connect(self._on_field_changed)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._on_field_changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._on_field_changed)
        self.visit_date.textChanged.connect(self._on_field_changed)
        self.start_time.timeChanged.connect(self._on_field_changed)
        self.duration.valueChanged.connect(self._on_field_changed)
        self.place.currentIndexChanged.connect(self._on_field_changed)
        self.visit_status.currentIndexChanged.connect(self._on_field_changed)
        for entries in (self.trigger_points, self.treatments):
            entries.changed.connect(self._on_field_changed)
            entries.rows_changed.connect(self._update_tab_order)

    def _update_tab_order(self) -> None:
        chain: list[QWidget] = [self.start_button, self.templates_button]
        for grid in self._grids():
            for name, widget in grid.fields.items():
                if name == "trigger_points":
                    chain += self._entry_chain(self.trigger_points)
                elif name == "starts_at":
                    chain += [self.visit_date, self.start_time]
                else:
                    chain.append(widget)
            if grid is self.objective:
                chain += self._entry_chain(self.treatments)
                chain.append(self.from_plan_button)
        chain += [self.save_button, self.sign_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _entry_chain(entries: EntryList) -> list[QWidget]:
        chain: list[QWidget] = []
        for row in entries.rows():
            chain += [*row.editors(), row.remove_button]
        return [*chain, entries.add_button]

    def _fill(self, draft: VisitDraft) -> None:
        self._loading = True
        visit = draft.visit
        local = visit.starts_at.astimezone()
        self.visit_date.set_value(local.date())
        self.start_time.setTime(QTime(local.hour, local.minute))
        self.duration.setValue(visit.duration_minutes)
        self.place.setCurrentIndex(max(self.place.findData(visit.place_of_service), 0))
        self.visit_status.setCurrentIndex(max(self.visit_status.findData(visit.status), 0))
        note = draft.note
        for name, widget in self._note_grid_fields().items():
            value = getattr(note, name)
            if name in SCORES:
                assert isinstance(widget, QSpinBox)
                widget.setValue(-1 if value is None else value)
            elif name == "tenderness_grade":
                assert isinstance(widget, QComboBox)
                widget.setCurrentIndex(max(widget.findData(value), 0))
            elif isinstance(widget, DateField):
                widget.set_value(value)
            else:
                assert isinstance(widget, QLineEdit | QPlainTextEdit)
                _set_text(widget, value)
        self.trigger_points.clear()
        for point in note.trigger_points:
            self.trigger_points.add_row().set_value(point)
        self.treatments.clear()
        for entry in draft.treatments:
            self.treatments.add_row().set_value(entry, self._alerts)
        self._clear_errors()
        self._loading = False
        self._update_total()

    def _update_total(self) -> None:
        total = sum(row.minutes.value() for row in self.treatments.filled())
        duration = self.duration.value()
        over = total - duration
        text = f"Treatment {total} of {duration} minutes"
        if over > 0:
            text += f": {over} more than the visit"
        self.total.setText(text)
        colour = theme.colours().danger if over > 0 else theme.colours().muted
        self.total.setStyleSheet(f"color: {colour};")

    def _collect(self) -> _Collected:
        errors: dict[str, str] = {}
        try:
            day = self.visit_date.value()
        except ValueError as error:
            day, errors["starts_at"] = None, str(error)
        else:
            if day is None:
                errors["starts_at"] = "Enter the date of the visit."
        fallback = (self.record.visit.starts_at if self.record else _now()).astimezone()
        starts_at = datetime.combine(
            day or fallback.date(), self.start_time.time().toPython()
        ).astimezone()
        visit = VisitForm(
            starts_at=starts_at,
            duration_minutes=self.duration.value(),
            place_of_service=self.place.currentData(),
            status=VisitStatus(self.visit_status.currentData()),
        )
        values: dict[str, object] = {}
        for name, widget in self._note_grid_fields().items():
            if name in SCORES:
                assert isinstance(widget, QSpinBox)
                values[name] = None if widget.value() < 0 else widget.value()
            elif name == "tenderness_grade":
                assert isinstance(widget, QComboBox)
                values[name] = widget.currentData()
            elif isinstance(widget, DateField):
                try:
                    values[name] = widget.value()
                except ValueError as error:
                    values[name], errors[name] = None, str(error)
            else:
                assert isinstance(widget, QLineEdit | QPlainTextEdit)
                values[name] = _text(widget)
        points = tuple(row.value() for row in self.trigger_points.filled())
        note = SoapNote(trigger_points=points, **values)  # type: ignore[arg-type]
        treatments = tuple(row.value() for row in self.treatments.filled())
        return _Collected(VisitDraft(visit, note, treatments), errors)

    def _clear_errors(self) -> None:
        for grid in self._grids():
            grid.clear_errors()
        self.trigger_points.show_errors({})
        self.treatments.show_errors({})
        self.form_error.set_message("")

    def _show_errors(self, errors: dict[str, str]) -> None:
        remaining = dict(errors)
        focus: list[QWidget] = []
        for grid in self._grids():
            mine = {k: remaining.pop(k) for k in list(remaining) if k in grid.fields}
            grid.show_errors(mine)
            focus += [grid.fields[k] for k in mine]
        by_row: dict[str, dict[int, dict[str, str]]] = {"treatments": {}, "trigger_points": {}}
        for key in list(remaining):
            match = _ENTRY_KEY.match(key)
            if match:
                kind, index, field = match.groups()
                field = field or TriggerPointRow.FIELDS[0]
                by_row[kind].setdefault(int(index), {})[field] = remaining.pop(key)
        focus += self.trigger_points.show_errors(
            by_row["trigger_points"], remaining.pop("trigger_points", "")
        )
        list_message = remaining.pop("treatments", "")
        focus += self.treatments.show_errors(by_row["treatments"], list_message)
        if list_message:
            focus.append(self.treatments.add_button)
        self.form_error.set_message(
            " ".join(remaining.values()) or "Nothing was saved. Fix the marked fields first."
        )
        focus_topmost(focus, self._body, self._scroll)
