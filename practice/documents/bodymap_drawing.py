"""The body map on paper: atlas views with a chart or a change drawn on them, and its legend.

Everything is vector paths on the canvas (no pictures), so a map prints sharp at any size and
its labels stay text. Colours and symbol shapes come from `practice.bodymap.style`, which the
screen uses too, so paper and screen agree.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from practice.bodymap import View, style
from practice.bodymap.atlas import Atlas, Point
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    ReferralArrow,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)
from practice.bodymap.metrics import Comparison
from practice.documents.fonts import BOLD, REGULAR, font_runs, register_fonts

__all__ = ["ARROW", "BOTH_VIEWS", "BodyMapFlowable", "BodyMapLegend", "SymbolGlyph"]

BOTH_VIEWS = (View.FRONT, View.BACK)

INK = colors.HexColor(style.INK)
PAPER = colors.HexColor(style.PAPER)
UNMARKED = colors.HexColor(style.UNMARKED)
OUTLINE = colors.HexColor(style.OUTLINE)
MUTED = colors.Color(0.36, 0.36, 0.36)  # the documents' grey for secondary words
REGION_EDGE = colors.Color(0.78, 0.77, 0.75)  # hairlines between regions, lighter than the outline

VIEW_PAD = 6.0  # atlas units kept clear around each view's outline
VIEW_GAP = 24.0  # atlas units between two views
TITLE_SIZE = 8.5
TITLE_BAND = 14.0  # points above the bodies for the view titles
SIDE_SIZE = 8.0
NOTE_SIZE = 6.5
NOTE_BAND = 11.0  # points under the bodies for the R/L note
LABEL_SIZE = 6.5
ARROW_WIDTH = 0.9
HALO = 1.4  # extra width of the paper-coloured line under arrows and strokes


# --- geometry -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where one atlas view lands on the page: its box in atlas units and its left edge."""

    view: View
    x0: float  # atlas units
    left: float  # points from the flowable's left edge


@dataclass(frozen=True, slots=True)
class _Layout:
    frames: tuple[_Frame, ...]
    y1: float  # the lowest atlas y of all views: the bottom of the bodies
    scale: float  # points per atlas unit
    width: float
    height: float

    def point(self, view: View, x: float, y: float) -> Point:
        """Atlas coordinates to points on the flowable's canvas (y up)."""
        frame = self.frame(view)
        return (
            frame.left + (x - frame.x0) * self.scale,
            NOTE_BAND + (self.y1 - y) * self.scale,
        )

    def frame(self, view: View) -> _Frame:
        return next(f for f in self.frames if f.view == view)


def _boxes(atlas: Atlas, views: Sequence[View]) -> tuple[list[tuple[View, float, float]], Point]:
    """Each view's horizontal extent and the vertical extent all views share, in atlas units."""
    boxes = []
    top, bottom = math.inf, -math.inf
    for view in views:
        x0, y0, x1, y1 = atlas.view_bounds(view)
        for text in atlas.texts(view):
            if text.text in ("R", "L"):
                x0, x1 = min(x0, text.x - 12), max(x1, text.x + 12)
        boxes.append((view, x0 - VIEW_PAD, x1 + VIEW_PAD))
        top, bottom = min(top, y0 - VIEW_PAD), max(bottom, y1 + VIEW_PAD)
    return boxes, (top, bottom)


def _layout(atlas: Atlas, views: Sequence[View], width: float) -> _Layout:
    boxes, (y0, y1) = _boxes(atlas, views)
    units = sum(x1 - x0 for _, x0, x1 in boxes) + VIEW_GAP * (len(boxes) - 1)
    scale = width / units
    frames, left = [], 0.0
    for view, x0, x1 in boxes:
        frames.append(_Frame(view, x0, left))
        left += (x1 - x0 + VIEW_GAP) * scale
    height = TITLE_BAND + (y1 - y0) * scale + NOTE_BAND
    return _Layout(tuple(frames), y1, scale, width, height)


# --- the map --------------------------------------------------------------------------------


