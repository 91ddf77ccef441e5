"""The plan list beside the plan: a model of the client's plans and its two-line delegate."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from practice.plans.records import (
    Plan,
)
from ui import theme
from ui.plans.chips import PLAN_STATUS, chip_colours
from ui.widgets import dates

LIST_WIDTH = 216


def short_date(day: date) -> str:
    return dates.day(day)


def plan_title(plan: Plan) -> str:
    return f"{short_date(plan.start_date)} – {short_date(plan.end_date)}"


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
