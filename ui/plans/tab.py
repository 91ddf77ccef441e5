"""The client's Plan tab: the plans on the left, the chosen plan on the right with its progress.

The right side shows one plan (progress card with visits, re-evaluation and goals; referral,
diagnoses, planned techniques, precautions, possible sources from the latest body chart) or
the plan editor in the same place. Goals and techniques are added through small dialogs.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap import service as bodymap
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client
from practice.plans import service
from practice.plans.course import Course, GoalCourse, plan_course
from practice.plans.records import (
    Goal,
    GoalKind,
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
from ui.ops import Refresh, WriteOp, runner
from ui.plans.chips import PLAN_STATUS, Chip, chip_colours, goal_status_chip
from ui.plans.diagnoses import POINTERS, code_list
from ui.plans.dialogs import GoalDialog, PlannedTechniqueDialog
from ui.plans.editor import PlanEditor, long_date
from ui.visits.regions import describe
from ui.widgets.empty import EmptyState
from ui.widgets.forms import muted, section_title
from ui.widgets.status import say

NEW_PLAN_KEYS = "Ctrl+Shift+P"
SOON_DAYS = 7  # a re-evaluation this close is shown in the warning colour
LIST_WIDTH = 216
PREFETCH_DELAY_MS = 1500
CHANGES = ("plan", "visit", "measure", "chart")  # what the tab shows of a client


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def plan_title(plan: Plan) -> str:
    return f"{short_date(plan.start_date)} – {short_date(plan.end_date)}"


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def reevaluation_text(progress: Course, today: date) -> tuple[str, str]:
    """('Re-evaluate on …, in 3 days', kind) with kind danger (overdue), warning (soon) or ''."""
    day = progress.next_reevaluation
    if day is None:
        return "No re-evaluation date set", "muted"
    days = (day - today).days
    when = f"Re-evaluate on {long_date(day)}"
    if progress.reevaluation_overdue:
        late = -days
        return f"{when} · overdue by {late} day{'s' if late != 1 else ''}", "danger"
    if days == 0:
        return f"{when} · today", "warning"
    if 0 < days <= SOON_DAYS:
        return f"{when} · in {days} day{'s' if days != 1 else ''}", "warning"
    return (f"{when} · in {days} days", "") if days > 0 else (when, "muted")


def goal_numbers(progress: GoalCourse) -> str:
    """'7 → 5 → 3' as baseline → latest → target (the course's baseline, as printed)."""
    goal = progress.goal
    return f"{score(progress.baseline)} → {score(progress.latest)} → {score(goal.target)}"


# ---------------------------------------------------------------- plan list


class PlanListModel(QAbstractListModel):
    """The client's plans, newest start first, as read from the service."""

    PlanRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plans: list[Plan] = []

    def set_plans(self, plans: list[Plan]) -> None:
        self.beginResetModel()
        self._plans = list(plans)
        self.endResetModel()

    def plan(self, row: int) -> Plan:
        return self._plans[row]

    def row_of(self, plan_id: int) -> int | None:
        return next((i for i, p in enumerate(self._plans) if p.id == plan_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._plans)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._plans):
            return None
        plan = self._plans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return plan_title(plan)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{plan_title(plan)}, {plan.status.label}: {plan.frequency_text}"
        if role == self.PlanRole:
            return plan
        return None


class PlanItemDelegate(QStyledItemDelegate):
    """Two lines per plan (dates, frequency) and the status chip on the right."""

    PADDING = 10

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(LIST_WIDTH - 24, line * 2 + 2 * self.PADDING + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        plan: Plan | None = index.data(PlanListModel.PlanRole)
        if plan is None:
            return
        c = theme.colours()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 2, -4, -2)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.selection))
            painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        line = option.fontMetrics.lineSpacing()
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(QColor(c.text))
        title = QRect(inner.left(), inner.top(), inner.width(), line + 2)
        elided = painter.fontMetrics().elidedText(
            plan_title(plan), Qt.TextElideMode.ElideRight, title.width()
        )
        painter.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        # Second line: the status chip, then the frequency in muted text.
        kind, glyph = PLAN_STATUS[plan.status]
        fg, bg = chip_colours(kind)
        chip_font = QFont(bold)
        chip_font.setPointSizeF(bold.pointSizeF() * 0.9)
        painter.setFont(chip_font)
        chip_text = f"{glyph} {plan.status.label}"
        width = painter.fontMetrics().horizontalAdvance(chip_text) + 16
        height = painter.fontMetrics().height() + 2
        top = inner.top() + line + 6
        chip = QRect(inner.left(), top, width, height)
        painter.setPen(QColor(fg))
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
        painter.setFont(option.font)
        painter.setPen(QColor(c.muted))
        second = QRect(chip.right() + 8, top, inner.right() - chip.right() - 8, height)
        text = option.fontMetrics.elidedText(
            f"{plan.planned_visits} visits", Qt.TextElideMode.ElideRight, second.width()
        )
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


