"""Chart metrics against cases worked out by hand on a toy atlas of rectangles."""

from __future__ import annotations

import pytest

from practice.bodymap import View
from practice.bodymap.atlas import WPI_SITES, Atlas, Region, load_atlas
from practice.bodymap.chart import ChartData, RegionMark
from practice.bodymap.metrics import (
    RegionChange,
    compare,
    max_intensity,
    mean_intensity,
    pain_extent,
    region_count,
    summarize,
    wpi_count,
    wpi_sites,
)


def rectangle(x0: float, x1: float, height: float = 10.0) -> list[tuple[float, float]]:
    return [(x0, 0.0), (x1, 0.0), (x1, height), (x0, height)]


@pytest.fixture(scope="module")
def toy() -> Atlas:
    """Front 40 x 10 = 400 cut into A 100, B 200, C 100; back 60 x 10 = 600 into D and E, 300
    each. The outlines total 1000, so 1 unit of area is 0.1 % of the body."""
    regions = [
        Region.from_points("A", "A", "front", "midline", "neck", rectangle(0, 10)),
        Region.from_points("B", "B", "front", "R", "jaw_R", rectangle(10, 30)),
        Region.from_points("C", "C", "front", "R", "jaw_R", rectangle(30, 40)),
        Region.from_points("D", "D", "back", "midline", "lower_back", rectangle(100, 130)),
        Region.from_points("E", "E", "back", "midline", "", rectangle(130, 160)),
    ]
    outlines = {View.FRONT: [rectangle(0, 40)], View.BACK: [rectangle(100, 160)]}
    return Atlas(regions, outlines)


def chart(**intensities: int) -> ChartData:
    return ChartData(marks=tuple(RegionMark(code, value) for code, value in intensities.items()))


def test_the_toy_atlas_has_the_areas_worked_out_by_hand(toy):
    assert [toy.area(code) for code in "ABCDE"] == [100, 200, 100, 300, 300]
    assert toy.total_area == 1000


def test_pain_extent_is_marked_area_over_both_outlines_in_percent(toy):
    assert pain_extent(chart(A=5, B=3), toy) == pytest.approx(30.0)  # (100 + 200) / 1000
    assert pain_extent(chart(D=1), toy) == pytest.approx(30.0)  # 300 / 1000
    assert pain_extent(chart(A=1, B=1, C=1, D=1, E=1), toy) == pytest.approx(100.0)


def test_a_mark_at_intensity_0_adds_no_extent_and_is_not_counted(toy):
    assert pain_extent(chart(A=0, C=4), toy) == pytest.approx(10.0)
    assert region_count(chart(A=0, C=4)) == 1


def test_an_empty_chart_has_no_extent_no_regions_and_no_intensity(toy):
    metrics = summarize(ChartData(), toy)
    assert metrics.extent_percent == 0.0
    assert metrics.region_count == 0
    assert metrics.wpi == 0
    assert metrics.max_intensity == 0
    assert metrics.mean_intensity == 0.0


def test_wpi_counts_distinct_sites_not_regions(toy):
    # B and C are both the right jaw; E is no WPI site.
    assert wpi_sites(chart(A=2, B=3, C=7, E=5), toy) == {"neck", "jaw_R"}
    assert wpi_count(chart(A=2, B=3, C=7, E=5), toy) == 2
    assert wpi_count(chart(E=9), toy) == 0
    assert wpi_count(chart(B=0, D=1), toy) == 1


def test_max_and_mean_intensity_are_over_painful_regions(toy):
    assert max_intensity(chart(A=6, B=3, C=0)) == 6
    assert mean_intensity(chart(A=6, B=3, C=0)) == pytest.approx(4.5)


def test_summarize_gathers_every_number(toy):
    metrics = summarize(chart(A=6, B=3, D=0), toy)
    assert metrics.extent_percent == pytest.approx(30.0)
    assert metrics.region_count == 2
    assert metrics.wpi == 2
    assert metrics.wpi_sites == {"neck", "jaw_R"}
    assert metrics.max_intensity == 6
    assert metrics.mean_intensity == pytest.approx(4.5)


def test_compare_sorts_regions_into_added_resolved_and_unchanged(toy):
    result = compare(chart(A=5, B=3), chart(B=3, C=2), toy)
    assert result.added == {"C"}
    assert result.resolved == {"A"}
    assert result.unchanged == {"B"}
    assert result.improved == frozenset() and result.worsened == frozenset()


def test_compare_gives_jaccard_by_count_and_by_area(toy):
    result = compare(chart(A=5, B=3), chart(B=3, C=2), toy)
    assert result.jaccard_count == pytest.approx(1 / 3)  # {B} of {A, B, C}
    assert result.jaccard_area == pytest.approx(0.5)  # 200 of 100 + 200 + 100


def test_compare_gives_per_region_changes_with_absent_regions_as_0(toy):
    result = compare(chart(A=5, B=3), chart(B=3, C=2), toy)
    assert result.changes == (
        RegionChange("A", 5, 0),
        RegionChange("B", 3, 3),
        RegionChange("C", 0, 2),
    )
    assert [c.delta for c in result.changes] == [-5, 0, 2]
    assert result.delta("C") == 2
    assert result.delta("E") == 0


def test_compare_tells_improved_from_worsened_regions(toy):
    result = compare(chart(A=5, B=3, D=4), chart(A=2, B=7, D=4), toy)
    assert result.improved == {"A"}
    assert result.worsened == {"B"}
    assert result.unchanged == {"D"}
    assert result.jaccard_count == 1.0
    assert result.jaccard_area == 1.0


def test_compare_gives_the_extent_change_in_percentage_points(toy):
    result = compare(chart(A=5, B=3), chart(D=2, E=2), toy)
    assert result.extent_before == pytest.approx(30.0)
    assert result.extent_after == pytest.approx(60.0)
    assert result.extent_change == pytest.approx(30.0)
    assert result.jaccard_count == 0.0
    assert result.jaccard_area == 0.0


def test_jaccard_of_two_empty_charts_is_1(toy):
    result = compare(ChartData(), chart(A=0), toy)
    assert result.jaccard_count == 1.0
    assert result.jaccard_area == 1.0
    assert result.changes == ()


def test_marking_every_region_of_the_real_atlas_covers_the_body_and_all_19_wpi_sites():
    atlas = load_atlas()
    everywhere = ChartData(marks=tuple(RegionMark(r.code, 1) for r in atlas.regions))
    metrics = summarize(everywhere, atlas)
    assert metrics.extent_percent == pytest.approx(100.0, abs=0.5)
    assert metrics.wpi_sites == set(WPI_SITES)
    assert metrics.wpi == 19


def test_both_shoulders_of_the_real_atlas_are_the_same_share_of_the_body():
    atlas = load_atlas()
    right = pain_extent(chart(F_SHOULDER_R=4), atlas)
    left = pain_extent(chart(F_SHOULDER_L=4), atlas)
    assert right == pytest.approx(left, rel=0.03)
    assert 0.5 < right < 3.0
