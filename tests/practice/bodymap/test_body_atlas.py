"""The bundled body map atlas is sound: regions tile the outline, mirror, and map to the WPI."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from shapely import affinity
from shapely.geometry import Polygon
from shapely.ops import unary_union

from practice.bodymap import Side, View
from practice.bodymap.atlas import WPI_SITES, Atlas, AtlasError, load_atlas, read_atlas
from practice.paths import resource


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def shape(points) -> Polygon:
    return Polygon(points)


def mirror_pairs(atlas: Atlas):
    for region in atlas.regions:
        if region.side == Side.RIGHT:
            yield region, atlas.region(region.code[:-1] + "L")


def test_atlas_has_at_least_seventy_regions(atlas):
    assert len(atlas.regions) >= 70


def test_region_codes_are_unique_and_follow_the_naming_scheme(atlas):
    codes = [r.code for r in atlas.regions]
    assert len(codes) == len(set(codes))
    for region in atlas.regions:
        assert re.fullmatch(r"[FB](_[A-Z]+)+", region.code), region.code
        assert region.code[0] == {View.FRONT: "F", View.BACK: "B"}[region.view]
        suffix = {Side.RIGHT: "_R", Side.LEFT: "_L"}.get(region.side)
        assert (region.code.endswith(suffix)) if suffix else region.code[-2:] not in ("_R", "_L")


def test_every_region_has_a_name_view_and_side(atlas):
    for region in atlas.regions:
        assert region.name.strip(), region.code
        assert region.view in (View.FRONT, View.BACK)
        assert region.side in (Side.RIGHT, Side.LEFT, Side.MIDLINE)
    assert len({r.name for r in atlas.regions}) == len(atlas.regions), "names must be unique"


def test_every_region_is_a_valid_simple_polygon(atlas):
    for region in atlas.regions:
        polygon = shape(region.polygon)
        assert polygon.is_valid, region.code
        assert polygon.area == pytest.approx(region.area)


def test_both_views_have_regions_and_one_outline(atlas):
    assert atlas.views == (View.FRONT, View.BACK)
    for view in atlas.views:
        assert len(atlas.regions_of(view)) > 30
        assert len(atlas.outline(view)) == 1


def test_regions_do_not_overlap(atlas):
    for view in atlas.views:
        regions = atlas.regions_of(view)
        shapes = {r.code: shape(r.polygon) for r in regions}
        for a, b in itertools.combinations(regions, 2):
            overlap = shapes[a.code].intersection(shapes[b.code]).area
            assert overlap < 0.001 * min(a.area, b.area), (a.code, b.code, overlap)


def test_regions_together_cover_the_silhouette(atlas):
    for view in atlas.views:
        union = unary_union([shape(r.polygon) for r in atlas.regions_of(view)])
        outline = unary_union([shape(ring) for ring in atlas.outline(view)])
        assert union.area == pytest.approx(outline.area, rel=0.005)
        assert union.symmetric_difference(outline).area < 0.005 * outline.area


def test_left_and_right_regions_mirror_each_other_in_area(atlas):
    pairs = list(mirror_pairs(atlas))
    assert len(pairs) >= 35
    for right, left in pairs:
        assert left.side == Side.LEFT
        assert left.area == pytest.approx(right.area, rel=0.03), right.code


def test_left_and_right_regions_are_mirror_images_in_shape(atlas):
    for right, left in mirror_pairs(atlas):
        x0, _, x1, _ = atlas.view_bounds(right.view)
        mirrored = affinity.scale(shape(right.polygon), xfact=-1, origin=((x0 + x1) / 2, 0))
        overlap = mirrored.intersection(shape(left.polygon)).area
        assert overlap > 0.97 * right.area, right.code


def test_left_and_right_shoulders_mirror_in_area(atlas):
    assert atlas.area("F_SHOULDER_L") == pytest.approx(atlas.area("F_SHOULDER_R"), rel=0.03)
    assert atlas.area("B_SHOULDER_L") == pytest.approx(atlas.area("B_SHOULDER_R"), rel=0.03)


def test_the_clients_right_is_on_the_viewers_left_from_the_front_and_right_from_the_back(atlas):
    front_middle = sum(atlas.view_bounds(View.FRONT)[0::2]) / 2
    back_middle = sum(atlas.view_bounds(View.BACK)[0::2]) / 2
    for region in atlas.regions:
        if region.side == Side.MIDLINE:
            continue
        x = region.centroid[0]
        if region.view == View.FRONT:
            assert (x < front_middle) == (region.side == Side.RIGHT), region.code
        else:
            assert (x > back_middle) == (region.side == Side.RIGHT), region.code


def test_each_view_is_labelled_r_and_l_on_the_clients_sides(atlas):
    for view in atlas.views:
        texts = {t.text: t for t in atlas.texts(view)}
        x0, _, x1, _ = atlas.view_bounds(view)
        middle = (x0 + x1) / 2
        if view == View.FRONT:
            assert texts["R"].x < middle < texts["L"].x
        else:
            assert texts["L"].x < middle < texts["R"].x


def test_every_one_of_the_nineteen_wpi_sites_is_covered(atlas):
    assert len(WPI_SITES) == 19
    for site in WPI_SITES:
        assert atlas.wpi_sites[site], f"no region counts towards {site}"
    assert {r.wpi_site for r in atlas.regions} <= {*WPI_SITES, ""}


def test_a_sided_wpi_site_is_only_reached_from_that_side(atlas):
    for region in atlas.regions:
        if region.wpi_site.endswith(("_R", "_L")):
            assert region.wpi_site[-1] == region.side.value, region.code


def test_region_at_finds_each_region_at_its_label_point(atlas):
    for region in atlas.regions:
        found = atlas.region_at(region.view, *region.label_point)
        assert found is not None and found.code == region.code


def test_region_at_outside_the_body_returns_none(atlas):
    for view in atlas.views:
        x0, y0, x1, y1 = atlas.view_bounds(view)
        middle = (x0 + x1) / 2
        assert atlas.region_at(view, x0 - 5, y0 - 5) is None
        assert atlas.region_at(view, middle, y1 + 10) is None
        assert atlas.region_at(view, middle, 700) is None, "between the knees"
        assert atlas.region_at(view, x0 + 1, y0 + 1) is None, "above the hand, beside the head"
    assert atlas.region_at(View.FRONT, 750, 500) is None, "the back view is not the front"


def test_region_at_tells_the_front_from_the_back(atlas):
    assert atlas.region_at(View.FRONT, 250, 300).code == "F_CHEST_R"
    assert atlas.region_at(View.BACK, 750, 490).code == "B_SACRUM"


def test_neighbours_are_symmetric_and_in_the_same_view(atlas):
    for region in atlas.regions:
        for other in atlas.neighbours(region.code):
            assert other.view == region.view
            assert region in atlas.neighbours(other.code), (region.code, other.code)


def test_neighbours_follow_the_body(atlas):
    def codes(code):
        return {r.code for r in atlas.neighbours(code)}

    assert {"F_THIGH_R", "F_SHIN_R"} <= codes("F_KNEE_R")
    assert {"B_LOW_BACK_R", "B_LOW_BACK_L", "B_BUTTOCK_R", "B_BUTTOCK_L"} <= codes("B_SACRUM")
    assert {"F_WRIST_R"} == codes("F_HAND_R")
    assert "F_THIGH_L" not in codes("F_THIGH_R"), "the legs only touch at the crotch"


def test_the_head_is_about_one_seventh_and_a_half_of_the_figure(atlas):
    head = unary_union(
        [shape(r.polygon) for r in atlas.regions_of(View.FRONT) if "_HEAD_" in r.code]
        + [shape(r.polygon) for r in atlas.regions_of(View.FRONT) if "_FACE_" in r.code]
        + [shape(r.polygon) for r in atlas.regions_of(View.FRONT) if "_JAW_" in r.code]
    )
    _, top, _, bottom = atlas.view_bounds(View.FRONT)
    _, head_top, _, chin = head.bounds
    assert 7.0 < (bottom - top) / (chin - head_top) < 8.0


def test_total_area_is_the_outline_area_of_both_views(atlas):
    assert atlas.total_area == pytest.approx(
        atlas.outline_area(View.FRONT) + atlas.outline_area(View.BACK)
    )


def test_the_atlas_is_read_once():
    assert load_atlas() is load_atlas()


def test_a_region_missing_from_the_table_is_reported(tmp_path: Path):
    svg, table = copy_atlas(tmp_path)
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(line for line in lines if "F_KNEE_L" not in line), "utf-8")
    with pytest.raises(AtlasError, match="F_KNEE_L is drawn but missing"):
        read_atlas(svg, table)


def test_an_unknown_wpi_site_in_the_table_is_reported(tmp_path: Path):
    svg, table = copy_atlas(tmp_path)
    table.write_text(table.read_text("utf-8").replace(",jaw_R\n", ",jaws_R\n"), "utf-8")
    with pytest.raises(AtlasError, match="unknown WPI site 'jaws_R'"):
        read_atlas(svg, table)


def test_a_drawing_sized_in_millimetres_still_reads_in_viewbox_units(tmp_path: Path, atlas):
    svg, table = copy_atlas(tmp_path)
    text = svg.read_text("utf-8").replace(
        'width="1000" height="1000"', 'width="200mm" height="200mm"'
    )
    svg.write_text(text, "utf-8")
    resized = read_atlas(svg, table)
    assert resized.area("F_KNEE_R") == pytest.approx(atlas.area("F_KNEE_R"), rel=1e-4)
    assert resized.view_bounds(View.BACK) == pytest.approx(atlas.view_bounds(View.BACK), abs=0.01)


def copy_atlas(folder: Path) -> tuple[Path, Path]:
    svg, table = folder / "atlas.svg", folder / "regions.csv"
    shutil.copy(resource("bodymap", "atlas.svg"), svg)
    shutil.copy(resource("bodymap", "regions.csv"), table)
    return svg, table