class BodyMapFlowable(Flowable):
    """The atlas views side by side, `width` points wide, with a chart drawn on them.

    Regions are filled by pain intensity. With `change` they are filled by how the pain
    changed instead (red worse, blue better) and carry a +, − or = glyph so the map reads in
    black and white too; `chart` (which may then be None) still adds its symbols and lines.
    """

    def __init__(
        self,
        atlas: Atlas,
        chart: ChartData | None,
        width: float,
        *,
        views: Sequence[View | str] = BOTH_VIEWS,
        change: Comparison | None = None,
    ) -> None:
        super().__init__()
        self.atlas = atlas
        self.chart = chart or ChartData()
        self.change = change
        self.views = tuple(View(v) for v in views)
        self._layout = _layout(atlas, self.views, width)
        self.width = width
        self.height = self._layout.height

    @staticmethod
    def height_for(atlas: Atlas, width: float, views: Sequence[View | str] = BOTH_VIEWS) -> float:
        """How tall a map of this width is."""
        return _layout(atlas, [View(v) for v in views], width).height

    @staticmethod
    def width_for(atlas: Atlas, height: float, views: Sequence[View | str] = BOTH_VIEWS) -> float:
        """The widest map that is at most `height` tall."""
        unit = _layout(atlas, [View(v) for v in views], 100.0)
        bands = TITLE_BAND + NOTE_BAND
        return max(0.0, (height - bands) / (unit.height - bands) * 100.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        register_fonts()
        canv: Canvas = self.canv
        layout = self._layout
        canv.saveState()
        canv.setLineJoin(1)
        canv.setLineCap(1)
        for frame in layout.frames:
            self._draw_regions(canv, frame)
        if self.change is not None:
            for frame in layout.frames:
                self._draw_change_glyphs(canv, frame.view)
        chart = self.chart
        for stroke in chart.strokes:
            if stroke.view in self.views:
                self._draw_stroke(canv, stroke)
        for arrow in chart.arrows:
            if arrow.view in self.views:
                self._draw_arrow(canv, arrow)
        for symbol in chart.symbols:
            if symbol.view in self.views:
                self._draw_symbol(canv, symbol)
        for label in chart.labels:
            if label.view in self.views:
                self._draw_label(canv, label)
        for frame in layout.frames:
            self._draw_texts(canv, frame)
        self._draw_note(canv)
        canv.restoreState()

    # --- regions and outline ------------------------------------------------------------------

    def _fill(self, code: str) -> colors.Color:
        if self.change is not None:
            change = next((c for c in self.change.changes if c.region == code), None)
            if change is None:
                return UNMARKED
            return colors.HexColor(style.change_colour(change.delta))
        fill = style.intensity_colour(self.chart.intensity(code))
        return colors.HexColor(fill) if fill else UNMARKED

    def _draw_regions(self, canv: Canvas, frame: _Frame) -> None:
        canv.saveState()
        self._atlas_units(canv, frame)
        canv.setStrokeColor(REGION_EDGE)
        canv.setLineWidth(0.35 / self._layout.scale)
        for region in self.atlas.regions_of(frame.view):
            canv.setFillColor(self._fill(region.code))
            canv.drawPath(_path(canv, region.polygon), stroke=1, fill=1)
        canv.setStrokeColor(OUTLINE)
        canv.setLineWidth(0.8 / self._layout.scale)
        for ring in self.atlas.outline(frame.view):
            canv.drawPath(_path(canv, ring), stroke=1, fill=0)
        canv.restoreState()

    def _atlas_units(self, canv: Canvas, frame: _Frame) -> None:
        """Let the canvas take atlas coordinates (y down) for this view: the many points of
        the outlines go into the PDF as they are, short and untransformed."""
        layout = self._layout
        canv.translate(frame.left - frame.x0 * layout.scale, NOTE_BAND + layout.y1 * layout.scale)
        canv.scale(layout.scale, -layout.scale)

    def _draw_change_glyphs(self, canv: Canvas, view: View) -> None:
        assert self.change is not None
        size = self._mark_size() * 0.8
        for change in self.change.changes:
            region = self.atlas.region(change.region)
            if region.view != view:
                continue
            x, y = self._layout.point(view, *region.label_point)
            fill = colors.HexColor(style.change_colour(change.delta))
            _draw_glyph(canv, style.change_glyph(change.delta), x, y, size, fill)

    # --- what the therapist drew --------------------------------------------------------------

    def _mark_size(self) -> float:
        """Symbol size in points: follows the map's scale within legible limits."""
        return min(8.0, max(5.0, 16.0 * self._layout.scale))

    def _draw_symbol(self, canv: Canvas, symbol: PointSymbol) -> None:
        x, y = self._layout.point(symbol.view, symbol.x, symbol.y)
        _draw_symbol(canv, symbol.kind, x, y, self._mark_size())

    def _draw_arrow(self, canv: Canvas, arrow: ReferralArrow) -> None:
        start = self._layout.point(arrow.view, arrow.x1, arrow.y1)
        end = self._layout.point(arrow.view, arrow.x2, arrow.y2)
        _draw_arrow(canv, start, end, head=max(3.5, self._mark_size() * 0.7))

    def _draw_stroke(self, canv: Canvas, stroke: Stroke) -> None:
        points = [self._layout.point(stroke.view, x, y) for x, y in stroke.points]
        _draw_stroke(canv, stroke.kind, points)

    def _draw_label(self, canv: Canvas, label: TextLabel) -> None:
        x, y = self._layout.point(label.view, label.x, label.y)
        runs = font_runs(" ".join(label.text.split()))
        width = sum(stringWidth(run, font, LABEL_SIZE) for font, run in runs)
        left = x - width / 2
        canv.setFillColor(PAPER, alpha=0.85)
        canv.roundRect(
            left - 1.5, y - LABEL_SIZE * 0.35, width + 3, LABEL_SIZE * 1.25, 1.5, stroke=0, fill=1
        )
        canv.setFillColor(INK, alpha=1)
        _draw_runs(canv, left, y, runs, LABEL_SIZE)

    # --- words of the atlas -------------------------------------------------------------------

    def _draw_texts(self, canv: Canvas, frame: _Frame) -> None:
        layout = self._layout
        for text in self.atlas.texts(frame.view):
            if text.text in ("R", "L"):
                x, y = layout.point(frame.view, text.x, text.y)
                canv.setFillColor(MUTED)
                canv.setFont(BOLD, SIDE_SIZE)
                canv.drawCentredString(x, y - SIDE_SIZE * 0.35, text.text)
            elif text.id.startswith("title"):
                x = layout.point(frame.view, text.x, text.y)[0]
                canv.setFillColor(INK)
                canv.setFont(BOLD, TITLE_SIZE)
                canv.drawCentredString(x, layout.height - TITLE_SIZE - 1, text.text)

    def _draw_note(self, canv: Canvas) -> None:
        """The R/L note once under the whole map: every view carries it in the atlas, but
        on paper one line under views side by side says it for all of them."""
        notes = {
            t.text: None
            for frame in self._layout.frames
            for t in self.atlas.texts(frame.view)
            if t.id.startswith("side-note")
        }
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, NOTE_SIZE)
        for text in notes:
            canv.drawCentredString(self.width / 2, 2.0, text)


