"""The day and week time grid: days side by side, hours down, appointments as blocks.

Working hours are shaded light, closed time darker, breaks hatched, the buffer after each
session drawn, the current time a line. A click selects a slot, a drag on empty time asks for
a new appointment there, a drag of a block moves it and a drag of its bottom edge resizes it
(15-minute steps); the grid only asks (signals) and the page does the writing. A dragged block
that would overlap another turns the danger colour before it is dropped. Held for a moment at
the grid's left edge (over the hours) or its right edge, a dragged block asks for the previous
or next week (or day) and the drag goes on there, a step each moment it stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QStaticText,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from practice.dates import format_time
from practice.schedule.records import Appointment, AppointmentState, ScheduleRange
from ui import theme
from ui.schedule.blocks import (
    MAX_KEPT_LINES,
    STATE_ICONS,
    BlockType,
    clock,
    smooth,
    state_colours,
    state_pixmap,
)

GUTTER = 64  # the hours column, at least (wide enough for the locale's longest hour)
HOUR = 56  # pixels per hour: an hour's block holds the name, the state and time, the service
SNAP = 15  # minutes
EDGE = 6  # pixels at a block's foot that resize it
TURN = 24  # pixels at the right edge (and the hours column at the left) that turn the week
TURN_AFTER_MS = 600  # a dragged block held there this long steps a week (or day)
DAY_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class Placed:
    """An appointment laid out in one day column: its minutes and its lane among overlaps."""

    appointment: Appointment
    column: int
    start: int  # the wall clock in minutes (10:00 is 600, on a clock-change day too)
    end: int
    lane: int
    lanes: int


def lay_out(schedule: ScheduleRange) -> list[Placed]:
    """Each day's appointments in minutes, overlapping ones side by side in lanes."""
    zone = ZoneInfo(schedule.time_zone)
    placed: list[Placed] = []
    for column, plan in enumerate(schedule.days):
        spans = []
        for a in plan.appointments:
            start = wall_minutes(a.starts_at, plan.day, zone)
            end = wall_minutes(a.ends_at, plan.day, zone)
            spans.append((start, max(end, start + SNAP), a))
        spans.sort(key=lambda s: (s[0], -s[1]))
        placed += _lanes(column, spans)
    return placed


