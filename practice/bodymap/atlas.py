"""The body map atlas: front and back outlines cut into named regions, read once from the SVG.

Coordinates are the SVG's user units (its viewBox, 0-1000 on both axes, y down); both views
share that space, the front on the left half and the back on the right. Everything here is
plain data for the screen and paper renderers: points, areas, names, hit tests.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import shapely
from shapely.geometry import Polygon
from shapely.ops import polylabel, unary_union

from practice.bodymap import Side, View
from practice.errors import FasciaError
from practice.paths import resource

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # min x, min y, max x, max y

__all__ = ["WPI_SITES", "Atlas", "AtlasError", "AtlasText", "Region", "Side", "View", "load_atlas"]


# The 19 sites of the ACR Widespread Pain Index, in the order the criteria list them.
WPI_SITES: tuple[str, ...] = (
    "jaw_L", "jaw_R", "shoulder_girdle_L", "shoulder_girdle_R", "upper_arm_L", "upper_arm_R",
    "lower_arm_L", "lower_arm_R", "hip_L", "hip_R", "upper_leg_L", "upper_leg_R",
    "lower_leg_L", "lower_leg_R", "neck", "upper_back", "lower_back", "chest", "abdomen",
)  # fmt: skip

CURVE_SAMPLES = 12  # points per curved path segment, should a designer draw curves
NEIGHBOUR_TOLERANCE = 0.5  # how far apart two borders may be and still count as shared
NEIGHBOUR_MIN_BORDER = 2.0  # shorter contact than this (a corner) does not make neighbours


class AtlasError(FasciaError):
    """The atlas files are missing or inconsistent (a broken edit of the SVG or the CSV)."""


@dataclass(frozen=True)
class Region:
    """One named body region of one view: its outline and the numbers derived from it."""

    code: str
    name: str
    view: View
    side: Side
    wpi_site: str  # one of WPI_SITES, or "" when the region is none of them
    polygon: tuple[Point, ...]  # the closed outline, without repeating the first point
    area: float
    centroid: Point
    bbox: Box
    label_point: Point  # well inside the region (the centroid of a curved region may not be)

    @classmethod
    def from_points(
        cls,
        code: str,
        name: str,
        view: View | str,
        side: Side | str,
        wpi_site: str,
        points: Iterable[Point],
    ) -> Region:
        ring = tuple((float(x), float(y)) for x, y in points)
        if len(ring) > 1 and ring[0] == ring[-1]:
            ring = ring[:-1]
        shape = Polygon(ring)
        if len(ring) < 3 or not shape.is_valid or shape.area <= 0:
            raise AtlasError(f"Region {code} is not a simple closed shape.")
        label = polylabel(shape, tolerance=0.5)
        return cls(
            code=code,
            name=name,
            view=View(view),
            side=Side(side),
            wpi_site=wpi_site,
            polygon=ring,
            area=shape.area,
            centroid=(shape.centroid.x, shape.centroid.y),
            bbox=shape.bounds,
            label_point=(label.x, label.y),
        )


@dataclass(frozen=True)
class AtlasText:
    """A printed word of the drawing (view title, the R and L side markers)."""

    id: str
    text: str
    view: View
    x: float
    y: float


class Atlas:
    """All regions of both views with lookups, hit testing and the outlines to draw."""

    def __init__(
        self,
        regions: Iterable[Region],
        outlines: Mapping[View | str, Sequence[Sequence[Point]]],
        texts: Iterable[AtlasText] = (),
    ) -> None:
        self.regions: tuple[Region, ...] = tuple(regions)
        self._by_code = {r.code: r for r in self.regions}
        if len(self._by_code) != len(self.regions):
            raise AtlasError("Region codes must be unique.")
        self._shapes = {r.code: Polygon(r.polygon) for r in self.regions}
        shapely.prepare(list(self._shapes.values()))
        self._outlines = {
            View(view): tuple(tuple((float(x), float(y)) for x, y in ring) for ring in rings)
            for view, rings in outlines.items()
        }
        self._outline_shapes = {
            view: unary_union([Polygon(ring) for ring in rings])
            for view, rings in self._outlines.items()
        }
        shapely.prepare(list(self._outline_shapes.values()))
        self._texts = tuple(texts)
        self._per_view = {
            view: tuple(r for r in self.regions if r.view == view) for view in self.views
        }
        self._trees = {
            view: shapely.STRtree([self._shapes[r.code] for r in regions])
            for view, regions in self._per_view.items()
        }

    # --- lookups -----------------------------------------------------------------------------

    @property
    def views(self) -> tuple[View, ...]:
        return tuple(View(v) for v in View if v in self._outlines)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def region(self, code: str) -> Region:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a region of the body map") from None

    def regions_of(self, view: View | str) -> tuple[Region, ...]:
        return self._per_view.get(View(view), ())

    def area(self, code: str) -> float:
        return self.region(code).area

    @functools.cached_property
    def wpi_sites(self) -> Mapping[str, tuple[str, ...]]:
        """Each of the 19 WPI sites with the codes of the regions that count towards it."""
        return MappingProxyType(
            {site: tuple(r.code for r in self.regions if r.wpi_site == site) for site in WPI_SITES}
        )

    # --- geometry ----------------------------------------------------------------------------

    def region_at(self, view: View | str, x: float, y: float) -> Region | None:
        """The region under a point, or None off the body. A point on a shared border goes
        to the region listed first."""
        tree = self._trees.get(View(view))
        if tree is None:
            return None
        hits = tree.query(shapely.Point(x, y), predicate="intersects")
        if len(hits) == 0:
            return None
        return self._per_view[View(view)][int(hits.min())]

    def is_on_body(self, view: View | str, x: float, y: float, tolerance: float = 0.0) -> bool:
        """Whether a point lies inside the view's outline, or at most `tolerance` outside it."""
        shape = self._outline_shapes.get(View(view))
        return shape is not None and bool(shapely.dwithin(shape, shapely.Point(x, y), tolerance))

    def outline(self, view: View | str) -> tuple[tuple[Point, ...], ...]:
        """The silhouette of a view as closed rings of points (usually one ring)."""
        return self._outlines[View(view)]

    def outline_area(self, view: View | str) -> float:
        return float(self._outline_shapes[View(view)].area)

    @functools.cached_property
    def total_area(self) -> float:
        """The outline area of all views together: the denominator of pain extent."""
        return sum(self.outline_area(view) for view in self.views)

    def view_bounds(self, view: View | str) -> Box:
        """The box around a view's outline: min x, min y, max x, max y."""
        min_x, min_y, max_x, max_y = self._outline_shapes[View(view)].bounds
        return (min_x, min_y, max_x, max_y)

    def texts(self, view: View | str | None = None) -> tuple[AtlasText, ...]:
        if view is None:
            return self._texts
        return tuple(t for t in self._texts if t.view == View(view))

    def neighbours(self, code: str) -> tuple[Region, ...]:
        """Regions of the same view that share a stretch of border with this one."""
        return tuple(self._by_code[c] for c in self._neighbour_codes[self.region(code).code])

    @functools.cached_property
    def _neighbour_codes(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, set[str]] = {r.code: set() for r in self.regions}
        for view, regions in self._per_view.items():
            tree = self._trees[view]
            for i, region in enumerate(regions):
                shape = self._shapes[region.code]
                near = tree.query(shape, predicate="dwithin", distance=NEIGHBOUR_TOLERANCE)
                for j in near:
                    if j <= i:
                        continue
                    other = regions[int(j)]
                    border = shape.boundary.intersection(
                        self._shapes[other.code].buffer(NEIGHBOUR_TOLERANCE)
                    )
                    if border.length >= NEIGHBOUR_MIN_BORDER:
                        found[region.code].add(other.code)
                        found[other.code].add(region.code)
        order = {code: i for i, code in enumerate(self._by_code)}
        return {code: tuple(sorted(codes, key=order.__getitem__)) for code, codes in found.items()}