# --- symbols, arrows and strokes, drawn the same on the map, in the key and in tables -------


def _draw_symbol(canv: Canvas, kind: SymbolKind, x: float, y: float, size: float) -> None:
    """One symbol centred on (x, y), `size` points across, in the shape style.py gives it."""
    shape = style.symbol_shape(kind)
    canv.saveState()
    canv.setLineWidth(max(0.7, size * 0.12))
    canv.setStrokeColor(colors.HexColor(shape.stroke))
    canv.setFillColor(colors.HexColor(shape.fill) if shape.fill else PAPER)
    for ring, closed in shape.paths:
        path = canv.beginPath()
        px, py = ring[0]
        path.moveTo(x + px * size / 2, y - py * size / 2)
        for px, py in ring[1:]:
            path.lineTo(x + px * size / 2, y - py * size / 2)
        if closed:
            path.close()
        canv.drawPath(path, stroke=1, fill=1 if closed and shape.fill else 0)
    canv.restoreState()


def _draw_arrow(canv: Canvas, start: Point, end: Point, head: float) -> None:
    """A referral arrow: a line from `start` ending in a filled arrowhead at `end`, on a thin
    paper-coloured halo so it stays visible across dark fills."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1e-6:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    base_x, base_y = x2 - ux * head, y2 - uy * head
    tip = canv.beginPath()
    tip.moveTo(x2, y2)
    tip.lineTo(base_x - uy * head * 0.45, base_y + ux * head * 0.45)
    tip.lineTo(base_x + uy * head * 0.45, base_y - ux * head * 0.45)
    tip.close()
    canv.saveState()
    for colour, width in ((PAPER, ARROW_WIDTH + HALO), (INK, ARROW_WIDTH)):
        canv.setStrokeColor(colour)
        canv.setFillColor(colour)
        canv.setLineWidth(width)
        canv.line(x1, y1, base_x, base_y)
        canv.drawPath(tip, stroke=1 if colour == PAPER else 0, fill=1)
    canv.restoreState()


def _draw_stroke(canv: Canvas, kind: str, points: Sequence[Point]) -> None:
    """A freehand line in its kind's dash pattern and colour, on a paper-coloured halo."""
    if len(points) < 2:
        return
    line = style.stroke_style(kind)
    path = canv.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    canv.saveState()
    canv.setStrokeColor(PAPER)
    canv.setLineWidth(line.width + HALO)
    canv.drawPath(path, stroke=1, fill=0)
    canv.setStrokeColor(colors.HexColor(line.colour))
    canv.setLineWidth(line.width)
    if line.dash:
        canv.setDash([length * line.width for length in line.dash])
    canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()