# ---------------------------------------------------------------- progress card


class VisitsBar(QWidget):
    """Visits done against planned: a filled bar with a tick where the plan says we should be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.done = self.planned = self.due = 0
        self.setFixedHeight(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_counts(self, done: int, planned: int, due: int) -> None:
        self.done, self.planned, self.due = done, planned, due
        self.setAccessibleName(f"{done} of {planned} visits done, {due} due by now")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c.border))
        rect = self.rect().adjusted(0, 2, 0, -2)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        if self.planned:
            share = min(1.0, self.done / self.planned)
            if share > 0:
                filled = QRect(
                    rect.left(),
                    rect.top(),
                    max(int(rect.width() * share), rect.height()),
                    rect.height(),
                )
                painter.setBrush(QColor(c.accent))
                painter.drawRoundedRect(filled, radius, radius)
            if 0 < self.due < self.planned:
                x = rect.left() + int(rect.width() * self.due / self.planned)
                painter.setBrush(QColor(c.text))
                painter.drawRect(QRect(x - 1, 0, 2, self.height()))
        painter.end()


class ProgressCard(QWidget):
    """Visits done of planned, the next re-evaluation and each goal's status with its numbers."""

    goal_edit_requested = Signal(object)  # Goal
    goal_status_requested = Signal(object, object)  # Goal, GoalStatus | None
    add_goal_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        self.visits = QLabel()
        font = self.visits.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.visits.setFont(font)
        self.due = muted("", wrap=True)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.visits)
        top.addWidget(self.due, 1, Qt.AlignmentFlag.AlignBottom)
        self.bar = VisitsBar()
        self.reevaluation = QLabel()
        self.reevaluation_icon = QLabel()
        reeval = QHBoxLayout()
        reeval.setSpacing(8)
        reeval.addWidget(self.reevaluation_icon)
        reeval.addWidget(self.reevaluation, 1)
        self.goals_title = QLabel("Goals")
        self.goals_title.setProperty("role", "title")
        self.add_goal_button = QPushButton(icons.icon("plus"), "Add goal…")
        self.add_goal_button.setToolTip("Add a measurable or functional goal")
        self.add_goal_button.clicked.connect(self.add_goal_requested)
        goals_head = QHBoxLayout()
        goals_head.addWidget(self.goals_title, 1)
        goals_head.addWidget(self.add_goal_button)
        self.goal_rows = QVBoxLayout()
        self.goal_rows.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addLayout(reeval)
        layout.addSpacing(4)
        layout.addLayout(goals_head)
        layout.addLayout(self.goal_rows)

    def show_progress(self, plan: Plan, progress: Course, today: date) -> None:
        done, planned = progress.visits_done, plan.planned_visits
        drafts = len(progress.drafts)
        unsigned = f" · {drafts} unsigned note{'s' if drafts != 1 else ''} not counted yet"
        self.visits.setText(f"{done} of {planned} visits" + (unsigned if drafts else ""))
        behind = progress.visits_due - done
        pace = (
            f"{behind} behind the plan"
            if behind > 0 and not plan.status.closed
            else "on schedule"
            if not plan.status.closed
            else plan.status.label.lower()
        )
        self.due.setText(f"{progress.visits_due} due by now · {pace}")
        self.due.setToolTip(plan.frequency_text)
        self.bar.set_counts(done, planned, progress.visits_due)
        text, kind = reevaluation_text(progress, today)
        c = theme.colours()
        colour = {"danger": c.danger, "warning": c.warning, "muted": c.muted}.get(kind, c.text)
        self.reevaluation.setText(text)
        self.reevaluation.setProperty("kind", kind)
        self.reevaluation.setStyleSheet(
            f"color: {colour};" + (" font-weight: 600;" if kind in ("danger", "warning") else "")
        )
        icon = "triangle-alert" if kind in ("danger", "warning") else "calendar"
        self.reevaluation_icon.setPixmap(icons.pixmap(icon, 16, colour))
        self._show_goals(progress.goals, editable=not plan.status.closed)

    def goal_texts(self) -> list[str]:
        """What each goal row says (chip, goal, numbers), for tests and screen readers."""
        return [row.accessibleName() for row in self._rows()]

    def _rows(self) -> list[QWidget]:
        items = (self.goal_rows.itemAt(i) for i in range(self.goal_rows.count()))
        return [item.widget() for item in items if item.widget() is not None]

    def _show_goals(self, goals: tuple[GoalCourse, ...], editable: bool) -> None:
        for row in self._rows():
            self.goal_rows.removeWidget(row)
            row.hide()  # at once: deleteLater leaves it painted until then
            row.deleteLater()
        self.add_goal_button.setVisible(editable)
        if not goals:
            self.goal_rows.addWidget(
                muted("No goals yet. Add a measurable goal (pain, PSFS …) or a functional one.")
            )
            return
        for progress in goals:
            self.goal_rows.addWidget(self._goal_row(progress, editable))

    def _goal_row(self, progress: GoalCourse, editable: bool) -> QWidget:
        goal = progress.goal
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        chip = goal_status_chip(progress.status)
        chip.setMinimumWidth(112)
        layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(0)
        if goal.kind == GoalKind.MEASURABLE:
            name = QLabel(progress.measure_name)
            numbers = QLabel(f"{goal_numbers(progress)}")
            numbers.setToolTip("baseline → latest → target")
            font = numbers.font()
            font.setWeight(QFont.Weight.DemiBold)
            numbers.setFont(font)
            head = QHBoxLayout()
            head.setSpacing(12)
            head.addWidget(name)
            head.addWidget(numbers)
            head.addStretch(1)
            text.addLayout(head)
            latest = (
                f"latest {score(progress.latest)} on {short_date(progress.latest_on)}"
                if progress.latest_on
                else "no score since the plan started"
            )
            detail = f"baseline {score(progress.baseline)} → {latest} → target {score(goal.target)}"
            details = muted(
                f"{detail} · {progress.source}" + (f" · {goal.text}" if goal.text else "")
            )
            text.addWidget(details)
            spoken = f"{progress.status.label}: {progress.measure_name} {goal_numbers(progress)}"
        else:
            name = QLabel(goal.text)
            name.setWordWrap(True)
            text.addWidget(name)
            text.addWidget(muted(f"functional goal · {progress.source}"))
            spoken = f"{progress.status.label}: {goal.text}"
        name.setTextFormat(Qt.TextFormat.PlainText)
        layout.addLayout(text, 1)
        if editable:
            layout.addWidget(self._goal_menu(goal), 0, Qt.AlignmentFlag.AlignTop)
        row.setAccessibleName(spoken)
        return row

    def _goal_menu(self, goal: Goal) -> QToolButton:
        button = QToolButton()
        button.setText("⋯")
        button.setAutoRaise(True)
        button.setToolTip("Edit the goal or set its status")
        button.setAccessibleName("Goal actions")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        button.setFixedSize(28, 28)
        menu = QMenu(button)
        menu.addAction("Edit goal…", lambda: self.goal_edit_requested.emit(goal))
        menu.addSeparator()
        for status in GoalStatus:
            action = menu.addAction(
                f"Mark {status.label.lower()}",
                lambda s=status: self.goal_status_requested.emit(goal, s),
            )
            action.setCheckable(True)
            action.setChecked(goal.status_override == status)
        if goal.kind == GoalKind.MEASURABLE:
            scores = menu.addAction(
                "Status from the scores", lambda: self.goal_status_requested.emit(goal, None)
            )
            scores.setCheckable(True)
            scores.setChecked(goal.status_override is None)
        button.setMenu(menu)
        return button


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
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.title)
        head.addWidget(self.status_chip)
        head.addStretch(1)
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

    def show_plan(self, client: Client, plan: Plan, today: date | None = None) -> None:
        today = today or date.today()
        self.client, self.plan = client, plan
        self.progress = plan_course(self.db, plan.id, today)
        editable = not plan.status.closed
        self.title.setText(f"Plan from {short_date(plan.start_date)}")
        kind, glyph = PLAN_STATUS[plan.status]
        self.status_chip.set_chip(f"{glyph} {plan.status.label}", kind)
        self.edit_button.setVisible(editable)
        self.add_technique_button.setVisible(editable)
        self.card.show_progress(plan, self.progress, today)
        self.referral.setText(self._referral_text(plan))
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
        self._show_sources(client)

    def technique_texts(self) -> list[str]:
        return [w.accessibleName() for w in _widgets(self.techniques)]

    # ------------------------------------------------------------------ rows

    def _referral_text(self, plan: Plan) -> str:
        parts = []
        if plan.physician_id is not None:
            parts.append(f"Referred by {clients.get_physician(self.db, plan.physician_id).display}")
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
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(name)
        if line.restricted:
            head.addWidget(Chip("⚠ Deep work", "warning"))
        head.addStretch(1)
        text.addLayout(head)
        text.addWidget(muted(summary))
        for ack in line.acknowledgements:
            stamp = ack.at.astimezone()
            text.addWidget(
                muted(
                    f"Acknowledged {ack.title} ({ack.level}) · {ack.by}, "
                    f"{short_date(stamp.date())} {stamp:%H:%M}"
                )
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

    def _show_sources(self, client: Client) -> None:
        charts = bodymap.chart_history(self.db, client.id)
        if not charts:
            self.sources_caption.setText(
                "Possible sources: no body chart yet. Mark the pain on the Body map tab to see "
                "which muscles could refer it."
            )
            self.sources.hide()
            return
        latest = charts[-1]
        chart = bodymap.get_chart(self.db, latest.id)
        self.sources_caption.setText(
            f"Suggested from the body chart of {long_date(latest.charted_on)}."
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
        current = self.current_plan()
        plans = service.plans_for(self.db, self.client.id) if self.client else []
        self.model.set_plans(plans)
        self.list.setVisible(bool(plans))
        self.list_empty.setVisible(not plans)
        for button in (self.new_button, self.empty_new_button):
            button.setEnabled(self.client is not None)
        if self.pages.currentWidget() is self.editor and self.editor.client is not None:
            return
        wanted = select if select is not None else (current.id if current else None)
        row = self.model.row_of(wanted) if wanted is not None else None
        if row is None and plans:
            active = next((i for i, p in enumerate(plans) if p.status == PlanStatus.ACTIVE), 0)
            row = active
        if row is None:
            self.pages.setCurrentWidget(self.empty)
            return
        self._select_row(row)
        self._show_plan(plans[row])

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
        if self.client is None:
            return
        self.view.show_plan(self.client, plan)
        self.pages.setCurrentWidget(self.view)

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
        if not current.isValid() or self.pages.currentWidget() is self.editor:
            return
        self._show_plan(self.model.plan(current.row()))

    def _on_editor_saved(self, plan: Plan) -> None:
        created = self.editor.plan is not None and self.model.row_of(plan.id) is None
        self.editor.client = None
        self.pages.setCurrentWidget(self.view)
        self.refresh(select=plan.id)
        runner().announce(Changes.of("plan", client_id=plan.client_id), self)
        say(self, "Plan created" if created else "Plan saved")

    def _on_editor_cancelled(self) -> None:
        if not self._confirm_leave_editor():
            return
        self.editor.client = None
        self.pages.setCurrentWidget(self.view)
        self.refresh()

    def _client_id(self) -> int | None:
        return self.client.id if self.client is not None else None