def _lanes(column: int, spans: list[tuple[int, int, Appointment]]) -> list[Placed]:
    """Greedy lanes per cluster of overlapping spans (a calendar's usual layout)."""
    out: list[Placed] = []
    cluster: list[tuple[int, int, Appointment, int]] = []
    ends: list[int] = []
    cluster_end = -1

    def flush() -> None:
        for s, e, a, lane in cluster:
            out.append(Placed(a, column, s, e, lane, len(ends)))

    for start, end, appointment in spans:
        if cluster and start >= cluster_end:
            flush()
            cluster, ends, cluster_end = [], [], -1
        lane = next((i for i, e in enumerate(ends) if e <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        cluster.append((start, end, appointment, lane))
        cluster_end = max(cluster_end, end)
    if cluster:
        flush()
    return out


def wall_minutes(moment: datetime, day: date, zone: ZoneInfo) -> int:
    """Where a time falls on `day`'s grid: its wall-clock minutes, 0 before the day, 1440 after.

    The grid's rows are the clock's hours, so on the nights the clocks change a 10:00
    appointment still sits at the 10:00 row (minutes since midnight would put it at 9:00 or
    11:00)."""
    local = moment.astimezone(zone)
    if local.date() < day:
        return 0
    if local.date() > day:
        return DAY_MINUTES
    return local.hour * 60 + local.minute


@dataclass(slots=True)
class _Drag:
    mode: str  # "create", "move" or "resize"
    column: int
    anchor: int  # minutes at the press
    press: QPointF
    placed: Placed | None = None
    target_column: int = 0
    start: int = 0
    end: int = 0
    moved: bool = False
    turned: int = 0  # weeks (or days) stepped while dragging


class TimeGrid(QWidget):
    """The grid under the day headers (it scrolls; the headers do not)."""

    slot_selected = Signal(object)  # aware start of the selected slot
    create_requested = Signal(object, object)  # aware start and end
    open_requested = Signal(object)  # Appointment
    move_requested = Signal(object, object)  # Appointment, aware new start
    resize_requested = Signal(object, object)  # Appointment, aware new end
    cancel_requested = Signal(object)  # Appointment
    step_requested = Signal(int)  # -1 or 1: a dragged block held at an edge

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schedule: ScheduleRange | None = None
        self.zone = ZoneInfo("UTC")
        self.locale = "en_US"
        self.placed: list[Placed] = []
        self.hour_labels = [f"{h:02d}:00" for h in range(24)]
        self.times: dict[int, tuple[str, str]] = {}
        self._block_type: BlockType | None = None
        self._lines: dict[tuple[int, str, int], QStaticText] = {}
        self.selected: tuple[int, int] = (0, 9 * 60)  # column, minute
        self.selected_id: int | None = None
        self.now: datetime | None = None
        self._drag: _Drag | None = None
        self.turning = 0  # -1 or 1 while a dragged block is held at an edge
        self._turn_timer = QTimer(self)
        self._turn_timer.setInterval(TURN_AFTER_MS)
        self._turn_timer.timeout.connect(self._on_turn_timeout)
        self.gutter = GUTTER
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(24 * HOUR)
        self.setAccessibleName("Schedule")

    # ---------------------------------------------------------------- data

    def show_range(self, schedule: ScheduleRange, locale: str, now: datetime) -> None:
        keep = self.schedule is not None and len(self.schedule.days) == len(schedule.days)
        self.schedule = schedule
        self.zone = ZoneInfo(schedule.time_zone)
        self.locale = locale
        self.now = now
        self.placed = lay_out(schedule)
        # Written once per read, not on every paint (Babel is slow next to a repaint).
        self.hour_labels = [clock(h, 0, locale) for h in range(24)]
        self.times = {p.appointment.id: self._times(p.appointment) for p in self.placed}
        metrics = QFontMetrics(self.font())
        widest = max(metrics.horizontalAdvance(label) for label in self.hour_labels)
        self.gutter = max(GUTTER, widest + 18)
        if not keep or self.selected[0] >= len(schedule.days):
            today = now.astimezone(self.zone).date()
            column = next((i for i, d in enumerate(schedule.days) if d.day == today), 0)
            self.selected = (column, self.selected[1])
        if self.selected_id is not None and self.appointment(self.selected_id) is None:
            self.selected_id = None
        self.update()

    def appointment(self, appointment_id: int) -> Appointment | None:
        return next(
            (p.appointment for p in self.placed if p.appointment.id == appointment_id), None
        )

    def selected_start(self) -> datetime:
        column, minute = self.selected
        return self.moment(column, minute)

    def selected_appointment(self) -> Appointment | None:
        return self.appointment(self.selected_id) if self.selected_id is not None else None

    def moment(self, column: int, minute: int) -> datetime:
        assert self.schedule is not None
        day = self.schedule.days[column].day
        # Aware arithmetic in one zone is wall-clock arithmetic: minute 600 is 10:00 that day.
        return datetime.combine(day, time.min, self.zone) + timedelta(minutes=minute)

    def first_open_minute(self) -> int:
        """Where to scroll to: an hour before the earliest opening or appointment shown."""
        if self.schedule is None:
            return 8 * 60
        found = [
            wall_minutes(d.opens_at, d.day, self.zone)
            for d in self.schedule.days
            if d.opens_at is not None
        ] + [p.start for p in self.placed]
        return max(0, min(found, default=9 * 60) - 60)

    # ---------------------------------------------------------------- geometry

    def sizeHint(self) -> QSize:
        return QSize(800, 24 * HOUR)

    def columns(self) -> int:
        return len(self.schedule.days) if self.schedule is not None else 7

    def column_width(self) -> float:
        return max(1.0, (self.width() - self.gutter) / self.columns())

    def column_x(self, column: int) -> float:
        return self.gutter + column * self.column_width()

    @staticmethod
    def y(minute: float) -> float:
        return minute * HOUR / 60

    def block_rect(self, p: Placed) -> QRectF:
        width = self.column_width() - 6
        lane_width = width / p.lanes
        x = self.column_x(p.column) + 2 + p.lane * lane_width
        top = self.y(p.start)
        return QRectF(x, top + 1, lane_width - 2, max(self.y(p.end) - top - 2, 14))

    def hit(self, point: QPointF) -> tuple[int, int] | None:
        """The column and the snapped minute under a point, None in the hours column."""
        if point.x() < self.gutter or self.schedule is None:
            return None
        column = min(int((point.x() - self.gutter) // self.column_width()), self.columns() - 1)
        minute = int(point.y() * 60 / HOUR) // SNAP * SNAP
        return column, max(0, min(minute, DAY_MINUTES - SNAP))

    def block_at(self, point: QPointF) -> Placed | None:
        for p in reversed(self.placed):
            if self.block_rect(p).contains(point):
                return p
        return None

    # ---------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colours()
        exposed = QRectF(event.rect())
        painter = QPainter(self)
        # Only the rounded corners and the dot of the now line are antialiased (`_smooth`):
        # the fills and lines are most of a paint and gain nothing from it.
        painter.setClipRect(exposed)
        painter.fillRect(self.rect(), QColor(c.surface_alt))
        if self.schedule is not None:
            for column, plan in enumerate(self.schedule.days):
                self._paint_day(painter, column, plan)
        self._paint_hours(painter)
        if self.schedule is not None:
            self._paint_buffers(painter)
            for p in self.placed:
                rect = self.block_rect(p)
                if not rect.intersects(exposed):
                    continue  # the hours scrolled out of sight
                if not self._is_dragged(p):
                    self._paint_block(painter, p, rect)
            self._paint_selection(painter)
            self._paint_drag(painter)
            self._paint_now(painter)
            self._paint_turning(painter)
        painter.end()

    def _is_dragged(self, p: Placed) -> bool:
        drag = self._drag
        return (
            drag is not None
            and drag.moved
            and drag.placed is not None
            and drag.placed.appointment.id == p.appointment.id
        )

    def _paint_turning(self, painter: QPainter) -> None:
        """The edge a held block is about to turn the week at, in the accent colour."""
        if not self.turning:
            return
        colour = QColor(theme.colours().accent)
        colour.setAlpha(60)
        x = 0.0 if self.turning < 0 else self.width() - TURN
        width = self.gutter if self.turning < 0 else TURN
        painter.fillRect(QRectF(x, 0, width, self.height()), colour)

    def _span(self, start: datetime, end: datetime, day: date) -> tuple[float, float]:
        top = self.y(wall_minutes(start, day, self.zone))
        bottom = self.y(wall_minutes(end, day, self.zone))
        return top, bottom

    def _paint_day(self, painter: QPainter, column: int, plan) -> None:  # type: ignore[no-untyped-def]
        c = theme.colours()
        x, width = self.column_x(column), self.column_width()
        if plan.opens_at is not None and plan.closes_at is not None:
            top, bottom = self._span(plan.opens_at, plan.closes_at, plan.day)
            painter.fillRect(QRectF(x, top, width, bottom - top), QColor(c.surface))
        hatch = QColor(c.border)
        for start, end in plan.breaks:
            top, bottom = self._span(start, end, plan.day)
            area = QRectF(x, top, width, bottom - top)
            painter.fillRect(area, QColor(c.surface_alt))
            painter.fillRect(area, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QColor(c.muted))
            painter.drawText(
                area.adjusted(6, 2, -4, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                "Break",
            )
        painter.setPen(QPen(QColor(c.border), 1))
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))

    def _paint_hours(self, painter: QPainter) -> None:
        c = theme.colours()
        painter.fillRect(QRectF(0, 0, self.gutter, self.height()), QColor(c.surface))
        solid = QPen(QColor(c.border), 1)
        dotted = QPen(QColor(c.border), 1, Qt.PenStyle.DotLine)
        painter.setFont(self.font())
        for hour in range(24):
            top = self.y(hour * 60)
            painter.setPen(solid)
            painter.drawLine(QPointF(self.gutter - 6, top), QPointF(self.width(), top))
            painter.setPen(dotted)
            half = top + HOUR / 2
            painter.drawLine(QPointF(self.gutter, half), QPointF(self.width(), half))
            if hour:
                painter.setPen(QColor(c.muted))
                label = self.hour_labels[hour]
                painter.drawText(
                    QRectF(0, top - 9, self.gutter - 10, 18),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )

    def _paint_buffers(self, painter: QPainter) -> None:
        """The buffer after each session (notes, laundry, the hands), as a thin hatched strip."""
        assert self.schedule is not None
        if not self.schedule.buffer_minutes:
            return
        colour = QColor(theme.colours().muted)
        colour.setAlpha(40)
        for p in self.placed:
            if not p.appointment.state.occupies_time:
                continue
            rect = self.block_rect(p)
            end = min(DAY_MINUTES, p.end + self.schedule.buffer_minutes)
            strip = QRectF(rect.left(), self.y(p.end), rect.width(), self.y(end) - self.y(p.end))
            painter.fillRect(strip, colour)

    def _paint_block(
        self, painter: QPainter, p: Placed, rect: QRectF, *, warn: bool = False
    ) -> None:
        a = p.appointment
        edge, fill = state_colours(a.state)
        if warn:
            edge, fill = theme.colours().danger, theme.colours().danger_bg
        selected = a.id == self.selected_id
        painter.setPen(QPen(QColor(edge), 2 if selected else 1))
        painter.setBrush(QColor(fill))
        with smooth(painter):
            painter.drawRoundedRect(rect, 4, 4)
        painter.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), QColor(edge))
        self._paint_block_text(painter, a, rect.adjusted(8, 2, -4, -2), edge)

    def _paint_block_text(self, painter: QPainter, a: Appointment, area: QRectF, edge: str) -> None:
        """Up to three lines, each elided to the block's width. A block's text is most of a
        week's paint: the lines are kept laid out (`_line`), as names, services and states
        come back week after week, and the fonts are made once."""
        c = theme.colours()
        kind = self._type()
        line, width = kind.line, int(area.width())
        when, start = self.times.get(a.id) or self._times(a)
        if kind.metrics.horizontalAdvance(f"{a.state.label} · {when}") > width - 18:
            when = start
        name = 2 if a.state is AppointmentState.CANCELLED else 1
        rows: list[tuple[int, str, str, str | None]] = [
            (name, a.client_name, c.text, None),
            (0, f"{a.state.label} · {when}", edge, STATE_ICONS[a.state]),
            (0, a.service_name, c.muted, None),
        ]
        if area.height() < 2 * line:
            rows = [(name, f"{a.client_name} · {a.state.label}", c.text, None)]
        y = area.top()
        for font, text, colour, icon in rows:
            if y + line > area.bottom() + 2:
                break
            painter.setFont(kind.fonts[font])
            painter.setPen(QColor(colour))
            x = area.left()
            if icon:
                painter.drawPixmap(QPointF(x, y + (line - 14) / 2), state_pixmap(icon, colour))
                x += 18
            painter.drawStaticText(
                QPointF(x, y), self._line(font, text, width - int(x - area.left()))
            )
            y += line

    def _line(self, font: int, text: str, width: int) -> QStaticText:
        """`text` elided to `width` in block font `font`, laid out once and kept."""
        key = (font, text, width)
        found = self._lines.get(key)
        if found is None:
            if len(self._lines) >= MAX_KEPT_LINES:
                self._lines.clear()
            metrics = self._type().metrics_of[font]
            found = QStaticText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
            found.setTextFormat(Qt.TextFormat.PlainText)
            self._lines[key] = found
        return found

    def _type(self) -> BlockType:
        """The block fonts for the widget's font, made once (a paint draws dozens of blocks)."""
        font = self.font()
        if self._block_type is None or self._block_type.fonts[0] != font:
            self._block_type = BlockType.of(font)
            self._lines.clear()
        return self._block_type

    def _times(self, a: Appointment) -> tuple[str, str]:
        """(start–end, start) as the practice's locale writes them."""
        start, end = a.local_start, a.local_end
        start_text = clock(start.hour, start.minute, self.locale)
        return f"{start_text}–{clock(end.hour, end.minute, self.locale)}", start_text

    def span_text(self, a: Appointment) -> str:
        return self.times.get(a.id, self._times(a))[0]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            block = self.block_at(QPointF(event.pos()))
            if block is None:
                QToolTip.hideText()
                return True
            a = block.appointment
            lines = [a.client_name, self.span_text(a), a.service_name, a.state.label, a.notes]
            QToolTip.showText(event.globalPos(), "\n".join(filter(None, lines)), self)
            return True
        return super().event(event)

    def _paint_selection(self, painter: QPainter) -> None:
        if self._drag is not None or self.selected_id is not None:
            return
        column, minute = self.selected
        covered = any(
            p.column == column and p.start < minute + SNAP * 2 and minute < p.end
            for p in self.placed
        )
        if column >= self.columns() or covered:
            return
        rect = QRectF(
            self.column_x(column) + 1, self.y(minute), self.column_width() - 2, self.y(SNAP * 2)
        )
        pen = QPen(QColor(theme.colours().accent), 2 if self.hasFocus() else 1)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        with smooth(painter):
            painter.drawRoundedRect(rect, 3, 3)

    def _paint_drag(self, painter: QPainter) -> None:
        drag = self._drag
        if drag is None or not drag.moved:
            return
        warn = self._overlaps(drag)
        if drag.mode == "create":
            c = theme.colours()
            rect = QRectF(
                self.column_x(drag.target_column) + 2,
                self.y(drag.start),
                self.column_width() - 6,
                self.y(drag.end) - self.y(drag.start),
            )
            painter.setPen(QPen(QColor(c.danger if warn else c.accent), 2, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(c.danger_bg if warn else c.selection))
            with smooth(painter):
                painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor(c.text))
            painter.drawText(
                rect.adjusted(8, 2, -4, -2),
                Qt.AlignmentFlag.AlignLeft,
                self._span_text(drag) + (" · overlaps" if warn else ""),
            )
            return
        assert drag.placed is not None
        ghost = Placed(drag.placed.appointment, drag.target_column, drag.start, drag.end, 0, 1)
        self._paint_block(painter, ghost, self.block_rect(ghost), warn=warn)

    def _span_text(self, drag: _Drag) -> str:
        start = datetime(2000, 1, 1) + timedelta(minutes=drag.start)
        end = datetime(2000, 1, 1) + timedelta(minutes=drag.end)
        return f"{format_time(start, self.locale)}–{format_time(end, self.locale)}"

    def _paint_now(self, painter: QPainter) -> None:
        assert self.schedule is not None
        if self.now is None:
            return
        local = self.now.astimezone(self.zone)
        for column, plan in enumerate(self.schedule.days):
            if plan.day == local.date():
                top = self.y(local.hour * 60 + local.minute)
                colour = QColor(theme.colours().danger)
                painter.setPen(QPen(colour, 2))
                x = self.column_x(column)
                painter.drawLine(QPointF(x, top), QPointF(x + self.column_width(), top))
                painter.setBrush(colour)
                with smooth(painter):
                    painter.drawEllipse(QPointF(x, top), 4, 4)

    def _overlaps(self, drag: _Drag) -> bool:
        """Whether the dragged time overlaps another appointment that holds its time."""
        ignore = drag.placed.appointment.id if drag.placed is not None else None
        return any(
            p.column == drag.target_column
            and p.appointment.id != ignore
            and p.appointment.state.occupies_time
            and p.start < drag.end
            and drag.start < p.end
            for p in self.placed
        )

    # ---------------------------------------------------------------- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position()
        spot = self.hit(point)
        if spot is None:
            return
        block = self.block_at(point)
        if block is not None:
            self.selected_id = block.appointment.id
            self.selected = (block.column, block.start)
            pending = block.appointment.state.pending
            near_foot = point.y() >= self.block_rect(block).bottom() - EDGE
            mode = ("resize" if near_foot else "move") if pending else "select"
            self._drag = _Drag(
                mode, block.column, spot[1], point, block, block.column, block.start, block.end
            )
        else:
            self.selected_id = None
            self.selected = spot
            self._drag = _Drag(
                "create", spot[0], spot[1], point, None, spot[0], spot[1], spot[1] + SNAP
            )
        self.slot_selected.emit(self.selected_start())
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        drag = self._drag
        if drag is None:
            block = self.block_at(point)
            foot = (
                block is not None
                and block.appointment.state.pending
                and (point.y() >= self.block_rect(block).bottom() - EDGE)
            )
            self.setCursor(Qt.CursorShape.SizeVerCursor if foot else Qt.CursorShape.ArrowCursor)
            return
        if drag.mode == "select":
            return
        if not drag.moved and (point - drag.press).manhattanLength() < 6:
            return
        drag.moved = True
        self._hold_at_edge(point.x() if drag.mode == "move" else None)
        spot = self.hit(QPointF(max(point.x(), self.gutter), max(0.0, point.y())))
        if spot is None:
            return
        column, minute = spot
        if drag.mode == "create":
            drag.target_column = drag.column
            low, high = sorted((drag.anchor, minute))
            drag.start, drag.end = low, min(DAY_MINUTES, high + SNAP)
        elif drag.mode == "move":
            assert drag.placed is not None
            length = drag.placed.end - drag.placed.start
            start = drag.placed.start + (minute - drag.anchor)
            drag.target_column = column
            drag.start = max(0, min(start, DAY_MINUTES - length))
            drag.end = drag.start + length
        else:
            assert drag.placed is not None
            drag.end = max(drag.placed.start + SNAP, min(DAY_MINUTES, minute + SNAP))
        self.update()

    def _hold_at_edge(self, x: float | None) -> None:
        """Arm (or keep, or disarm) the week turn for a dragged block at `x`."""
        edge = 0
        if x is not None and x < self.gutter:
            edge = -1
        elif x is not None and x >= self.width() - TURN:
            edge = 1
        if edge == self.turning:
            return
        self.turning = edge
        if edge:
            self._turn_timer.start()
        else:
            self._turn_timer.stop()
        self.update()

    def _on_turn_timeout(self) -> None:
        drag = self._drag
        if drag is None or drag.mode != "move" or not self.turning:
            self._hold_at_edge(None)
            return
        drag.turned += self.turning
        drag.target_column = 0 if self.turning < 0 else self.columns() - 1
        self.step_requested.emit(self.turning)  # the timer goes on: a step each moment held

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        self._hold_at_edge(None)
        self.update()
        if drag is None or not drag.moved or event.button() != Qt.MouseButton.LeftButton:
            return
        if drag.mode == "create":
            self.create_requested.emit(
                self.moment(drag.target_column, drag.start),
                self.moment(drag.target_column, drag.end),
            )
            return
        assert drag.placed is not None
        a = drag.placed.appointment
        if drag.mode == "move" and (drag.turned, drag.target_column, drag.start) != (
            0,
            drag.placed.column,
            drag.placed.start,
        ):
            self.selected_id = a.id
            self.move_requested.emit(a, self.moment(drag.target_column, drag.start))
        elif drag.mode == "resize" and drag.end != drag.placed.end:
            self.resize_requested.emit(a, self.moment(drag.placed.column, drag.end))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        self._hold_at_edge(None)
        block = self.block_at(event.position())
        if block is not None:
            self.open_requested.emit(block.appointment)
            return
        spot = self.hit(event.position())
        if spot is not None:
            self.selected = spot
            self._request_new_at_selection()

    # ---------------------------------------------------------------- keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier,):
            super().keyPressEvent(event)
            return
        column, minute = self.selected
        steps = {
            Qt.Key.Key_Up: (0, -SNAP * 2),
            Qt.Key.Key_Down: (0, SNAP * 2),
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
        }
        if key in steps:
            dc, dm = steps[key]
            column = max(0, min(self.columns() - 1, column + dc))
            minute = max(0, min(DAY_MINUTES - SNAP * 2, minute + dm))
            self.select_slot(column, minute)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.selected_appointment()
            if chosen is not None:
                self.open_requested.emit(chosen)
            else:
                self._request_new_at_selection()
        elif key == Qt.Key.Key_N:
            self._request_new_at_selection()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            chosen = self.selected_appointment()
            if chosen is not None:
                self.cancel_requested.emit(chosen)
        else:
            super().keyPressEvent(event)

    def select_slot(self, column: int, minute: int) -> None:
        """Select a slot; the appointment covering it, if any, is selected with it."""
        self.selected = (column, minute)
        covering = [p for p in self.placed if p.column == column and p.start <= minute < p.end]
        self.selected_id = covering[0].appointment.id if covering else None
        self.slot_selected.emit(self.selected_start())
        self.update()

    def select_appointment(self, appointment_id: int) -> None:
        placed = next(p for p in self.placed if p.appointment.id == appointment_id)
        self.selected, self.selected_id = (placed.column, placed.start), appointment_id
        self.update()

    def _request_new_at_selection(self) -> None:
        start = self.selected_start()
        self.create_requested.emit(start, None)
