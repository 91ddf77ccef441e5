"""Colours and symbol shapes shared by the screen (Qt) and paper (ReportLab) body maps.

Shapes are drawn in a unit box from -1 to 1 with y pointing down, as lists of point rings,
so each renderer only scales and translates them. Symbols differ by shape, not colour alone,
and read in black and white (UI.md, "Body map colours").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from practice.bodymap.chart import StrokeKind, SymbolKind

# ColorBrewer YlOrRd, nine steps: intensity 1-10 is spread over them; 0 has no fill.
INTENSITY_COLOURS = (
    "#ffffcc",
    "#ffeda0",
    "#fed976",
    "#feb24c",
    "#fd8d3c",
    "#fc4e2a",
    "#e31a1c",
    "#bd0026",
    "#800026",
)
# ColorBrewer RdBu, seven steps: red is worse, blue is better, the middle is unchanged.
CHANGE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
UNMARKED = "#f4f3f1"
OUTLINE = "#6b6f76"
INK = "#1d2329"
PAPER = "#ffffff"

Point = tuple[float, float]


def intensity_colour(intensity: int) -> str | None:
    """The fill for a pain intensity 0-10 (None for 0: no fill)."""
    if intensity <= 0:
        return None
    intensity = min(intensity, 10)
    return INTENSITY_COLOURS[round((intensity - 1) * 8 / 9)]


def change_step(delta: int) -> int:
    """-3 (much better) .. +3 (much worse): 1-2 points one step, 3-4 two, 5 or more three."""
    size = abs(delta)
    step = 0 if size == 0 else 1 if size <= 2 else 2 if size <= 4 else 3
    return step if delta > 0 else -step


def change_colour(delta: int) -> str:
    """The fill for a change in intensity (after minus before): blue better, red worse."""
    return CHANGE_COLOURS[3 - change_step(delta)]


def change_glyph(delta: int) -> str:
    """A sign that carries the change without colour: '+' worse, '−' better, '' unchanged."""
    return "+" if delta > 0 else "−" if delta < 0 else ""


@dataclass(frozen=True, slots=True)
class SymbolShape:
    name: str
    paths: tuple[tuple[tuple[Point, ...], bool], ...]  # (ring, closed)
    fill: str | None  # fill for closed rings, None for outline only
    stroke: str


def _circle(radius: float = 1.0, steps: int = 28) -> tuple[Point, ...]:
    return tuple(
        (radius * math.cos(2 * math.pi * k / steps), radius * math.sin(2 * math.pi * k / steps))
        for k in range(steps)
    )


_CROSS = (
    (((-0.55, -0.55), (0.55, 0.55)), False),
    (((-0.55, 0.55), (0.55, -0.55)), False),
)

SHAPES: dict[SymbolKind, SymbolShape] = {
    SymbolKind.TRIGGER_POINT_ACTIVE: SymbolShape(
        "active trigger point", ((_circle(), True),), INK, INK
    ),
    SymbolKind.TRIGGER_POINT_LATENT: SymbolShape(
        "latent trigger point", ((_circle(), True), *_CROSS), PAPER, INK
    ),
    SymbolKind.TENDER_POINT: SymbolShape(
        "tender point", ((((0.0, -1.0), (1.0, 0.8), (-1.0, 0.8)), True),), PAPER, INK
    ),
    SymbolKind.SPASM: SymbolShape(
        "spasm",
        ((((-1.0, 0.0), (-0.6, -0.8), (-0.2, 0.8), (0.2, -0.8), (0.6, 0.8), (1.0, 0.0)), False),),
        None,
        INK,
    ),
    SymbolKind.ADHESION: SymbolShape(
        "adhesion",
        (
            (((-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)), True),
            (((-1.0, -0.35), (1.0, -0.35)), False),
            (((-1.0, 0.35), (1.0, 0.35)), False),
        ),
        PAPER,
        INK,
    ),
    SymbolKind.OTHER: SymbolShape(
        "other finding",
        (
            (
                tuple(
                    (
                        (1.0 if k % 2 == 0 else 0.45) * math.cos(math.pi * k / 5 - math.pi / 2),
                        (1.0 if k % 2 == 0 else 0.45) * math.sin(math.pi * k / 5 - math.pi / 2),
                    )
                    for k in range(10)
                ),
                True,
            ),
        ),
        PAPER,
        INK,
    ),
}


def symbol_shape(kind: SymbolKind | str) -> SymbolShape:
    return SHAPES[SymbolKind(kind)]


@dataclass(frozen=True, slots=True)
class LineStyle:
    colour: str
    width: float
    dash: tuple[float, ...]  # on/off lengths in line widths' units; () is solid


STROKES: dict[StrokeKind, LineStyle] = {
    StrokeKind.RADIATING: LineStyle("#bd0026", 1.6, (4.0, 2.5)),
    StrokeKind.NUMBNESS: LineStyle("#3b4a6b", 1.4, (1.2, 2.0)),
    StrokeKind.OTHER: LineStyle(INK, 1.2, ()),
}


def stroke_style(kind: StrokeKind | str) -> LineStyle:
    return STROKES[StrokeKind(kind)]
