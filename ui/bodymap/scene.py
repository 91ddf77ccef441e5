"""The body map as a QGraphicsScene: region items built once, restyled as a chart changes."""

from __future__ import annotations

import atexit
import functools
import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from practice.bodymap import View
from practice.bodymap.atlas import Atlas, load_atlas
from practice.bodymap.chart import ChartData, PointSymbol, ReferralArrow, Stroke, TextLabel
from practice.bodymap.metrics import Comparison
from practice.bodymap.style import (
    INK,
    OUTLINE,
    PAPER,
    UNMARKED,
    change_colour,
    change_glyph,
    intensity_colour,
    stroke_style,
    symbol_shape,
)
from practice.plans.trigger_points import MusclePattern, TriggerPoint

SYMBOL_RADIUS = 7.0  # atlas units from a symbol's centre to the edge of its unit box
REGION_BORDER = "#c3c7cd"
SCENE_RECT = QRectF(0.0, 0.0, 1000.0, 1005.0)
OVERLAY_Z = 10.0
# A muscle's referral overlay (display only, never part of a chart): indigo stays apart from
# the YlOrRd pain fills; the main zone is hatched with a solid border, the spillover dotted.
REFERRAL_COLOUR = "#3b3f9e"
REFERRAL_Z = 2.0  # above the region fills, below the outline and the chart's own symbols
TARGET_RADIUS = 11.0  # atlas units: a muscle's trigger point drawn as a target

Point = tuple[float, float]


@functools.lru_cache(maxsize=4096)
def _outline(points: tuple[Point, ...]) -> QPainterPath:
    """The closed path of an atlas outline, made once per session: every scene (the editor's,
    the comparison's, the history's) draws the same few hundred regions. Qt shares a path's
    data between copies, and nothing changes these."""
    return _path(points)


atexit.register(_outline.cache_clear)  # while the application still exists


def _path(points: Sequence[Point], *, closed: bool = True) -> QPainterPath:
    path = QPainterPath()
    if not points:
        return path
    polygon = QPolygonF([QPointF(x, y) for x, y in points])
    if closed:
        path.addPolygon(polygon)
        path.closeSubpath()
    else:
        path.moveTo(polygon[0])
        for point in list(polygon)[1:]:
            path.lineTo(point)
    return path


def _text(
    text: str, pixel_size: int, colour: str, *, bold: bool = False
) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text)
    font = QFont()
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    item.setFont(font)
    item.setBrush(QColor(colour))
    return item


def _centre_on(item: QGraphicsSimpleTextItem, x: float, y: float, *, baseline: bool) -> None:
    rect = item.boundingRect()
    dy = rect.height() * (0.8 if baseline else 0.5)
    item.setPos(x - rect.width() / 2, y - dy)


class SymbolItem(QGraphicsItem):
    """One point symbol: style.symbol_shape scaled to SYMBOL_RADIUS, filled and outlined."""

    def __init__(self, symbol: PointSymbol) -> None:
        super().__init__()
        self.symbol = symbol
        shape = symbol_shape(symbol.kind)
        scale = SYMBOL_RADIUS
        self._closed = QPainterPath()
        self._open = QPainterPath()
        for ring, closed in shape.paths:
            scaled = [(x * scale, y * scale) for x, y in ring]
            (self._closed if closed else self._open).addPath(_path(scaled, closed=closed))
        self._fill = QColor(shape.fill) if shape.fill else None
        self._pen = QPen(QColor(shape.stroke), 1.3)
        self._pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPos(symbol.x, symbol.y)
        self.setZValue(OVERLAY_Z + 1)
        self.setToolTip(shape.name)

    def boundingRect(self) -> QRectF:
        margin = SYMBOL_RADIUS + 2
        return QRectF(-margin, -margin, 2 * margin, 2 * margin)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setPen(self._pen)
        painter.setBrush(QBrush(self._fill) if self._fill else Qt.BrushStyle.NoBrush)
        painter.drawPath(self._closed)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._open)


class TargetItem(QGraphicsItem):
    """A catalogue trigger point: a ring with a cross-hair and a centre dot on a white halo.

    Its shape differs from every chart symbol (filled or crossed circles), so a suggestion
    can never be mistaken for a finding recorded on the chart.
    """

    def __init__(self, x: float, y: float, tooltip: str = "") -> None:
        super().__init__()
        self.setPos(x, y)
        self.setZValue(OVERLAY_Z + 2)
        self.setToolTip(tooltip)
        self._halo = QPen(QColor(PAPER), 3.4)
        self._pen = QPen(QColor(REFERRAL_COLOUR), 1.6)
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)

    def boundingRect(self) -> QRectF:
        margin = TARGET_RADIUS * 1.45 + 3
        return QRectF(-margin, -margin, 2 * margin, 2 * margin)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        r = TARGET_RADIUS
        reach = r * 1.4
        lines = (
            (QPointF(-reach, 0), QPointF(-r * 0.35, 0)),
            (QPointF(r * 0.35, 0), QPointF(reach, 0)),
            (QPointF(0, -reach), QPointF(0, -r * 0.35)),
            (QPointF(0, r * 0.35), QPointF(0, reach)),
        )
        for pen in (self._halo, self._pen):
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r, r)
            for start, end in lines:
                painter.drawLine(start, end)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(REFERRAL_COLOUR))
        painter.drawEllipse(QPointF(0, 0), r * 0.22, r * 0.22)


