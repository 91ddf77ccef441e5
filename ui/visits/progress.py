"""Progress charts: each outcome measure over time, its MCID band, hover values and a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsRectItem,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.store import Database
from practice.visits import measures, outcomes
from practice.visits.measures import Change, Direction, Measure, judge_change
from ui import theme
from ui.ops import QueryOp
from ui.widgets import dates
from ui.widgets.forms import muted, section_title
from ui.widgets.showing import after_painting

CHART_HEIGHT = 190
HOVER_PIXELS = 24  # how near the pointer must be to a point to show its value
SINGLE_POINT_DAYS = 15  # x range either side of a lone point
DAY_SECONDS = 86_400
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
TICK_PIXELS = 96  # room for one date label
PREPARED_CHARTS = 6  # charts built ahead while idle: pain, PSFS, sleep, diary, two more
CHARTS_AT_ONCE = 2  # drawn in one go; the next ones after the window has answered
Series = Sequence[tuple[date, float]]


def day_stamp(day: date) -> float:
    """Seconds since the epoch at local noon: what pg.DateAxisItem labels as that day."""
    return datetime.combine(day, time(12)).timestamp()


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _month_starts(first: date, last: date, months: int) -> list[date]:
    """The first days of every `months`-th month (Jan, Apr, Jul, Oct for 3) in first..last."""
    index = first.year * 12 + first.month - 1 + (first.day > 1)
    index += -index % months
    starts = []
    while (start := date(index // 12, index % 12 + 1, 1)) <= last:
        starts.append(start)
        index += months
    return starts


class DateAxis(pg.AxisItem):
    """Calendar days, months or years along the bottom, as many as fit; cheap to redraw.

    pg.DateAxisItem works out ticks for every zoom level on each redraw, which cost more than
    drawing a chart of 500 visits; these charts only need dates a therapist reads.
    """

    def __init__(self) -> None:
        super().__init__(orientation="bottom")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # type: ignore[override]
        first, last = date.fromtimestamp(minVal), date.fromtimestamp(maxVal)
        room = max(2, int(size // TICK_PIXELS))
        days = (last - first).days
        day_step = next((step for step in DAY_STEPS if days / step <= room), None)
        if day_step is not None and days <= 62:
            ticks = [first + timedelta(days=i) for i in range(0, days + 1, day_step)]
            return [(day_step * DAY_SECONDS, [day_stamp(day) for day in ticks])]
        month_step = next((step for step in MONTH_STEPS if days / 30.4 / step <= room), 120)
        ticks = _month_starts(first, last, month_step)
        return [(month_step * 30.4 * DAY_SECONDS, [day_stamp(day) for day in ticks])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if spacing < 28 * DAY_SECONDS:
            pattern = "MMMd"
        elif spacing < 360 * DAY_SECONDS:
            pattern = "yMMM"
        else:
            pattern = "y"
        return [dates.axis(date.fromtimestamp(value), pattern) for value in values]


def mcid_text(measure: Measure) -> str:
    """'2 points or 30%', or '' for a measure without one."""
    unit = measure.unit or "points"
    parts = []
    if measure.mcid_points is not None:
        parts.append(f"{_number(measure.mcid_points)} {unit}")
    if measure.mcid_percent is not None:
        parts.append(f"{_number(measure.mcid_percent)}%")
    return " or ".join(parts)


def mcid_band(measure: Measure, baseline: float) -> tuple[float, float] | None:
    """Scores within this band changed less than the MCID from the baseline (judge_change's rule).

    Improvement counts by points or by percent, whichever is reached first; worsening by points
    only, so without a points MCID the band runs to the end of the scale on the worse side.
    """
    improve = [
        threshold
        for threshold in (
            measure.mcid_points,
            abs(baseline) * measure.mcid_percent / 100 if measure.mcid_percent else None,
        )
        if threshold is not None
    ]
    if not improve:
        return None
    better = min(improve)
    worse = measure.mcid_points
    if measure.higher_is_better:
        low = baseline - worse if worse is not None else measure.minimum
        high = baseline + better
    else:
        low = baseline - better
        high = baseline + worse if worse is not None else measure.maximum
    return max(low, measure.minimum), min(high, measure.maximum)


def describe_change(measure: Measure, change: Change) -> str:
    """'7 → 3: improved by 4 points (57%); clinically meaningful.' and the like."""
    scores = f"{_number(change.baseline)} → {_number(change.latest)}"
    if change.direction is Direction.UNCHANGED:
        return f"{scores}: no change from the first score."
    unit = measure.unit or ("point" if abs(change.delta) == 1 else "points")
    percent = f" ({abs(change.percent):.0f}%)" if change.percent is not None else ""
    moved = f"{scores}: {change.direction.value} by {_number(abs(change.delta))} {unit}{percent}"
    if measure.mcid_points is None and measure.mcid_percent is None:
        return f"{moved}; no published MCID to judge it by."
    if change.meaningful:
        return f"{moved}; clinically meaningful."
    return f"{moved}; less than the MCID, not clinically meaningful."


@dataclass(frozen=True, slots=True)
class Curve:
    label: str
    measure: Measure
    points: Series


class MeasureChart(QWidget):
    """One measure (or pain before and after) over time, with a verdict and its MCID band.

    Built once (ahead, while the window is idle: `ProgressView.prepare_chart`) and given a title
    and data with set_title() and set_curves(): pyqtgraph plots are slow to construct and quick
    to update.
    """

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = theme.colours()
        self.curves: list[Curve] = []
        self.change: Change | None = None
        self.band: tuple[float, float] | None = None
        self.title = section_title(title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.caption = muted("")

        self.plot = pg.PlotWidget(enableMenu=False, axisItems={"bottom": DateAxis()})
        self.plot.setAccessibleName(f"Chart: {title}")
        self.plot.setBackground(c.surface)
        self.plot.setFixedHeight(CHART_HEIGHT)
        self.plot.setFrameShape(QFrame.Shape.NoFrame)
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.disableAutoRange()
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(c.border))
            axis.setTextPen(pg.mkPen(c.muted))
        # Slot 0 is the measure (pain before treatment) with filled dots; slot 1 pain after
        # treatment, thinner with hollow dots: told apart by shape as well as colour.
        self._lines = [
            pg.PlotDataItem(
                pen=pg.mkPen(colour, width=width),
                symbol="o",
                symbolSize=6,
                symbolPen=pg.mkPen(colour, width=1.5),
                symbolBrush=pg.mkBrush(fill),
                antialias=True,
            )
            for colour, width, fill in ((c.accent, 2, c.accent), (c.info, 1.5, c.surface))
        ]
        for line in self._lines:
            # Separate segments: an antialiased polyline of hundreds of visits strokes ~5x slower.
            line.curve.setSegmentedLineMode("on")
            item.addItem(line)
        fill = QColor(c.accent)
        fill.setAlpha(34)
        self._band = QGraphicsRectItem()
        self._band.setBrush(pg.mkBrush(fill))
        self._band.setPen(pg.mkPen(None))
        self._band.setZValue(-10)
        self._baseline = pg.InfiniteLine(
            angle=0, pen=pg.mkPen(c.muted, width=1, style=Qt.PenStyle.DotLine)
        )
        self._band_label = pg.TextItem("MCID band", color=c.muted, anchor=(0, 1))
        self.hover = pg.TextItem(color=c.text, fill=pg.mkBrush(c.surface), border=c.border)
        self.hover.setZValue(10)
        for extra in (self._band, self._baseline, self._band_label, self.hover):
            item.addItem(extra, ignoreBounds=True)
        self._series: list[tuple[Curve, np.ndarray, np.ndarray]] = []
        self._proxy = pg.SignalProxy(
            self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._on_scene_mouse_moved
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addSpacing(4)
        layout.addWidget(self.plot)
        layout.addWidget(self.caption)

    def set_title(self, title: str) -> None:
        self.title.setText(title)
        self.plot.setAccessibleName(f"Chart: {title}")

    def set_curves(self, curves: Sequence[Curve]) -> None:
        """Show these series (one, or pain before and after), each with at least one point."""
        self.curves = list(curves)
        main = self.curves[0]
        self.change = judge_change(main.measure, main.points[0][1], main.points[-1][1])
        self.summary.setText(
            "\n".join(
                (f"{curve.label}: " if len(self.curves) > 1 else "")
                + describe_change(
                    curve.measure,
                    judge_change(curve.measure, curve.points[0][1], curve.points[-1][1]),
                )
                for curve in self.curves
            )
        )
        self._series = []
        for curve in self.curves:
            count = len(curve.points)
            xs = np.fromiter((day_stamp(day) for day, _v in curve.points), float, count)
            ys = np.fromiter((v for _d, v in curve.points), float, count)
            self._series.append((curve, xs, ys))
        self.band = mcid_band(main.measure, main.points[0][1])
        self._set_ranges()  # first: data added to a fixed range is not laid out twice
        for index, line in enumerate(self._lines):
            if index < len(self._series):
                _curve, xs, ys = self._series[index]
                line.setData(xs, ys)
            line.setVisible(index < len(self._series))
        self.caption.setText(self._caption(main.measure))
        self.caption.setToolTip(main.measure.source)
        self.plot.setToolTip(main.measure.source)
        self.hover.hide()

    def _caption(self, measure: Measure) -> str:
        legend = ""
        if len(self.curves) > 1:
            legend = "Filled dots: before treatment; hollow dots: after. "
        if self.band is None:
            return f"{legend}{measure.source}"
        return (
            f"{legend}Shaded band: less change from the first score than the MCID "
            f"({mcid_text(measure)}). {measure.source}"
        )

    def _set_ranges(self) -> None:
        measure = self.curves[0].measure
        values = np.concatenate([ys for _c, _x, ys in self._series])
        stamps = np.concatenate([xs for _c, xs, _y in self._series])
        first, last = float(stamps.min()), float(stamps.max())
        pad = max((last - first) * 0.04, SINGLE_POINT_DAYS * DAY_SECONDS * (first == last))
        left, right = first - pad, last + pad
        if measure.maximum - measure.minimum <= 10:
            low, high = measure.minimum, measure.maximum
        else:
            top = max(float(values.max()), self.band[1] if self.band else 0.0)
            low, high = measure.minimum, min(measure.maximum, max(top * 1.15, measure.minimum + 1))
        margin = (high - low) * 0.06
        self.plot.getPlotItem().setRange(
            xRange=(left, right), yRange=(low - margin, high + margin), padding=0
        )
        shown = self.band is not None
        for part in (self._band, self._baseline, self._band_label):
            part.setVisible(shown)
        if self.band is not None:
            band_low, band_high = self.band
            self._band.setRect(QRectF(left, band_low, right - left, band_high - band_low))
            self._baseline.setPos(self.curves[0].points[0][1])
            self._band_label.setPos(first, band_high)

    def point_near(self, scene_pos: QPointF) -> tuple[Curve, date, float, QPointF] | None:
        """The plotted point nearest the pointer, if it is within HOVER_PIXELS."""
        box = self.plot.getPlotItem().getViewBox()
        if not self._series or not box.sceneBoundingRect().contains(scene_pos):
            return None
        where = box.mapSceneToView(scene_pos)
        width, height = box.viewPixelSize()
        best: tuple[float, Curve, int] | None = None
        for curve, xs, ys in self._series:
            distances = np.hypot((xs - where.x()) / width, (ys - where.y()) / height)
            index = int(distances.argmin())
            if best is None or distances[index] < best[0]:
                best = (float(distances[index]), curve, index)
        if best is None or best[0] > HOVER_PIXELS:
            return None
        _distance, curve, index = best
        day, value = curve.points[index]
        return curve, day, value, QPointF(day_stamp(day), value)

    def _on_scene_mouse_moved(self, event: tuple[QPointF]) -> None:
        found = self.point_near(event[0])
        if found is None:
            self.hover.hide()
            return
        curve, day, value, at = found
        unit = f" {curve.measure.unit}" if curve.measure.unit else ""
        self.hover.setText(f"{dates.day(day)}\n{curve.label}: {_number(value)}{unit}")
        self.hover.setAnchor((0, 1) if day < self.curves[0].points[-1][0] else (1, 1))
        self.hover.setPos(at)
        self.hover.show()


def charts_for(series: dict[Measure, list[tuple[date, float]]]) -> list[tuple[str, list[Curve]]]:
    """The charts to draw: pain before and after together, then each other measure on its own."""
    charts: list[tuple[str, list[Curve]]] = []
    pain = [
        Curve(label, measure, series[measure])
        for measure, label in (
            (measures.PAIN_BEFORE, "Before treatment"),
            (measures.PAIN_AFTER, "After treatment"),
        )
        if series.get(measure)
    ]
    if pain:
        charts.append(("Pain (NRS 0-10) at each visit", pain))
    for measure, points in series.items():
        if measure not in (measures.PAIN_BEFORE, measures.PAIN_AFTER) and points:
            charts.append((measure.name, [Curve(measure.name, measure, points)]))
    return charts


class ProgressView(QWidget):
    """Every measure the client has scores for, one chart each, or what will appear here."""

    shown = Signal()  # a client's scores are charted

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.charts: list[MeasureChart] = []
        self._built: list[MeasureChart] = []  # reused from client to client, in order
        self._generation = 0  # which client's scores are being charted
        self.complete = True  # every chart of the last scores drawn
        self._body = QWidget()
        self._charts_layout = QVBoxLayout(self._body)
        self._charts_layout.setContentsMargins(16, 16, 16, 16)
        self._charts_layout.setSpacing(24)
        self._charts_layout.addWidget(
            muted(
                "The first score is the baseline (dotted line). The shaded band marks change "
                "smaller than the minimal clinically important difference (MCID); points "
                "outside it changed meaningfully. Point at a dot for its date and value."
            )
        )
        self._charts_layout.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._body)
        self.empty = QLabel(
            "No scores to chart yet.\n\nPain before and after treatment comes from the visit "
            "notes; PSFS, sleep quality, the headache diary, body charts and your own measures "
            "appear here once recorded."
        )
        self.empty.setProperty("role", "empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._scroll)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def load(self, client_id: int | None) -> None:
        """The client's scores, read on the op runner, then charted."""
        if client_id is None:
            self.show_series({})
            return
        db = self.db
        QueryOp(self, lambda: outcomes.progress_series(db, client_id), self.show_series).run(
            key="progress"
        )

    def prepare_chart(self) -> bool:
        """Build one more chart ahead (while the window is idle), up to PREPARED_CHARTS: the
        first client's charts are then only given their data. False when enough are built."""
        if len(self._built) >= PREPARED_CHARTS:
            return False
        self._add_chart()
        return True

    def _add_chart(self) -> MeasureChart:
        chart = MeasureChart()
        chart.hide()
        self._charts_layout.insertWidget(len(self._built) + 1, chart)  # after the legend
        self._built.append(chart)
        return chart

    def show_series(self, series: dict[Measure, list[tuple[date, float]]]) -> None:
        """Chart the scores: CHARTS_AT_ONCE charts at a time, the window answering in between
        (`complete` and `shown` once all are drawn)."""
        entries = charts_for(series)
        self._generation += 1
        self.complete = False
        for chart in self._built[len(entries) :]:
            chart.hide()
        self.charts = []
        self.stack.setCurrentWidget(self._scroll if entries else self.empty)
        self._show_from(entries, 0, self._generation)

    def _show_from(
        self, entries: list[tuple[str, list[Curve]]], start: int, generation: int
    ) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            return  # another client's scores came meanwhile
        end = min(len(entries), start + CHARTS_AT_ONCE)
        for index in range(start, end):
            title, curves = entries[index]
            chart = self._built[index] if index < len(self._built) else self._add_chart()
            chart.set_title(title)
            chart.set_curves(curves)
            chart.show()
            self.charts.append(chart)
        if end < len(entries):  # the next ones once these are painted, in a pass of their own
            after_painting(self, partial(self._show_from, entries, end, generation))
        else:
            self.complete = True
            self.shown.emit()
