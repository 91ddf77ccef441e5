"""The progress card: visits done of planned, the next re-evaluation, each goal and its numbers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.plans.course import Course, GoalCourse
from practice.plans.records import (
    Goal,
    GoalKind,
    GoalStatus,
    Plan,
)
from ui import icons, theme
from ui.plans.chips import goal_status_chip
from ui.plans.editor import long_date
from ui.plans.plan_list import short_date
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import muted

SOON_DAYS = 7  # a re-evaluation this close is shown in the warning colour


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
        self.visits.setWordWrap(True)  # "… · 1 unsigned note not counted yet" on a narrow card
        self.due = muted("", wrap=True)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.visits)
        top.addWidget(self.due, 1, Qt.AlignmentFlag.AlignBottom)
        self.bar = VisitsBar()
        self.reevaluation = QLabel()
        self.reevaluation.setWordWrap(True)
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
            name.setWordWrap(True)
            numbers = QLabel(f"{goal_numbers(progress)}")
            numbers.setToolTip("baseline → latest → target")
            font = numbers.font()
            font.setWeight(QFont.Weight.DemiBold)
            numbers.setFont(font)
            head = FlowLayout(spacing=12)  # narrow, the numbers go under the name
            head.addWidget(name)
            head.addWidget(numbers)
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