def referral_pen(primary: bool) -> QPen:
    pen = QPen(QColor(REFERRAL_COLOUR), 2.0 if primary else 1.5)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if not primary:
        pen.setStyle(Qt.PenStyle.DotLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def referral_brush(primary: bool) -> QBrush:
    colour = QColor(REFERRAL_COLOUR)
    colour.setAlphaF(0.85 if primary else 0.7)
    return QBrush(colour, Qt.BrushStyle.BDiagPattern if primary else Qt.BrushStyle.Dense6Pattern)


def arrow_path(x1: float, y1: float, x2: float, y2: float, head: float = 9.0) -> QPainterPath:
    """A line from (x1, y1) with a filled arrowhead at (x2, y2)."""
    path = QPainterPath(QPointF(x1, y1))
    angle = math.atan2(y2 - y1, x2 - x1)
    length = math.hypot(x2 - x1, y2 - y1)
    base = max(length - head * 0.8, 0.0)
    path.lineTo(x1 + base * math.cos(angle), y1 + base * math.sin(angle))
    left = angle + math.radians(155)
    right = angle - math.radians(155)
    path.addPolygon(
        QPolygonF(
            [
                QPointF(x2, y2),
                QPointF(x2 + head * math.cos(left), y2 + head * math.sin(left)),
                QPointF(x2 + head * math.cos(right), y2 + head * math.sin(right)),
            ]
        )
    )
    path.closeSubpath()
    return path


def stroke_pen(kind: str) -> QPen:
    style = stroke_style(kind)
    pen = QPen(QColor(style.colour), style.width * 1.5)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap if style.dash else Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if style.dash:
        pen.setDashPattern(list(style.dash))
    return pen


class BodyMapScene(QGraphicsScene):
    """Front and back outlines with one path item per region; overlays for symbols and lines."""

    def __init__(self, atlas: Atlas | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas or load_atlas()
        self.setSceneRect(SCENE_RECT)
        self._chart = ChartData()
        self._fills: dict[str, str | None] = {}
        self._overlays: list[QGraphicsItem] = []
        self._glyphs: list[QGraphicsItem] = []
        self._muscle_items: list[QGraphicsItem] = []
        self._muscle: MusclePattern | None = None
        self._hover: str | None = None
        self._border = QPen(QColor(REGION_BORDER), 0.8)
        self._border.setCosmetic(False)
        self._hover_pen = QPen(QColor(INK), 2.0)
        self._unmarked = QBrush(QColor(UNMARKED))
        self.region_items: dict[str, QGraphicsPathItem] = {}
        for region in self.atlas.regions:
            item = QGraphicsPathItem(_outline(region.polygon))
            item.setPen(self._border)
            item.setBrush(self._unmarked)
            item.setData(0, region.code)
            self.addItem(item)
            self.region_items[region.code] = item
            self._fills[region.code] = None
        outline_pen = QPen(QColor(OUTLINE), 1.6)
        outline_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for view in self.atlas.views:
            path = QPainterPath()
            for ring in self.atlas.outline(view):
                path.addPath(_outline(tuple(ring)))
            outline = self.addPath(path, outline_pen)
            outline.setZValue(OVERLAY_Z - 1)
            for text in self.atlas.texts(view):
                title = text.id.startswith("title")
                side = text.id.startswith("side-") and len(text.text) == 1
                size = 26 if title else 24 if side else 17
                item = _text(text.text, size, OUTLINE if not title else INK, bold=title or side)
                _centre_on(item, text.x, text.y, baseline=True)
                self.addItem(item)

    # --- chart --------------------------------------------------------------------------------

    def chart(self) -> ChartData:
        return self._chart

    def show_chart(self, chart: ChartData) -> None:
        """Show a chart: restyle only the regions that changed; rebuild overlays if they changed."""
        self._clear(self._glyphs)
        wanted = {m.region: intensity_colour(m.intensity) for m in chart.marks}
        for code, fill in self._fills.items():
            colour = wanted.get(code)
            if colour != fill:
                self._fill(code, colour)
        old = self._chart
        if (old.symbols, old.arrows, old.strokes, old.labels) != (
            chart.symbols,
            chart.arrows,
            chart.strokes,
            chart.labels,
        ) or not self._overlays:
            self._clear(self._overlays)
            self._add_overlays(chart)
        self._chart = chart

    def set_mark(self, code: str, intensity: int) -> None:
        """Restyle one region for an intensity (0 clears it)."""
        self._fill(code, intensity_colour(intensity))

    def show_change(self, comparison: Comparison) -> None:
        """Colour regions by change (blue better, red worse) with a + or − glyph on each."""
        self._clear(self._glyphs)
        self._clear(self._overlays)
        self._chart = ChartData()
        deltas = {c.region: c.delta for c in comparison.changes}
        for code in self._fills:
            delta = deltas.get(code)
            self._fill(code, None if delta is None else change_colour(delta), force=True)
            glyph = change_glyph(delta or 0)
            if glyph:
                region = self.atlas.region(code)
                item = _text(glyph, 18, INK, bold=True)
                _centre_on(item, *region.label_point, baseline=False)
                item.setZValue(OVERLAY_Z)
                self.addItem(item)
                self._glyphs.append(item)

    # --- a muscle's referral pattern (display only) ---------------------------------------------

    def shown_muscle(self) -> MusclePattern | None:
        return self._muscle

    def muscle_overlay_items(self) -> list[QGraphicsItem]:
        return list(self._muscle_items)

    def show_muscle(self, muscle: MusclePattern | None) -> None:
        """Draw a muscle's referral zones and trigger points over the chart (None clears).

        The overlay lives only on this scene: it is not part of the chart, the undo stack or
        anything saved.
        """
        self._clear(self._muscle_items)
        self._muscle = muscle
        if muscle is None:
            return
        for codes, primary in ((muscle.spillover, False), (muscle.primary, True)):
            for code in codes:
                item = QGraphicsPathItem(_outline(self.atlas.region(code).polygon))
                item.setPen(referral_pen(primary))
                item.setBrush(referral_brush(primary))
                item.setZValue(REFERRAL_Z + (0.5 if primary else 0.0))
                zone = "main referral zone" if primary else "spillover zone"
                item.setToolTip(f"{muscle.label}: {zone} ({self.atlas.region(code).name})")
                self.addItem(item)
                self._muscle_items.append(item)
        for point in muscle.trigger_points:
            self._muscle_items.append(self._add_target(muscle, point))

    def _add_target(self, muscle: MusclePattern, point: TriggerPoint) -> TargetItem:
        item = TargetItem(point.x, point.y, f"{muscle.label} trigger point: {point.label}")
        self.addItem(item)
        return item

    # --- hit tests ----------------------------------------------------------------------------

    def view_at(self, x: float) -> View:
        """The view (front or back) whose half of the drawing holds x."""
        best, distance = View.FRONT, math.inf
        for view in self.atlas.views:
            min_x, _, max_x, _ = self.atlas.view_bounds(view)
            gap = abs(x - (min_x + max_x) / 2)
            if gap < distance:
                best, distance = view, gap
        return best

    def region_item_at(self, scene_pos: QPointF) -> QGraphicsPathItem | None:
        region = self.atlas.region_at(self.view_at(scene_pos.x()), scene_pos.x(), scene_pos.y())
        return self.region_items[region.code] if region else None

    def set_hover(self, code: str | None) -> None:
        if code == self._hover:
            return
        if self._hover is not None:
            item = self.region_items[self._hover]
            item.setPen(self._border)
            item.setZValue(0)
        self._hover = code
        if code is not None:
            item = self.region_items[code]
            item.setPen(self._hover_pen)
            item.setZValue(1)

    # --- helpers ------------------------------------------------------------------------------

    def _fill(self, code: str, colour: str | None, *, force: bool = False) -> None:
        if not force and self._fills.get(code) == colour:
            return
        self._fills[code] = colour
        self.region_items[code].setBrush(QBrush(QColor(colour)) if colour else self._unmarked)

    def _clear(self, items: list[QGraphicsItem]) -> None:
        for item in items:
            self.removeItem(item)
        items.clear()

    def _add_overlays(self, chart: ChartData) -> None:
        for stroke in chart.strokes:
            self._overlays.append(self.add_stroke(stroke))
        for arrow in chart.arrows:
            self._overlays.append(self.add_arrow(arrow))
        for symbol in chart.symbols:
            item = SymbolItem(symbol)
            self.addItem(item)
            self._overlays.append(item)
        for label in chart.labels:
            self._overlays.append(self.add_label(label))

    def add_stroke(
        self, stroke: Stroke | Iterable[Point], kind: str = "other"
    ) -> QGraphicsPathItem:
        points = stroke.points if isinstance(stroke, Stroke) else tuple(stroke)
        kind = stroke.kind if isinstance(stroke, Stroke) else kind
        item = self.addPath(_path(points, closed=False), stroke_pen(kind))
        item.setZValue(OVERLAY_Z)
        return item

    def add_arrow(self, arrow: ReferralArrow) -> QGraphicsPathItem:
        pen = QPen(QColor(INK), 1.6)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        item = self.addPath(
            arrow_path(arrow.x1, arrow.y1, arrow.x2, arrow.y2), pen, QBrush(QColor(INK))
        )
        item.setZValue(OVERLAY_Z)
        return item

    def add_label(self, label: TextLabel) -> QGraphicsSimpleTextItem:
        item = _text(label.text, 14, INK)
        _centre_on(item, label.x, label.y, baseline=False)
        item.setZValue(OVERLAY_Z)
        self.addItem(item)
        return item
