"""What a body chart holds (region marks, symbols, arrows, strokes, labels) and its checks.

All coordinates are atlas units (the SVG viewBox of resources/bodymap/atlas.svg), each item
tagged with the view it was drawn on. The dict form from `ChartData.to_json` is what storage
keeps; `ChartData.from_json` reads it back exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from practice.bodymap import View
from practice.bounds import as_real
from practice.errors import ValidationError
from practice.text import clean, single_line

if TYPE_CHECKING:
    from practice.bodymap.atlas import Atlas

FORMAT_VERSION = 1
MAX_INTENSITY = 10
MAX_TENDER_GRADE = 4
MAX_LABEL_LENGTH = 60
ON_BODY_TOLERANCE = 4.0  # atlas units a point may stray outside the outline (a finger's slip)
# A freehand stroke is sampled as it is drawn: a slow two-minute stroke at 60 points a second is
# 7,200 points. Its points may leave the outline (pain radiating off a hand) but stay within the
# view's own width or height of it.
MAX_STROKE_POINTS = 10_000


class Quality(StrEnum):
    ACHE = "ache"
    SHARP = "sharp"
    BURNING = "burning"
    NUMBNESS = "numbness"
    TINGLING = "tingling"
    STIFFNESS = "stiffness"


# The order a mark's qualities are stored in (iterating the enum itself, for every mark, took
# 0.9 s of a 40,000-visit demo).
QUALITY_ORDER = tuple(Quality)


class SymbolKind(StrEnum):
    TRIGGER_POINT_ACTIVE = "trigger_point_active"
    TRIGGER_POINT_LATENT = "trigger_point_latent"
    TENDER_POINT = "tender_point"
    SPASM = "spasm"
    ADHESION = "adhesion"
    OTHER = "other"


class StrokeKind(StrEnum):
    RADIATING = "radiating"
    NUMBNESS = "numbness"
    OTHER = "other"


SYMBOL_NAMES = {
    SymbolKind.TRIGGER_POINT_ACTIVE: "active trigger point",
    SymbolKind.TRIGGER_POINT_LATENT: "latent trigger point",
    SymbolKind.TENDER_POINT: "tender point",
    SymbolKind.SPASM: "spasm",
    SymbolKind.ADHESION: "adhesion",
    SymbolKind.OTHER: "symbol",
}


@dataclass(frozen=True)
class RegionMark:
    """Symptoms in one atlas region: pain intensity 0-10 (NRS) and how it feels."""

    region: str
    intensity: int
    qualities: frozenset[Quality] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualities", frozenset(Quality(q) for q in self.qualities))


@dataclass(frozen=True)
class PointSymbol:
    """A finding at one spot: a trigger point, tender point (graded 0-4), spasm or adhesion."""

    kind: SymbolKind
    view: View
    x: float
    y: float
    grade: int | None = None
    muscle: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SymbolKind(self.kind))
        object.__setattr__(self, "view", View(self.view))


@dataclass(frozen=True)
class ReferralArrow:
    """Pain referred from (x1, y1) to (x2, y2)."""

    view: View
    x1: float
    y1: float
    x2: float
    y2: float
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "view", View(self.view))


@dataclass(frozen=True)
class Stroke:
    """A freehand line, such as pain radiating down a leg or a band of numbness."""

    view: View
    points: tuple[tuple[float, float], ...]
    kind: StrokeKind = StrokeKind.OTHER

    def __post_init__(self) -> None:
        object.__setattr__(self, "view", View(self.view))
        object.__setattr__(self, "kind", StrokeKind(self.kind))
        object.__setattr__(self, "points", tuple((x, y) for x, y in self.points))


@dataclass(frozen=True)
class TextLabel:
    view: View
    x: float
    y: float
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "view", View(self.view))


@dataclass(frozen=True)
class ChartData:
    """One body chart: everything drawn on the outline for one visit."""

    marks: tuple[RegionMark, ...] = ()
    symbols: tuple[PointSymbol, ...] = ()
    arrows: tuple[ReferralArrow, ...] = ()
    strokes: tuple[Stroke, ...] = ()
    labels: tuple[TextLabel, ...] = ()

    def __post_init__(self) -> None:
        for name in ("marks", "symbols", "arrows", "strokes", "labels"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def intensity(self, region: str) -> int:
        """The marked intensity of a region, 0 when it is not marked."""
        return next((m.intensity for m in self.marks if m.region == region), 0)

    # --- checks ------------------------------------------------------------------------------

    def cleaned(self) -> ChartData:
        """The chart with its text cleaned: labels and muscles on one line, notes as typed."""
        return replace(
            self,
            symbols=tuple(
                replace(s, muscle=single_line(s.muscle), note=clean(s.note)) for s in self.symbols
            ),
            arrows=tuple(replace(a, note=clean(a.note)) for a in self.arrows),
            labels=tuple(replace(t, text=single_line(t.text)) for t in self.labels),
        )

    def validate(self, atlas: Atlas | None = None) -> None:
        """Raise ValidationError naming every problem, or return when the chart can be saved."""
        if atlas is None:
            from practice.bodymap.atlas import load_atlas

            atlas = load_atlas()
        errors: dict[str, str] = {}
        errors.update(_check_marks(self.marks, atlas))
        for i, symbol in enumerate(self.symbols):
            what = SYMBOL_NAMES[symbol.kind]
            if not _on_body(atlas, symbol.view, symbol.x, symbol.y):
                errors[f"symbols[{i}]"] = f"The {what} is outside the body outline."
            if symbol.grade is not None and not _whole_in_range(symbol.grade, MAX_TENDER_GRADE):
                errors[f"symbols[{i}].grade"] = (
                    f"A {what} grade must be a whole number from 0 to {MAX_TENDER_GRADE}; "
                    f"this one is {symbol.grade}."
                )
        for i, arrow in enumerate(self.arrows):
            start = _on_body(atlas, arrow.view, arrow.x1, arrow.y1)
            end = _on_body(atlas, arrow.view, arrow.x2, arrow.y2)
            if not (start and end):
                where = "starts" if not start else "ends"
                where = "starts and ends" if not (start or end) else where
                errors[f"arrows[{i}]"] = f"A referral arrow {where} outside the body outline."
        for i, stroke in enumerate(self.strokes):
            if len(stroke.points) < 2:
                errors[f"strokes[{i}]"] = "A stroke needs at least two points."
            elif len(stroke.points) > MAX_STROKE_POINTS:
                errors[f"strokes[{i}]"] = (
                    f"A stroke can have at most {MAX_STROKE_POINTS:,} points; draw it in parts."
                )
            elif not all(_near_view(atlas, stroke.view, x, y) for x, y in stroke.points):
                errors[f"strokes[{i}]"] = "A stroke runs far outside the body outline."
        for i, label in enumerate(self.labels):
            text = label.text.strip()
            if not text:
                errors[f"labels[{i}].text"] = "A text label cannot be empty."
            elif len(text) > MAX_LABEL_LENGTH:
                errors[f"labels[{i}].text"] = (
                    f"A text label can have at most {MAX_LABEL_LENGTH} characters; "
                    f"this one has {len(text)}."
                )
            if not _on_body(atlas, label.view, label.x, label.y):
                errors[f"labels[{i}]"] = f"The label {text[:20]!r} is outside the body outline."
        if errors:
            raise ValidationError(errors)

    # --- storage -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A plain dict (JSON-ready) of the chart."""
        return {
            "version": FORMAT_VERSION,
            "marks": [
                {
                    "region": m.region,
                    "intensity": m.intensity,
                    "qualities": [q.value for q in QUALITY_ORDER if q in m.qualities],
                }
                for m in self.marks
            ],
            "symbols": [
                {
                    "kind": s.kind.value,
                    "view": s.view.value,
                    "x": s.x,
                    "y": s.y,
                    "grade": s.grade,
                    "muscle": s.muscle,
                    "note": s.note,
                }
                for s in self.symbols
            ],
            "arrows": [
                {
                    "view": a.view.value,
                    "x1": a.x1,
                    "y1": a.y1,
                    "x2": a.x2,
                    "y2": a.y2,
                    "note": a.note,
                }
                for a in self.arrows
            ],
            "strokes": [
                {
                    "view": s.view.value,
                    "kind": s.kind.value,
                    "points": [[x, y] for x, y in s.points],
                }
                for s in self.strokes
            ],
            "labels": [
                {"view": t.view.value, "x": t.x, "y": t.y, "text": t.text} for t in self.labels
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChartData:
        """Read the dict form back; a damaged or newer record raises ValidationError."""
        version = data.get("version", FORMAT_VERSION) if isinstance(data, Mapping) else None
        if not isinstance(version, int):
            raise ValidationError("This body chart record is damaged and cannot be read.", "chart")
        if version > FORMAT_VERSION:
            raise ValidationError(
                "This body chart was saved by a newer version of Fascia; update Fascia to open it.",
                "chart",
            )
        try:
            return cls(
                marks=tuple(
                    RegionMark(str(m["region"]), m["intensity"], frozenset(m.get("qualities", ())))
                    for m in _items(data, "marks")
                ),
                symbols=tuple(
                    PointSymbol(
                        kind=s["kind"],
                        view=s["view"],
                        x=float(s["x"]),
                        y=float(s["y"]),
                        grade=s.get("grade"),
                        muscle=str(s.get("muscle", "")),
                        note=str(s.get("note", "")),
                    )
                    for s in _items(data, "symbols")
                ),
                arrows=tuple(
                    ReferralArrow(
                        view=a["view"],
                        x1=float(a["x1"]),
                        y1=float(a["y1"]),
                        x2=float(a["x2"]),
                        y2=float(a["y2"]),
                        note=str(a.get("note", "")),
                    )
                    for a in _items(data, "arrows")
                ),
                strokes=tuple(
                    Stroke(
                        view=s["view"],
                        kind=s.get("kind", StrokeKind.OTHER),
                        points=tuple((float(x), float(y)) for x, y in s["points"]),
                    )
                    for s in _items(data, "strokes")
                ),
                labels=tuple(
                    TextLabel(view=t["view"], x=float(t["x"]), y=float(t["y"]), text=str(t["text"]))
                    for t in _items(data, "labels")
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                "This body chart record is damaged and cannot be read.", "chart"
            ) from exc


def _items(data: Mapping[str, Any], key: str) -> Iterable[Mapping[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise TypeError(f"{key} must be a list of objects")
    return items


def _check_marks(marks: Iterable[RegionMark], atlas: Atlas) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, mark in enumerate(marks):
        if mark.region not in atlas:
            errors[f"marks[{i}].region"] = f"{mark.region!r} is not a region of the body map."
            continue
        name = atlas.region(mark.region).name
        if not _whole_in_range(mark.intensity, MAX_INTENSITY):
            errors[f"marks[{i}].intensity"] = (
                f"Pain intensity must be a whole number from 0 to {MAX_INTENSITY}; "
                f"{name} has {mark.intensity}."
            )
        if mark.region in seen:
            errors[f"marks[{i}].region"] = f"{name} is marked more than once; keep one mark."
        seen.add(mark.region)
    return errors


def _whole_in_range(value: object, top: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top


def _near_view(atlas: Atlas, view: View, x: float, y: float) -> bool:
    if not (_coordinate(x) and _coordinate(y)):
        return False
    left, top, right, bottom = atlas.view_bounds(view)
    width, height = right - left, bottom - top
    return left - width <= x <= right + width and top - height <= y <= bottom + height


def _coordinate(value: object) -> bool:
    """A finite int or float (what JSON keeps): not NaN, infinity, a bool or a Decimal."""
    return isinstance(value, int | float) and as_real(value) is not None


def _on_body(atlas: Atlas, view: View, x: float, y: float) -> bool:
    # The box first: shapely overflows on numbers near the largest float.
    return _near_view(atlas, view, x, y) and atlas.is_on_body(view, x, y, ON_BODY_TOLERANCE)
