"""The client's Plan tab: the plans on the left, the chosen plan on the right with its progress.

The right side shows one plan (progress card with visits, re-evaluation and goals; referral,
diagnoses, planned techniques, precautions, possible sources from the latest body chart) or
the plan editor in the same place. Goals and techniques are added through small dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap import service as bodymap
from practice.bodymap.service import BodyChart
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client
from practice.plans import service
from practice.plans.course import Course, plan_course
from practice.plans.records import (
    Goal,
    GoalStatus,
    Plan,
    PlannedTechnique,
    PlanStatus,
)
from practice.plans.trigger_points import load_catalogue
from practice.store import Database
from practice.visits.records import PRESSURE_LABELS
from ui import icons, theme
from ui.bodymap.sources import PossibleSourcesPanel
from ui.ops import QueryOp, Refresh, WriteOp, runner
from ui.plans.chips import PLAN_STATUS, Chip
from ui.plans.diagnoses import POINTERS, code_list
from ui.plans.dialogs import GoalDialog, PlannedTechniqueDialog
from ui.plans.editor import PlanEditor, long_date
from ui.plans.plan_list import LIST_WIDTH, PlanItemDelegate, PlanListModel, short_date
from ui.plans.progress_card import ProgressCard
from ui.visits.regions import describe
from ui.widgets import dates
from ui.widgets.empty import EmptyState
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import muted, section_title
from ui.widgets.showing import show_then_paint
from ui.widgets.status import say

NEW_PLAN_KEYS = "Ctrl+Shift+P"
PREFETCH_DELAY_MS = 1500
CHANGES = ("plan", "visit", "measure", "chart")  # what the tab shows of a client


# ---------------------------------------------------------------- plan view


class PlanView(QWidget):
    """One plan as read: status, progress card, referral, diagnoses, techniques, precautions."""

    edit_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.plan: Plan | None = None
        self.progress: Course | None = None
        self.dialog: GoalDialog | PlannedTechniqueDialog | None = None

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.status_chip = Chip()
        self.edit_button = QPushButton(icons.icon("pencil"), "Edit plan…")
        self.edit_button.setToolTip("Referral, diagnoses, schedule, status and precautions")
        self.edit_button.clicked.connect(self.edit_requested)
        head = FlowLayout(spacing=12)  # narrow, Edit plan goes under the title, on the right
        head.addWidget(self.title)
        head.addWidget(self.status_chip)
        head.add_stretch()
        head.addWidget(self.edit_button)

        self.card = ProgressCard()
        self.card.add_goal_requested.connect(self._on_add_goal)
        self.card.goal_edit_requested.connect(self._on_edit_goal)
        self.card.goal_status_requested.connect(self._on_goal_status)

        self.referral = QLabel()
        self.referral.setWordWrap(True)
        self.referral.setTextFormat(Qt.TextFormat.PlainText)
        self.diagnoses = QVBoxLayout()
        self.diagnoses.setSpacing(4)
        self.add_technique_button = QPushButton(icons.icon("plus"), "Add technique…")
        self.add_technique_button.setToolTip("Plan a technique from the library")
        self.add_technique_button.clicked.connect(self._on_add_technique)
        self.techniques = QVBoxLayout()
        self.techniques.setSpacing(6)
        self.precautions = QVBoxLayout()
        self.precautions.setSpacing(4)
        self.sources = PossibleSourcesPanel()
        self.sources.setMinimumHeight(280)
        self.sources_caption = muted("")

        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(16, 16, 24, 16)
        self.body.setSpacing(8)
        self.body.addLayout(head)
        self.body.addWidget(self.card)
        self._section("Referral")
        self.body.addWidget(self.referral)
        self._section("Diagnoses")
        self.body.addLayout(self.diagnoses)
        self._section("Planned techniques", self.add_technique_button)
        self.body.addLayout(self.techniques)
        self._section("Precautions")
        self.body.addLayout(self.precautions)
        self.body.addSpacing(16)  # the panel brings its own "Possible sources" title
        self.body.addWidget(self.sources)
        self.body.addWidget(self.sources_caption)
        self.body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _section(self, title: str, button: QWidget | None = None) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 16, 0, 0)
        row.addWidget(section_title(title), 1)
        if button is not None:
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        self.body.addLayout(row)

    # ------------------------------------------------------------------ public

    def show_plan(
        self, client: Client, plan: Plan, read: PlanRead, today: date | None = None
    ) -> None:
        """The plan with its course and the client's latest chart (`read_plan`, on the op
        runner)."""
        today = today or date.today()
        self.client, self.plan = client, plan
        self.progress = read.course
        editable = not plan.status.closed
        self.title.setText(f"Plan from {short_date(plan.start_date)}")
        kind, glyph = PLAN_STATUS[plan.status]
        self.status_chip.set_chip(f"{glyph} {plan.status.label}", kind)
        self.edit_button.setVisible(editable)
        self.add_technique_button.setVisible(editable)
        self.card.show_progress(plan, self.progress, today)
        self.referral.setText(self._referral_text(plan, read.referrer))
        self._fill(
            self.diagnoses,
            [self._diagnosis_row(d.position, d.code, d.description) for d in plan.diagnoses],
            "No diagnoses on the plan. Edit plan… to add ICD-10-CM codes.",
        )
        self._fill(
            self.techniques,
            [self._technique_row(t, editable) for t in plan.techniques],
            "No techniques planned yet. Add technique… picks one from the library.",
        )
        self._fill(
            self.precautions,
            [self._precaution_row(p.text, p.level) for p in plan.precautions],
            "No precautions: the intake has no alerts and none were added.",
        )
        self._show_sources(read.latest_chart)

    def technique_texts(self) -> list[str]:
        return [w.accessibleName() for w in _widgets(self.techniques)]

    # ------------------------------------------------------------------ rows

    @staticmethod
    def _referral_text(plan: Plan, referrer: str) -> str:
        parts = []
        if referrer:
            parts.append(f"Referred by {referrer}")
        if plan.referral_date:
            parts.append(f"on {long_date(plan.referral_date)}")
        text = " ".join(parts)
        if plan.referral_reason:
            text = f"{text}: {plan.referral_reason}" if text else plan.referral_reason
        return text or "No referral recorded (self-referred)."

    @staticmethod
    def _fill(layout: QVBoxLayout, rows: list[QWidget], empty: str) -> None:
        for widget in _widgets(layout):
            layout.removeWidget(widget)
            widget.hide()  # at once: deleteLater leaves it painted until then
            widget.deleteLater()
        for row in rows or [muted(empty)]:
            layout.addWidget(row)

    @staticmethod
    def _diagnosis_row(position: int, code: str, description: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        pointer = Chip(POINTERS[position - 1], "info")
        pointer.setToolTip(f"Diagnosis pointer {POINTERS[position - 1]}")
        code_label = QLabel(code)
        font = code_label.font()
        font.setWeight(QFont.Weight.DemiBold)
        code_label.setFont(font)
        code_label.setMinimumWidth(72)
        text = QLabel(description)
        text.setWordWrap(True)
        layout.addWidget(pointer)
        layout.addWidget(code_label)
        layout.addWidget(text, 1)
        row.setAccessibleName(f"{POINTERS[position - 1]} {code} {description}")
        return row

    def _technique_row(self, line: PlannedTechnique, editable: bool) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        text = QVBoxLayout()
        text.setSpacing(0)
        name = QLabel(line.name)
        name.setTextFormat(Qt.TextFormat.PlainText)
        font = name.font()
        font.setWeight(QFont.Weight.DemiBold)
        name.setFont(font)
        where = [describe(line.regions)] if line.regions else []
        if line.muscle and line.muscle in load_catalogue():
            where.append(load_catalogue().muscle(line.muscle).label)
        dose = f"pressure {line.pressure} ({PRESSURE_LABELS[line.pressure]}) · {line.minutes} min"
        summary = " · ".join([*where, dose] + ([line.notes] if line.notes else []))
        name.setWordWrap(True)
        head = FlowLayout(spacing=8)  # narrow, the chip goes under a long name
        head.addWidget(name)
        if line.restricted:
            head.addWidget(Chip("⚠ Deep work", "warning"))
        text.addLayout(head)
        text.addWidget(muted(summary))
        for ack in line.acknowledgements:
            stamp = ack.at.astimezone()
            text.addWidget(
                muted(f"Acknowledged {ack.title} ({ack.level}) · {ack.by}, {dates.moment(stamp)}")
            )
        layout.addLayout(text, 1)
        if editable:
            remove = QToolButton()
            remove.setIcon(icons.icon("x", theme.colours().muted))
            remove.setAutoRaise(True)
            remove.setToolTip(f"Take {line.name} off the plan")
            remove.setAccessibleName(f"Take {line.name} off the plan")
            remove.clicked.connect(lambda: self._on_remove_technique(line))
            layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        acks = "; ".join(f"acknowledged {a.title}" for a in line.acknowledgements)
        row.setAccessibleName(f"{line.name}: {summary}" + (f"; {acks}" if acks else ""))
        return row

    @staticmethod
    def _precaution_row(text: str, level: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        if level:
            layout.addWidget(
                Chip(f"⚠ {level}", "danger" if level == "BLOCK" else "warning"),
                0,
                Qt.AlignmentFlag.AlignTop,
            )
        else:
            layout.addWidget(Chip("Own", "muted"), 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label, 1)
        row.setAccessibleName(text)
        return row

    def _show_sources(self, chart: BodyChart | None) -> None:
        if chart is None:
            self.sources_caption.setText(
                "Possible sources: no body chart yet. Mark the pain on the Body map tab to see "
                "which muscles could refer it."
            )
            self.sources.hide()
            return
        self.sources_caption.setText(
            f"Suggested from the body chart of {long_date(chart.charted_on)}."
        )
        self.sources.show()
        self.sources.show_chart(chart.data)

    # ------------------------------------------------------------------ handlers

    def _reload(self, message: str) -> None:
        """A goal or technique changed: every view of the plan reads it again."""
        runner().announce(self._changes(), self)
        say(self, message)

    def _open(self, dialog: GoalDialog | PlannedTechniqueDialog, message: str) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._reload(message))
        dialog.open()

    def _on_add_goal(self) -> None:
        if self.client and self.plan:
            self._open(GoalDialog(self.db, self.client.id, self.plan.id, parent=self), "Goal added")

    def _on_edit_goal(self, goal: Goal) -> None:
        if self.client and self.plan:
            self._open(GoalDialog(self.db, self.client.id, self.plan.id, goal, self), "Goal saved")

    def _on_goal_status(self, goal: Goal, status: GoalStatus | None) -> None:
        db, message = self.db, "Goal status set" if status else "Goal status from the scores"
        WriteOp(
            self,
            lambda: service.set_goal_status(db, goal.id, status),
            lambda _r: say(self, message),
            changes=self._changes(),
        ).run()

    def _on_add_technique(self) -> None:
        if self.client and self.plan:
            muscle = self.sources.selected_muscle() if self.sources.isVisible() else None
            dialog = PlannedTechniqueDialog(
                self.db, self.client.id, self.plan.id, muscle or "", self
            )
            self._open(dialog, "Technique planned")

    def _on_remove_technique(self, line: PlannedTechnique) -> None:
        db, message = self.db, f"{line.name} taken off the plan"
        WriteOp(
            self,
            lambda: service.remove_planned_technique(db, line.id),
            lambda _r: say(self, message),
            changes=self._changes(),
        ).run()

    def _changes(self) -> Changes:
        return Changes.of("plan", client_id=self.client.id if self.client else None)


def _widgets(layout: QVBoxLayout) -> list[QWidget]:
    items = (layout.itemAt(i) for i in range(layout.count()))
    return [item.widget() for item in items if item.widget() is not None]


# ---------------------------------------------------------------- the tab


class PlanTab(QWidget):
    """The client's treatment plans: list on the left, the plan or its editor on the right."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.model = PlanListModel(self)

        self.new_button = QPushButton(icons.icon("plus", theme.colours().accent_text), "New plan")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(f"New treatment plan ({NEW_PLAN_KEYS})")
        self.new_button.clicked.connect(self.new_plan)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(PlanItemDelegate(self.list))
        self.list.setAccessibleName("Treatment plans")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentRowChanged.connect(self._on_list_current_changed)
        self.list_empty = muted("No plans yet.")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 16, 8, 8)
        ll.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(section_title("Plans"), 1)
        head.addWidget(self.new_button)
        ll.addLayout(head)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.list_empty)
        ll.addStretch(0)
        left.setMinimumWidth(220)
        self.left = left

        self.view = PlanView(db)
        self.view.edit_requested.connect(self.edit_plan)
        self.editor = PlanEditor(db)
        self.editor.saved.connect(self._on_editor_saved)
        self.editor.cancelled.connect(self._on_editor_cancelled)
        self.empty = self._build_empty()
        self.pages = QStackedWidget()
        for page in (self.empty, self.view, self.editor):
            self.pages.addWidget(page)
        self.pages.currentChanged.connect(self._on_pages_current_changed)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([LIST_WIDTH, 800])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._listing = False  # a list read is being shown: its selection is not a click
        self._refresh = Refresh(self, CHANGES, self.refresh, client_id=self._client_id)
        self.load(None)

    def _build_empty(self) -> QWidget:
        page = EmptyState(
            "clipboard-list",
            "No treatment plan yet.",
            "A plan holds the referral, diagnoses, frequency, goals and planned techniques; "
            "visits in its dates count towards it.",
            f"New plan ({NEW_PLAN_KEYS})",
            self.new_plan,
            hint_width=460,
        )
        self.empty_new_button = page.button
        return page

    # ------------------------------------------------------------------ public

    def load(self, client: Client | None) -> None:
        """Show a client's plans; read when the tab is shown, so switching clients stays fast."""
        self.client = client
        self.editor.client = None
        if client is None:
            self.refresh()
        else:
            self._refresh.request()

    def refresh(self, select: int | None = None) -> None:
        """The client's plans, read on the op runner, with `select` (else the plan shown, else
        the active one, else the first) shown with its course."""
        self._refresh.stale = False  # read now: not again when the tab is next shown
        current = self.current_plan()
        wanted = select if select is not None else (current.id if current else None)
        client, db = self.client, self.db
        if client is None:
            self._show_plans(None, [], None, None)
            return

        def read() -> tuple[list[Plan], int | None, PlanRead | None]:
            plans = service.plans_for(db, client.id)
            row = _chosen_row(plans, wanted)
            shown = read_plan(db, client.id, plans[row].id) if row is not None else None
            return plans, row, shown

        QueryOp(self, read, lambda found: self._show_plans(client, *found)).run(key="plans")

    def _show_plans(
        self, client: Client | None, plans: list[Plan], row: int | None, read: PlanRead | None
    ) -> None:
        if client is not self.client:
            return  # read for a client no longer shown
        self.model.set_plans(plans)
        self.list.setVisible(bool(plans))
        self.list_empty.setVisible(not plans)
        for button in (self.new_button, self.empty_new_button):
            button.setEnabled(self.client is not None)
        if self.pages.currentWidget() is self.editor and self.editor.client is not None:
            return
        if row is None or read is None:
            self.pages.setCurrentWidget(self.empty)
            return
        self._listing = True  # the selection is shown here, with the course read with it
        self._select_row(row)
        self._listing = False
        self._show_course(client, plans[row], read)

    def current_plan(self) -> Plan | None:
        index = self.list.currentIndex()
        return self.model.plan(index.row()) if index.isValid() else None

    def is_dirty(self) -> bool:
        return self.pages.currentWidget() is self.editor and self.editor.is_dirty()

    def save(self) -> bool:
        """Save the open editor (Ctrl+S). True when nothing is left unsaved."""
        if self.pages.currentWidget() is not self.editor:
            return True
        return self.editor.save() is not None

    def save_soon(self) -> None:
        """Save the open editor on the op runner (Ctrl+S)."""
        if self.pages.currentWidget() is self.editor:
            self.editor.save_soon()

    def new_plan(self) -> None:
        if self.client is None or not self._confirm_leave_editor():
            return
        self.editor.new_plan(self.client)
        self._show_editor()
        self.editor.focus_first_field()

    def edit_plan(self) -> None:
        plan = self.current_plan()
        if self.client is None or plan is None or plan.status.closed:
            return
        self.editor.edit_plan(self.client, plan)
        self._show_editor()
        self.editor.focus_first_field()

    # ------------------------------------------------------------------ helpers

    def _show_editor(self) -> None:
        self.pages.setCurrentWidget(self.editor)

    def _select_row(self, row: int) -> None:
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _show_plan(self, plan: Plan) -> None:
        """The plan with its course: read on the op runner, unless just read with the list."""
        client = self.client
        if client is None:
            return
        db = self.db
        QueryOp(
            self,
            lambda: read_plan(db, client.id, plan.id),
            lambda read: self._show_course(client, plan, read),
        ).run(key="plan-course")

    def _show_course(self, client: Client, plan: Plan, read: PlanRead) -> None:
        current = self.current_plan()
        if client is not self.client or current is None or current.id != plan.id:
            return  # another plan (or client) was chosen while it was read
        self.view.show_plan(client, plan, read)
        if self.pages.currentWidget() is not self.view:
            # Shown in the next pass, and painted in the one after: the window answers between.
            QTimer.singleShot(0, self, lambda: self._reveal_view(client, plan))

    def _reveal_view(self, client: Client, plan: Plan) -> None:
        current = self.current_plan()
        if client is not self.client or current is None or current.id != plan.id:
            return  # another plan (or client) was chosen meanwhile: it is shown by its own read
        if self.pages.currentWidget() is not self.editor:
            show_then_paint(self.pages, self.view)

    def _confirm_leave_editor(self) -> bool:
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved plan",
            "The plan has changes that are not saved yet. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.editor.save() is not None
        return answer == QMessageBox.StandardButton.Discard

    # ------------------------------------------------------------------ handlers

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Build the ICD-10-CM index once the plan is on screen, so the editor's diagnosis
        # search is usually ready by the time it opens.
        QTimer.singleShot(PREFETCH_DELAY_MS, code_list().start)

    def _on_pages_current_changed(self) -> None:
        # The editor takes the whole tab: the plan list is of no use while it is open.
        self.left.setVisible(self.pages.currentWidget() is not self.editor)

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.pages.currentWidget() is self.editor or self._listing:
            return
        self._show_plan(self.model.plan(current.row()))

    def _on_editor_saved(self, plan: Plan) -> None:
        created = self.editor.plan is not None and self.model.row_of(plan.id) is None
        self.editor.client = None
        self.pages.setCurrentWidget(self.view)
        self.refresh(select=plan.id)  # the editor's write announced the change
        say(self, "Plan created" if created else "Plan saved")

    def _on_editor_cancelled(self) -> None:
        if not self._confirm_leave_editor():
            return
        self.editor.client = None
        self.pages.setCurrentWidget(self.view)
        self.refresh()

    def _client_id(self) -> int | None:
        return self.client.id if self.client is not None else None


def _chosen_row(plans: list[Plan], wanted: int | None) -> int | None:
    """The plan to show: the one wanted if it is listed, else the active one, else the first."""
    for row, plan in enumerate(plans):
        if plan.id == wanted:
            return row
    if not plans:
        return None
    return next((i for i, p in enumerate(plans) if p.status == PlanStatus.ACTIVE), 0)


@dataclass(frozen=True, slots=True)
class PlanRead:
    """What a plan's view shows besides the plan: its course, and the client's latest body
    chart for the possible sources of the pain."""

    course: Course
    latest_chart: BodyChart | None
    referrer: str = ""  # the referring physician, as named on the plan


def read_plan(db: Database, client_id: int, plan_id: int, today: date | None = None) -> PlanRead:
    """On the op runner: the plan course (`plan_course`, the one computation of a plan's
    figures) and the latest chart."""
    charts = bodymap.chart_history(db, client_id)
    latest = bodymap.get_chart(db, charts[-1].id) if charts else None
    course = plan_course(db, plan_id, today or date.today())
    physician_id = course.plan.physician_id if course.plan is not None else None
    referrer = clients.get_physician(db, physician_id).display if physician_id is not None else ""
    return PlanRead(course, latest, referrer)
