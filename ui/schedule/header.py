"""The day names above the time grid (they stay put while the hours scroll)."""

from __future__ import annotations

from datetime import date

import babel.dates
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from practice.dates import babel_locale
from ui import theme
from ui.schedule.grid import TimeGrid


def day_caption(day: date, locale: str) -> str:
    """'Mon 7' in the practice's language."""
    weekday = babel.dates.format_date(day, "EEE", locale=babel_locale(locale))
    return f"{weekday} {day.day}"


class DayHeader(QWidget):
    """Each column's weekday and date, today's in the accent colour, days off marked. A click
    on a day asks for it (the page shows that day alone, or the week again)."""

    day_clicked = Signal(object)  # date

    def __init__(self, grid: TimeGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.today: date | None = None
        self.setFixedHeight(44)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click a day to see it alone; click again for the week")

    def sizeHint(self) -> QSize:
        return QSize(800, 44)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        schedule = self.grid.schedule
        spot = self.grid.hit(QPointF(event.position().x(), 0))
        if schedule is not None and spot is not None:
            self.day_clicked.emit(schedule.days[spot[0]].day)

    def paintEvent(self, _event: QPaintEvent) -> None:
        c = theme.colours()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(c.surface))
        schedule = self.grid.schedule
        if schedule is not None:
            bold = QFont(self.font())
            bold.setWeight(QFont.Weight.DemiBold)
            small = QFont(self.font())
            small.setPointSizeF(self.font().pointSizeF() * 0.9)
            for column, plan in enumerate(schedule.days):
                x = self.grid.column_x(column)
                width = self.grid.column_width()
                is_today = plan.day == self.today
                painter.setFont(bold)
                painter.setPen(QColor(c.accent if is_today else c.text))
                top = QRectF(x, 4, width, 20)
                painter.drawText(
                    top, Qt.AlignmentFlag.AlignCenter, day_caption(plan.day, schedule.locale)
                )
                painter.setFont(small)
                painter.setPen(QColor(c.muted))
                count = sum(a.state.occupies_time for a in plan.appointments)
                booked = f"{count} booked" if count else ""
                off = "Day off" if plan.opens_at is None else ""
                note = " · ".join(filter(None, [off, booked]))
                painter.drawText(QRectF(x, 23, width, 18), Qt.AlignmentFlag.AlignCenter, note)
                if is_today:
                    painter.fillRect(
                        QRectF(x + 8, self.height() - 3, width - 16, 3), QColor(c.accent)
                    )
                painter.setPen(QPen(QColor(c.border), 1))
                painter.drawLine(int(x), 0, int(x), self.height())
        painter.setPen(QPen(QColor(c.border), 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()
