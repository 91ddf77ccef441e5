"""The month view: each day a cell with its first appointments and how many more; a day opens
in the day view (click or Enter; arrows move between days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

from practice.schedule.records import DayPlan, ScheduleRange
from ui import theme
from ui.schedule.blocks import clock, state_colours
from ui.schedule.header import day_caption

HEAD = 28


class MonthView(QWidget):
    day_chosen = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schedule: ScheduleRange | None = None
        self.today: date | None = None
        self.selected: date | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Month")

    def show_range(self, schedule: ScheduleRange, now: datetime) -> None:
        self.schedule = schedule
        self.today = now.astimezone(ZoneInfo(schedule.time_zone)).date()
        days = [d.day for d in schedule.days]
        if self.selected not in days:
            self.selected = self.today if self.today in days else days[0]
        self.update()

    def _first_cell(self) -> date:
        assert self.schedule is not None
        first = self.schedule.days[0].day
        return first - timedelta(days=first.weekday())

    def _cell(self, index: int) -> QRectF:
        width = self.width() / 7
        height = (self.height() - HEAD) / 6
        row, column = divmod(index, 7)
        return QRectF(column * width, HEAD + row * height, width, height)

    def paintEvent(self, _event: QPaintEvent) -> None:
        c = theme.colours()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(c.surface))
        if self.schedule is None:
            painter.end()
            return
        plans = {p.day: p for p in self.schedule.days}
        first = self._first_cell()
        painter.setPen(QColor(c.muted))
        width = self.width() / 7
        for column in range(7):
            name = day_caption(first + timedelta(days=column), self.schedule.locale).split(" ")[0]
            painter.drawText(
                QRectF(column * width, 0, width, HEAD), Qt.AlignmentFlag.AlignCenter, name
            )
        for index in range(42):
            day = first + timedelta(days=index)
            self._paint_cell(painter, self._cell(index), day, plans.get(day))
        painter.end()

    def _paint_cell(self, painter: QPainter, rect: QRectF, day: date, plan: DayPlan | None) -> None:
        c = theme.colours()
        painter.fillRect(
            rect, QColor(c.surface if plan is not None and plan.opens_at else c.surface_alt)
        )
        painter.setPen(QPen(QColor(c.border), 1))
        painter.drawRect(rect)
        if day == self.selected:
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(QColor(c.accent if day == self.today else c.text if plan else c.muted))
        painter.drawText(rect.adjusted(6, 4, -6, 0), Qt.AlignmentFlag.AlignLeft, str(day.day))
        if plan is None or self.schedule is None:
            return
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        y = rect.top() + 4 + line
        shown = [a for a in plan.appointments if a.state.occupies_time]
        room = max(0, int((rect.bottom() - y - 2) // line))
        if len(shown) > room:
            room = max(0, room - 1)
        for a in shown[:room]:
            edge, _fill = state_colours(a.state)
            painter.fillRect(QRectF(rect.left() + 6, y + 3, 3, line - 6), QColor(edge))
            start = a.local_start
            text = f"{clock(start.hour, start.minute, self.schedule.locale)} {a.client_name}"
            painter.setPen(QColor(c.text))
            painter.drawText(
                QRectF(rect.left() + 13, y, rect.width() - 17, line),
                Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width() - 17)),
            )
            y += line
        if len(shown) > room:
            painter.setPen(QColor(c.muted))
            painter.drawText(
                QRectF(rect.left() + 6, y, rect.width() - 12, line),
                Qt.AlignmentFlag.AlignLeft,
                f"{len(shown) - room} more",
            )

    def day_at(self, point: QPointF) -> date | None:
        if self.schedule is None:
            return None
        for index in range(42):
            if self._cell(index).contains(point):
                day = self._first_cell() + timedelta(days=index)
                return day if any(p.day == day for p in self.schedule.days) else None
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus()
        day = self.day_at(event.position())
        if day is not None:
            self.selected = day
            self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position())
        if day is not None:
            self.day_chosen.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if self.schedule is None or self.selected is None:
            super().keyPressEvent(event)
            return
        if event.key() in steps:
            moved = self.selected + timedelta(days=steps[event.key()])
            if any(p.day == moved for p in self.schedule.days):
                self.selected = moved
                self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.day_chosen.emit(self.selected)
        else:
            super().keyPressEvent(event)