# --- reading the files ---------------------------------------------------------------------------


@functools.cache
def load_atlas() -> Atlas:
    """The bundled atlas, read once per process."""
    return read_atlas(resource("bodymap", "atlas.svg"), resource("bodymap", "regions.csv"))


def read_atlas(svg_path: Path, csv_path: Path) -> Atlas:
    """Read an atlas from its drawing and its region table, checking that they agree."""
    rows = _read_region_table(csv_path)
    shapes, outlines, texts = _read_drawing(svg_path)
    problems = []
    for code in shapes.keys() - rows.keys():
        problems.append(f"{code} is drawn but missing from {csv_path.name}")
    for code in rows.keys() - shapes.keys():
        problems.append(f"{code} is listed in {csv_path.name} but not drawn")
    for code, (view, _) in shapes.items():
        if code in rows and rows[code]["view"] != view:
            problems.append(
                f"{code} is drawn in the {view} view but listed as {rows[code]['view']}"
            )
    for view in View:
        if view not in outlines:
            problems.append(f"the drawing has no outline-{view} path")
    for code, row in rows.items():
        if not row["name"]:
            problems.append(f"{code} has no name")
        if row["side"] not in {side.value for side in Side}:
            problems.append(f"{code} has an unknown side {row['side']!r}")
        if row["wpi_site"] and row["wpi_site"] not in WPI_SITES:
            problems.append(f"{code} has an unknown WPI site {row['wpi_site']!r}")
    if problems:
        raise AtlasError("The body map atlas is inconsistent: " + "; ".join(sorted(problems)) + ".")
    regions = [
        Region.from_points(
            code, row["name"], row["view"], row["side"], row["wpi_site"], shapes[code][1]
        )
        for code, row in rows.items()
    ]
    return Atlas(regions, outlines, texts)


