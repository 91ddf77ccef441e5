"""Trend charts on paper: an outcome measure over visits, with its MCID band, as vector graphics.

Drawn with `reportlab.graphics` shapes from the same series the screen's progress tab plots
(`practice.visits.outcomes.progress_series`). A chart holds numbers and dates only; its title
and any user words are set as Paragraphs around it, where they are escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import babel.dates
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from practice.dates import babel_locale
from practice.documents.fonts import REGULAR, register_fonts
from practice.summaries.records import Trend

INK = colors.Color(0.13, 0.13, 0.13)
MUTED = colors.Color(0.36, 0.36, 0.36)
GRIDLINE = colors.Color(0.86, 0.86, 0.86)
BAND = colors.Color(0.92, 0.92, 0.92)
# Series: the first solid and dark with filled dots, the next dashed with open dots, so the
# chart reads the same in black and white.
SERIES_COLOURS = (colors.Color(0.12, 0.34, 0.56), colors.Color(0.45, 0.45, 0.45))
SERIES_DASHES: tuple[Sequence[float] | None, ...] = (None, (3, 2))

_TICK_SIZE = 6.5
_LEFT = 18.0  # room for the value labels
_BOTTOM = 12.0  # room for the date labels
_TOP = 4.0
_RIGHT = 6.0
_DOT = 1.8


def trend_drawing(trend: Trend, width: float, height: float, locale: str = "en_US") -> Drawing:
    """The measure's series against the date, the MCID band from the first score shaded."""
    register_fonts()
    drawing = Drawing(width, height)
    points = [p for s in trend.series for p in s.points]
    if not points:
        return drawing
    low, high, step = _value_axis(trend, [v for _, v in points])
    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max(1, (last - first).days)
    plot_w = width - _LEFT - _RIGHT
    plot_h = height - _BOTTOM - _TOP

    def x(day: date) -> float:
        return _LEFT + (day - first).days / span * plot_w

    def y(value: float) -> float:
        return _BOTTOM + (min(max(value, low), high) - low) / (high - low) * plot_h

    band = _band(trend)
    if band is not None:
        lo, hi = band
        drawing.add(Rect(_LEFT, y(lo), plot_w, y(hi) - y(lo), fillColor=BAND, strokeColor=None))
    value = low
    while value <= high + 1e-9:
        drawing.add(
            Line(_LEFT, y(value), _LEFT + plot_w, y(value), strokeColor=GRIDLINE, strokeWidth=0.4)
        )
        drawing.add(_text(_LEFT - 3, y(value) - 2.2, _tick(value), "end"))
        value += step
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT + plot_w, _BOTTOM, strokeColor=MUTED, strokeWidth=0.6))
    for day, anchor in _date_ticks(first, last):
        drawing.add(_text(x(day), 2, _short_date(day, locale), anchor))
    for index, series in enumerate(trend.series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[index % len(SERIES_DASHES)]
        coords = [c for day, v in series.points for c in (x(day), y(v))]
        if len(series.points) > 1:
            drawing.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.1, strokeDashArray=dash))
        for day, v in series.points:
            fill = colour if index == 0 else colors.white
            drawing.add(
                Circle(x(day), y(v), _DOT, fillColor=fill, strokeColor=colour, strokeWidth=0.7)
            )
    return drawing


def band_label(trend: Trend) -> str:
    """What the grey band means, for the caption: '' when the measure has no MCID."""
    if _band(trend) is None or trend.mcid_points is None:
        return ""
    return f"grey band: less than the MCID ({trend.mcid_points:g} points) from the first score"


def _band(trend: Trend) -> tuple[float, float] | None:
    """From the first score to one MCID better: changes inside it are not yet meaningful."""
    if trend.mcid_points is None or not trend.series or not trend.series[0].points:
        return None
    start = trend.series[0].points[0][1]
    edge = start + trend.mcid_points if trend.higher_is_better else start - trend.mcid_points
    edge = min(max(edge, trend.minimum), trend.maximum)
    return (min(start, edge), max(start, edge))


def _value_axis(trend: Trend, values: Sequence[float]) -> tuple[float, float, float]:
    """The measure's own range when it is 0-10 like, else a rounded range that fits the data."""
    if trend.maximum - trend.minimum <= 10:
        return trend.minimum, trend.maximum, 2.0 if trend.maximum - trend.minimum >= 6 else 1.0
    top = max(values) if values else trend.maximum
    step = _nice_step(max(1.0, top - trend.minimum) / 4)
    high = min(trend.maximum, math.ceil(top / step) * step) if top > trend.minimum else step
    high = max(high, trend.minimum + step)
    return trend.minimum, high, step


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    if first == last:
        return [(first, "start")]
    return [(first, "start"), (last, "end")]


def _short_date(day: date, locale: str) -> str:
    return babel.dates.format_date(day, format="MMM d", locale=babel_locale(locale))


def _tick(value: float) -> str:
    return f"{value:g}"


def _text(x: float, y: float, text: str, anchor: str) -> String:
    return String(
        x, y, text, fontName=REGULAR, fontSize=_TICK_SIZE, fillColor=MUTED, textAnchor=anchor
    )


def legend_sample(index: int, width: float = 14.0, height: float = 8.0) -> Drawing:
    """A short stretch of series `index`'s line and dot, for a legend beside its name."""
    drawing = Drawing(width, height)
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    dash = SERIES_DASHES[index % len(SERIES_DASHES)]
    drawing.add(
        Line(
            0,
            height / 2,
            width,
            height / 2,
            strokeColor=colour,
            strokeWidth=1.1,
            strokeDashArray=dash,
        )
    )
    fill = colour if index == 0 else colors.white
    drawing.add(
        Circle(width / 2, height / 2, _DOT, fillColor=fill, strokeColor=colour, strokeWidth=0.7)
    )
    return drawing
