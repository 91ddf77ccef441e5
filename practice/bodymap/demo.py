"""Demo body charts: a course of charts for a complaint, pain easing over the visits.

Each complaint of the demo has a baseline drawing (regions and qualities, trigger points with
their referral arrows, a stroke, a label); `chart_course` eases it visit by visit with noise,
a flare now and then, and trigger points going from active to latent to gone. The visit demo
draws one chart per completed visit, bound to it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from practice.bodymap import View
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)

RESOLVE_BELOW = 2  # a region charted at this or less may be left off the next chart


@dataclass(frozen=True, slots=True)
class _Baseline:
    """How a complaint looks on the body map at the first visit, before any treatment.

    An arrow is tied to the symbol (by index) whose referral it shows and is drawn while that
    trigger point is active; a stroke follows the pain of one region.
    """

    marks: tuple[tuple[str, int, frozenset[Quality]], ...]
    symbols: tuple[PointSymbol, ...] = ()
    arrows: tuple[tuple[int, ReferralArrow], ...] = ()
    stroke: tuple[str, Stroke] | None = None
    label: TextLabel | None = None


def _tp(view: str, x: float, y: float, muscle: str, active: bool = True) -> PointSymbol:
    kind = SymbolKind.TRIGGER_POINT_ACTIVE if active else SymbolKind.TRIGGER_POINT_LATENT
    return PointSymbol(kind, View(view), x, y, muscle=muscle)


def _tender(view: str, x: float, y: float, muscle: str, grade: int) -> PointSymbol:
    return PointSymbol(SymbolKind.TENDER_POINT, View(view), x, y, grade=grade, muscle=muscle)


def _arrow(
    symbol: int, view: str, x1: float, y1: float, x2: float, y2: float
) -> tuple[int, ReferralArrow]:
    return (symbol, ReferralArrow(View(view), x1, y1, x2, y2))


def _marks(*items: tuple[str, int, str]) -> tuple[tuple[str, int, frozenset[Quality]], ...]:
    """Region marks written as (code, intensity, "how it feels") with qualities by name."""
    return tuple(
        (code, value, frozenset(Quality(q) for q in qualities.split()))
        for code, value, qualities in items
    )


# One baseline per complaint in COMPLAINTS; coordinates are atlas units on the named view.
BASELINES: dict[str, _Baseline] = {
    "Low back pain after lifting, worse sitting": _Baseline(
        _marks(
            ("B_LOW_BACK_R", 7, "ache stiffness"),
            ("B_LOW_BACK_L", 5, "ache"),
            ("B_SACRUM", 4, "ache"),
            ("B_BUTTOCK_R", 3, "ache"),
        ),
        symbols=(
            _tp("back", 795, 425, "Quadratus lumborum"),
            _tp("back", 805, 500, "Gluteus medius", active=False),
            PointSymbol(SymbolKind.SPASM, View.BACK, 765, 420, muscle="Erector spinae"),
        ),
        arrows=(_arrow(0, "back", 795, 425, 790, 522),),
    ),
    "Tension headaches most afternoons": _Baseline(
        _marks(
            ("B_TRAPEZIUS_R", 6, "ache stiffness"),
            ("B_TRAPEZIUS_L", 6, "ache stiffness"),
            ("B_NECK_R", 5, "ache"),
            ("B_NECK_L", 4, "ache"),
            ("B_HEAD_OCCIPUT_R", 5, "ache"),
            ("B_HEAD_OCCIPUT_L", 4, "ache"),
            ("F_HEAD_TEMPLE_R", 5, "ache"),
            ("F_HEAD_TEMPLE_L", 4, "ache"),
            ("F_HEAD_FOREHEAD", 3, "ache"),
        ),
        symbols=(
            _tp("back", 790, 218, "Upper trapezius"),
            _tp("back", 712, 218, "Upper trapezius"),
            _tp("back", 762, 148, "Suboccipitals", active=False),
        ),
        arrows=(_arrow(0, "back", 790, 218, 790, 110),),
    ),
    "Stiff neck from desk work": _Baseline(
        _marks(
            ("B_NECK_R", 5, "stiffness ache"),
            ("B_NECK_L", 5, "stiffness"),
            ("B_TRAPEZIUS_R", 5, "ache"),
            ("B_TRAPEZIUS_L", 4, "ache"),
            ("B_UPPER_BACK_R", 4, "ache"),
            ("B_UPPER_BACK_L", 3, "ache"),
        ),
        symbols=(
            _tp("back", 770, 205, "Levator scapulae"),
            _tp("back", 775, 285, "Rhomboids", active=False),
        ),
        arrows=(_arrow(0, "back", 770, 205, 778, 300),),
    ),
    "Fibromyalgia flare, widespread aching": _Baseline(
        _marks(
            *(
                (f"{code}_{side}", value, qualities)
                for code, value, qualities in (
                    ("B_NECK", 5, "ache stiffness"),
                    ("B_TRAPEZIUS", 6, "ache burning"),
                    ("B_SHOULDER", 5, "ache"),
                    ("B_UPPER_BACK", 5, "ache burning"),
                    ("B_LOW_BACK", 6, "ache stiffness"),
                    ("B_BUTTOCK", 5, "ache"),
                    ("F_CHEST", 4, "ache"),
                    ("F_UPPER_ARM", 4, "ache"),
                    ("F_THIGH", 4, "ache"),
                    ("F_KNEE", 3, "ache stiffness"),
                )
                for side in "RL"
            )
        ),
        symbols=(
            _tender("back", 770, 140, "Suboccipital insertion", 3),
            _tender("back", 730, 140, "Suboccipital insertion", 3),
            _tender("back", 785, 220, "Upper trapezius", 2),
            _tender("back", 715, 220, "Upper trapezius", 2),
            _tender("back", 805, 510, "Gluteus medius", 2),
            _tender("back", 695, 510, "Gluteus medius", 2),
        ),
    ),
    "Right shoulder pain reaching overhead": _Baseline(
        _marks(
            ("B_SHOULDER_R", 7, "sharp ache"),
            ("F_SHOULDER_R", 6, "sharp"),
            ("F_UPPER_ARM_R", 4, "ache"),
            ("B_UPPER_BACK_R", 3, "ache"),
            ("B_UPPER_ARM_R", 3, "ache"),
        ),
        symbols=(
            _tp("back", 815, 285, "Infraspinatus"),
            _tp("back", 850, 255, "Supraspinatus", active=False),
            PointSymbol(SymbolKind.ADHESION, View.FRONT, 145, 270, muscle="Biceps, long head"),
        ),
        arrows=(_arrow(0, "back", 815, 285, 862, 345),),
    ),
    "Sciatica down the left leg": _Baseline(
        _marks(
            ("B_LOW_BACK_L", 5, "ache"),
            ("B_BUTTOCK_L", 7, "sharp burning"),
            ("B_THIGH_L", 5, "burning tingling"),
            ("B_POPLITEAL_L", 3, "tingling"),
            ("B_CALF_L", 4, "tingling numbness"),
            ("B_FOOT_L", 2, "numbness"),
        ),
        symbols=(
            _tp("back", 705, 515, "Piriformis"),
            _tp("back", 715, 425, "Quadratus lumborum", active=False),
        ),
        stroke=(
            "B_THIGH_L",
            Stroke(
                View.BACK,
                (
                    (705, 540),
                    (703, 580),
                    (702, 620),
                    (701, 680),
                    (700, 730),
                    (699, 790),
                    (698, 850),
                ),
                StrokeKind.RADIATING,
            ),
        ),
        label=TextLabel(View.BACK, 692, 935, "numb patch"),
    ),
    "Knee arthritis, tight thighs": _Baseline(
        _marks(
            ("F_KNEE_R", 6, "ache stiffness"),
            ("F_KNEE_L", 5, "ache stiffness"),
            ("F_THIGH_R", 4, "ache"),
            ("F_THIGH_L", 3, "ache"),
            ("B_POPLITEAL_R", 3, "stiffness"),
        ),
        symbols=(
            _tp("front", 228, 655, "Vastus medialis"),
            _tp("front", 200, 600, "Rectus femoris", active=False),
        ),
        arrows=(_arrow(0, "front", 228, 655, 212, 708),),
    ),
    "Whiplash after car accident": _Baseline(
        _marks(
            ("B_NECK_R", 7, "sharp stiffness"),
            ("B_NECK_L", 6, "sharp stiffness"),
            ("F_NECK_R", 5, "ache"),
            ("F_NECK_L", 4, "ache"),
            ("B_TRAPEZIUS_R", 5, "ache"),
            ("B_TRAPEZIUS_L", 5, "ache"),
            ("B_HEAD_OCCIPUT_R", 4, "ache"),
            ("B_HEAD_OCCIPUT_L", 3, "ache"),
            ("B_UPPER_BACK_R", 3, "ache"),
        ),
        symbols=(
            _tp("front", 240, 190, "Sternocleidomastoid"),
            _tp("back", 740, 180, "Splenius capitis"),
            PointSymbol(SymbolKind.SPASM, View.BACK, 765, 190, muscle="Cervical paraspinals"),
        ),
        arrows=(_arrow(0, "front", 240, 190, 212, 88),),
        label=TextLabel(View.BACK, 775, 300, "worse on waking"),
    ),
    "Jaw pain and clenching": _Baseline(
        _marks(
            ("F_JAW_R", 6, "ache sharp"),
            ("F_JAW_L", 5, "ache"),
            ("F_HEAD_TEMPLE_R", 5, "ache"),
            ("F_HEAD_TEMPLE_L", 3, "ache"),
            ("F_FACE_R", 3, "ache"),
        ),
        symbols=(
            _tp("front", 215, 140, "Masseter"),
            _tp("front", 212, 88, "Temporalis"),
            _tp("front", 285, 140, "Masseter", active=False),
        ),
        arrows=(_arrow(1, "front", 212, 88, 226, 126),),
    ),
    "Plantar fasciitis, calf tightness": _Baseline(
        _marks(
            ("B_FOOT_R", 7, "sharp"),
            ("B_CALF_R", 5, "ache stiffness"),
            ("B_ANKLE_R", 4, "ache"),
            ("B_CALF_L", 3, "ache"),
            ("B_FOOT_L", 3, "ache"),
        ),
        symbols=(
            _tp("back", 800, 770, "Gastrocnemius"),
            _tp("back", 798, 840, "Soleus", active=False),
            PointSymbol(SymbolKind.ADHESION, View.BACK, 808, 935, muscle="Plantar fascia"),
        ),
        arrows=(_arrow(1, "back", 798, 840, 805, 932),),
    ),
}

PROGRESS_NOTES = (
    "",
    "",
    "Reports less pain since last visit.",
    "Sleeping better; doing the home stretches most days.",
    "Sore for a day after the last treatment, then easier.",
    "Flare after a long drive at the weekend.",
    "Moving more freely; pressure tolerated well.",
)


def chart_course(
    rng: random.Random, complaint: str, days: list[date], pains: list[int] | None = None
) -> list[tuple[date, str, ChartData]]:
    """One chart per day of a course of care: (day, note, drawing), the pain easing with noise,
    regions and trigger points settling, now and then a flare.

    With `pains` (the pain the client rated before treatment at each visit), each chart agrees
    with its visit's note: its worst region is that rating, and a rating of 0 is a chart with no
    pain marked, so the chart and the note a physician reads side by side never contradict."""
    if not days:
        return []
    baseline = BASELINES.get(complaint) or next(iter(BASELINES.values()))
    visits = len(days)
    # Most clients improve steadily, some slowly, a few flare once along the way.
    kind = rng.random()
    relief = rng.uniform(0.72, 0.88) if kind < 0.75 else rng.uniform(0.9, 1.0)
    flare_at = rng.randint(1, visits - 1) if kind > 0.9 and visits > 1 else -1
    severity = rng.uniform(0.85, 1.2)
    # A trigger point stays active for some visits, then is latent for some, then is gone.
    symbol_span = [(rng.randint(1, visits), rng.randint(0, 2)) for _ in baseline.symbols]
    current = {
        code: _intensity(value * severity + rng.gauss(0, 0.7)) for code, value, _ in baseline.marks
    }
    qualities = {code: q for code, _, q in baseline.marks}
    course = []
    for k, day in enumerate(days):
        if k:
            factor = relief * (1.35 if k == flare_at else 1.0)
            for code, value in list(current.items()):
                if value <= RESOLVE_BELOW and rng.random() < 0.6:
                    del current[code]
                else:
                    current[code] = _intensity(value * factor + rng.gauss(0, 0.6))
        if pains is not None:
            _agree(current, baseline.marks, pains[k])
        marks = tuple(RegionMark(code, value, qualities[code]) for code, value in current.items())
        symbols: list[PointSymbol] = []
        active: set[int] = set()
        for i, (symbol, (active_for, latent_for)) in enumerate(
            zip(baseline.symbols, symbol_span, strict=True)
        ):
            if symbol.kind is SymbolKind.TENDER_POINT:
                grade = (symbol.grade or 0) - k // 2
                if grade > 0:
                    symbols.append(replace(symbol, grade=grade))
            elif symbol.kind is SymbolKind.TRIGGER_POINT_ACTIVE and k < active_for:
                symbols.append(symbol)
                active.add(i)
            elif symbol.kind is SymbolKind.TRIGGER_POINT_ACTIVE and k < active_for + latent_for:
                symbols.append(replace(symbol, kind=SymbolKind.TRIGGER_POINT_LATENT))
            elif k < active_for + latent_for:
                symbols.append(symbol)
        arrows = tuple(arrow for source, arrow in baseline.arrows if source in active)
        strokes = ()
        if baseline.stroke is not None and current.get(baseline.stroke[0], 0) >= 3:
            strokes = (baseline.stroke[1],)
        labels = (baseline.label,) if baseline.label is not None and k < visits - 1 else ()
        chart = ChartData(marks, tuple(symbols), arrows, strokes, labels)
        note = f"Baseline: {complaint.lower()}." if k == 0 else rng.choice(PROGRESS_NOTES)
        course.append((day, note, chart))
    return course


def _agree(current: dict[str, int], marks: Any, pain: int) -> None:
    """Scale the charted regions so the worst is the visit's pain rating (0: nothing charted);
    pain that came back after every region had settled returns to the main region."""
    if pain <= 0:
        current.clear()
        return
    if not current:
        code = marks[0][0]
        current[code] = pain
        return
    factor = pain / max(current.values())
    for code, value in current.items():
        current[code] = _intensity(value * factor)


def _intensity(value: float) -> int:
    return max(1, min(10, round(value)))