def _path(canv: Canvas, ring: Sequence[Point]) -> PDFPathObject:
    """A closed path through the ring's points. The atlas outlines are drawn in atlas units on
    every map, so their PDF operators are written once and reused (tuples of points only)."""
    if isinstance(ring, tuple):
        return PDFPathObject(code=[_ring_code(ring)])
    return PDFPathObject(code=[_ring_code.__wrapped__(ring)])


@functools.lru_cache(maxsize=1024)
def _ring_code(ring: Sequence[Point]) -> str:
    """The PDF operators ReportLab writes for a closed path through `ring`; pure, and
    lru_cache is safe to share between threads."""
    path = PDFPathObject()
    path.moveTo(*ring[0])
    for x, y in ring[1:]:
        path.lineTo(x, y)
    path.close()
    return path.getCode()


def _draw_runs(canv: Canvas, x: float, y: float, runs: list[tuple[str, str]], size: float) -> None:
    for font, run in runs:
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _is_dark(colour: colors.Color) -> bool:
    luminance = 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
    return luminance < 0.45


# --- legend ---------------------------------------------------------------------------------

KEY_SIZE = 7.5  # legend text, points
KEY_CAPTION_GAP = 3.0
KEY_GAP = 8.0  # between the parts of the legend
KEY_ROW = 11.0  # one symbol or line entry
KEY_SWATCH = 12.0
KEY_MARK = 20.0  # room for a symbol or line sample before its name
GLYPHS = ("+", "\u2212")  # worse, better: style.change_glyph's signs
CHANGE_AMOUNTS = ("0", "1\u20132", "3\u20134", "5+")  # points of each style.change_step

ARROW = "arrow"  # a key entry that is not a symbol or stroke kind: the referral arrow

KeyItem = SymbolKind | StrokeKind | str

KEY_NAMES: dict[str, str] = {
    **{kind.value: style.symbol_shape(kind).name for kind in SymbolKind},
    ARROW: "referred pain",
    StrokeKind.RADIATING.value: "radiating pain",
    StrokeKind.NUMBNESS.value: "numbness",
    StrokeKind.OTHER.value: "line",
}