def _read_region_table(path: Path) -> dict[str, dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise AtlasError(f"The body map region table cannot be read: {exc}") from exc
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        code = (row.get("code") or "").strip()
        if code in table:
            raise AtlasError(f"Region {code} is listed twice in {path.name}.")
        table[code] = {key: (value or "").strip() for key, value in row.items()}
    return table


def _read_drawing(
    path: Path,
) -> tuple[dict[str, tuple[str, list[Point]]], dict[View, list[list[Point]]], list[AtlasText]]:
    import svgelements  # only needed the one time the drawing is read

    try:
        svg = svgelements.SVG.parse(str(path))
    except (OSError, ValueError) as exc:
        raise AtlasError(f"The body map drawing cannot be read: {exc}") from exc
    to_user = _user_units(svg)
    shapes: dict[str, tuple[str, list[Point]]] = {}
    texts: list[AtlasText] = []
    for view in View:
        group = svg.get_element_by_id(view.value)
        if group is None:
            raise AtlasError(f"The body map drawing has no {view.value!r} layer.")
        for element in group.select():
            if isinstance(element, svgelements.Shape) and element.id:
                rings = _rings(svgelements.Path(element), to_user)
                if len(rings) != 1:
                    raise AtlasError(f"Region {element.id} must be one closed shape.")
                shapes[element.id] = (view.value, rings[0])
    outlines: dict[View, list[list[Point]]] = {}
    for view in View:
        element = svg.get_element_by_id(f"outline-{view.value}")
        if isinstance(element, svgelements.Shape):
            outlines[view] = _rings(svgelements.Path(element), to_user)
    for view in View:
        labels = svg.get_element_by_id(f"labels-{view.value}")
        for element in labels.select() if labels is not None else ():
            if isinstance(element, svgelements.Text) and element.id and element.text:
                position = element.transform.point_in_matrix_space((element.x, element.y))
                texts.append(AtlasText(element.id, element.text, view, *to_user(position)))
    return shapes, outlines, texts


def _user_units(svg: Any) -> Callable[[Any], Point]:
    """Map svgelements' pixels back to the drawing's viewBox units (they differ when the
    document's width and height are set in mm or inches)."""
    viewbox = svg.viewbox
    if viewbox is None or not svg.width or not svg.height:
        scale_x = scale_y = 1.0
        dx = dy = 0.0
    else:
        scale_x, scale_y = viewbox.width / svg.width, viewbox.height / svg.height
        dx, dy = viewbox.x, viewbox.y

    def to_user(point: Any) -> Point:
        return (round(point[0] * scale_x + dx, 6), round(point[1] * scale_y + dy, 6))

    return to_user


def _rings(path: Any, to_user: Callable[[Any], Point]) -> list[list[Point]]:
    """The closed rings of a path with at least three points, curves sampled as polylines."""
    import svgelements

    rings: list[list[Point]] = []
    current: list[Point] = []
    for segment in path.segments():
        if isinstance(segment, svgelements.Move):
            rings.append(current)
            current = [to_user(segment.end)]
        elif isinstance(segment, svgelements.Close):
            rings.append(current)
            current = []
        elif isinstance(segment, svgelements.Line):
            current.append(to_user(segment.end))
        else:
            steps = range(1, CURVE_SAMPLES + 1)
            current.extend(to_user(segment.point(k / CURVE_SAMPLES)) for k in steps)
    rings.append(current)
    return [ring for ring in rings if len(ring) >= 3]
