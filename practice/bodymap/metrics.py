"""Numbers taken from body charts: pain extent, region count, WPI, intensity, visit comparison.

A region counts as painful when its mark has an intensity above 0; a mark at 0 (numbness
without pain, say) is drawn but not counted. Charts are assumed valid (see
`ChartData.validate`). Extent follows the pain-drawing literature: marked area over the whole
outline area of both views, in percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practice.bodymap.atlas import Atlas
    from practice.bodymap.chart import ChartData


@dataclass(frozen=True)
class ChartMetrics:
    extent_percent: float  # painful region area / outline area of both views x 100
    region_count: int  # painful regions
    wpi: int  # distinct WPI sites painful, 0-19
    wpi_sites: frozenset[str]
    max_intensity: int  # 0 when nothing is painful
    mean_intensity: float  # over painful regions; 0.0 when nothing is painful


@dataclass(frozen=True)
class RegionChange:
    region: str
    before: int  # intensity, 0 when not marked
    after: int

    @property
    def delta(self) -> int:
        """After minus before: negative is better."""
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """How a chart changed from one visit (before) to another (after)."""

    changes: tuple[RegionChange, ...]  # every region painful in either chart, in atlas order
    added: frozenset[str]  # painful only after
    resolved: frozenset[str]  # painful only before
    improved: frozenset[str]  # painful in both, less after
    worsened: frozenset[str]  # painful in both, more after
    unchanged: frozenset[str]  # painful in both, same intensity
    jaccard_count: float  # |A and B| / |A or B| of the painful region sets; 1.0 when both empty
    jaccard_area: float  # the same weighted by region area
    extent_before: float
    extent_after: float

    @property
    def extent_change(self) -> float:
        """Percentage points: negative means the pain covers less of the body."""
        return self.extent_after - self.extent_before

    def delta(self, region: str) -> int:
        """Change of intensity in one region; 0 for a region painful in neither chart."""
        return next((c.delta for c in self.changes if c.region == region), 0)


def painful_regions(chart: ChartData) -> dict[str, int]:
    """Region code to intensity, for marks above 0."""
    return {m.region: m.intensity for m in chart.marks if m.intensity > 0}


def pain_extent(chart: ChartData, atlas: Atlas | None = None) -> float:
    atlas = _atlas(atlas)
    return _area(painful_regions(chart), atlas) / atlas.total_area * 100


def region_count(chart: ChartData) -> int:
    return len(painful_regions(chart))


def wpi_sites(chart: ChartData, atlas: Atlas | None = None) -> frozenset[str]:
    """The Widespread Pain Index sites with pain (their count is the WPI, 0-19)."""
    atlas = _atlas(atlas)
    sites = (atlas.region(code).wpi_site for code in painful_regions(chart))
    return frozenset(site for site in sites if site)


def wpi_count(chart: ChartData, atlas: Atlas | None = None) -> int:
    return len(wpi_sites(chart, atlas))


def max_intensity(chart: ChartData) -> int:
    return max(painful_regions(chart).values(), default=0)


def mean_intensity(chart: ChartData) -> float:
    values = painful_regions(chart).values()
    return sum(values) / len(values) if values else 0.0


def summarize(chart: ChartData, atlas: Atlas | None = None) -> ChartMetrics:
    atlas = _atlas(atlas)
    sites = wpi_sites(chart, atlas)
    return ChartMetrics(
        extent_percent=pain_extent(chart, atlas),
        region_count=region_count(chart),
        wpi=len(sites),
        wpi_sites=sites,
        max_intensity=max_intensity(chart),
        mean_intensity=mean_intensity(chart),
    )


def compare(before: ChartData, after: ChartData, atlas: Atlas | None = None) -> Comparison:
    atlas = _atlas(atlas)
    old, new = painful_regions(before), painful_regions(after)
    both = old.keys() & new.keys()
    either = old.keys() | new.keys()
    order = {code: i for i, code in enumerate(atlas.codes)}
    changes = tuple(
        RegionChange(code, old.get(code, 0), new.get(code, 0))
        for code in sorted(either, key=order.__getitem__)
    )
    return Comparison(
        changes=changes,
        added=frozenset(new.keys() - old.keys()),
        resolved=frozenset(old.keys() - new.keys()),
        improved=frozenset(c for c in both if new[c] < old[c]),
        worsened=frozenset(c for c in both if new[c] > old[c]),
        unchanged=frozenset(c for c in both if new[c] == old[c]),
        jaccard_count=len(both) / len(either) if either else 1.0,
        jaccard_area=_area(both, atlas) / _area(either, atlas) if either else 1.0,
        extent_before=pain_extent(before, atlas),
        extent_after=pain_extent(after, atlas),
    )


def _area(codes: Iterable[str], atlas: Atlas) -> float:
    return sum(atlas.area(code) for code in codes)


def _atlas(atlas: Atlas | None) -> Atlas:
    if atlas is not None:
        return atlas
    from practice.bodymap.atlas import load_atlas

    return load_atlas()