def _draw_key_item(canv: Canvas, item: KeyItem, x: float, y: float, size: float) -> None:
    """The mark of a symbol kind, stroke kind or the referral arrow, centred on (x, y)."""
    if isinstance(item, SymbolKind):
        _draw_symbol(canv, item, x, y, size)
    elif item == ARROW:
        _draw_arrow(canv, (x - size, y), (x + size, y), head=size * 0.55)
    else:
        _draw_stroke(canv, item, [(x - size, y), (x + size, y)])


class SymbolGlyph(Flowable):
    """A symbol, stroke or arrow mark that sits on one line of text `line` points high,
    centred on its lower-case letters, for tables of findings."""

    def __init__(self, item: KeyItem, size: float = 6.5, line: float = 10.5) -> None:
        super().__init__()
        self.item = item
        self.size = size
        self.width = size * 2
        self.height = line

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        size = self.size if isinstance(self.item, SymbolKind) else self.size * 0.8
        _draw_key_item(self.canv, self.item, self.width / 2, self.height * 0.35, size)


@dataclass(frozen=True, slots=True)
class _KeyBlock:
    """One part of the legend: its size and how to draw it with its top-left corner at (x, y)."""

    width: float
    height: float
    draw: Callable[[Canvas, float, float], None]


class BodyMapLegend(Flowable):
    """What a body map's colours, glyphs, symbols and lines mean, laid out within `width`.

    `intensity` and `change` choose the colour scales shown; `items` the symbol kinds, stroke
    kinds and the referral arrow to explain (`for_chart` picks those a chart uses). The parts
    sit side by side where the width allows and stack where it does not.
    """

    def __init__(
        self,
        width: float,
        *,
        intensity: bool = True,
        change: bool = False,
        items: Iterable[KeyItem] = (),
    ) -> None:
        super().__init__()
        self.width = width
        blocks = []
        if intensity:
            blocks.append(
                _scale_block(
                    "Pain intensity",
                    [style.intensity_colour(v) for v in range(1, 11)],
                    [str(v) for v in range(1, 11)],
                    ("mild", "worst"),
                    width,
                )
            )
        if change:
            steps = range(3, -4, -1)  # CHANGE_COLOURS runs from much worse to much better
            blocks.append(
                _scale_block(
                    "Change in intensity, points",
                    style.CHANGE_COLOURS,
                    [GLYPHS[0] if step > 0 else GLYPHS[1] if step < 0 else "" for step in steps],
                    ("worse", "better"),
                    width,
                    under=[CHANGE_AMOUNTS[abs(step)] for step in steps],
                )
            )
        self._placed: list[tuple[_KeyBlock, float, float]] = []
        x = y = line = 0.0
        for block in blocks:
            if x and x + block.width > width:
                x, y, line = 0.0, y + line + KEY_GAP, 0.0
            self._placed.append((block, x, y))
            x, line = x + block.width + KEY_GAP * 2, max(line, block.height)
        items = tuple(items)
        if items:
            if x and width - x < _item_width(items):
                x, y, line = 0.0, y + line + KEY_GAP, 0.0
            block = _items_block(items, width - x)
            self._placed.append((block, x, y))
            line = max(line, block.height)
        self.height = y + line

    @classmethod
    def for_chart(cls, width: float, *charts: ChartData, change: bool = False) -> BodyMapLegend:
        """A key to what these charts use: their symbol kinds, arrows and lines."""
        return cls(width, change=change, items=_used_items(*charts))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        register_fonts()
        for block, x, y in self._placed:
            self.canv.saveState()
            block.draw(self.canv, x, self.height - y)
            self.canv.restoreState()


def _scale_block(
    caption: str,
    fills: Sequence[str],
    marks: Sequence[str],
    ends: tuple[str, str],
    room: float,
    under: Sequence[str] = (),
) -> _KeyBlock:
    """A caption over a row of colour swatches, each with a number or glyph in it (and a
    word `under` it), and a word at each end of the row. Swatches shrink to fit `room`."""
    gap = 1.5
    swatch = min(KEY_SWATCH, (room + gap) / len(fills) - gap)
    step = swatch + gap
    row_width = step * len(fills) - gap
    small = KEY_SIZE - 1.5
    height = KEY_SIZE + KEY_CAPTION_GAP + swatch + (small + 1.5 if under else 0) + KEY_SIZE + 2
    width = max(row_width, stringWidth(caption, REGULAR, KEY_SIZE))

    def draw(canv: Canvas, x: float, top: float) -> None:
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, KEY_SIZE)
        canv.drawString(x, top - KEY_SIZE, caption)
        row = top - KEY_SIZE - KEY_CAPTION_GAP
        canv.setLineWidth(0.35)
        canv.setStrokeColor(REGION_EDGE)
        for i, (fill, mark) in enumerate(zip(fills, marks, strict=True)):
            left = x + i * step
            colour = colors.HexColor(fill)
            canv.setFillColor(colour)
            canv.rect(left, row - swatch, swatch, swatch, stroke=1, fill=1)
            centre = (left + swatch / 2, row - swatch / 2)
            if mark in GLYPHS:
                _draw_glyph(canv, mark, *centre, swatch * 0.5, colour)
            else:
                canv.setFillColor(PAPER if _is_dark(colour) else INK)
                canv.setFont(REGULAR, KEY_SIZE - 1)
                canv.drawCentredString(centre[0], centre[1] - 2.2, mark)
        row -= swatch
        canv.setFillColor(MUTED)
        if under:
            row -= small + 1
            canv.setFont(REGULAR, small)
            for i, word in enumerate(under):
                canv.drawCentredString(x + i * step + swatch / 2, row, word)
        canv.setFont(REGULAR, KEY_SIZE - 0.5)
        canv.drawString(x, row - KEY_SIZE, ends[0])
        canv.drawRightString(x + row_width, row - KEY_SIZE, ends[1])

    return _KeyBlock(width, height, draw)


def _item_width(items: Sequence[KeyItem]) -> float:
    longest = max(stringWidth(KEY_NAMES[str(item)], REGULAR, KEY_SIZE) for item in items)
    return KEY_MARK + longest + KEY_GAP


def _items_block(items: Sequence[KeyItem], room: float) -> _KeyBlock:
    """Symbol and line entries in as many columns as the room allows."""
    column = _item_width(items)
    columns = max(1, min(len(items), int((room + KEY_GAP) // column)))
    rows = math.ceil(len(items) / columns)

    def draw(canv: Canvas, x: float, top: float) -> None:
        for i, item in enumerate(items):
            row, col = divmod(i, columns)
            left = x + col * column
            middle = top - row * KEY_ROW - KEY_ROW / 2
            _draw_key_item(canv, item, left + KEY_MARK / 2 - 2, middle, 6.5)
            canv.setFillColor(INK)
            canv.setFont(REGULAR, KEY_SIZE)
            canv.drawString(left + KEY_MARK, middle - KEY_SIZE * 0.35, KEY_NAMES[str(item)])

    return _KeyBlock(column * columns - KEY_GAP, rows * KEY_ROW, draw)


def _used_items(*charts: ChartData) -> list[KeyItem]:
    """The symbol kinds, arrow and stroke kinds drawn on any of these charts, in key order."""
    kinds = {s.kind for chart in charts for s in chart.symbols}
    strokes = {s.kind for chart in charts for s in chart.strokes}
    items: list[KeyItem] = [kind for kind in SymbolKind if kind in kinds]
    if any(chart.arrows for chart in charts):
        items.append(ARROW)
    items += [kind for kind in StrokeKind if kind in strokes]
    return items


def _draw_glyph(
    canv: Canvas, glyph: str, x: float, y: float, size: float, fill: colors.Color
) -> None:
    """+ (worse) or − (better) drawn as lines, in white on dark fills: the change reads
    without colour, and the fonts need not have a minus sign."""
    if glyph not in GLYPHS:
        return
    canv.saveState()
    canv.setStrokeColor(PAPER if _is_dark(fill) else INK)
    canv.setLineWidth(max(0.9, size * 0.22))
    half = size / 2
    canv.line(x - half, y, x + half, y)
    if glyph == GLYPHS[0]:
        canv.line(x, y - half, x, y + half)
    canv.restoreState()
