"""The trigger point catalogue agrees with the atlas; charts suggest the muscles behind them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from practice.bodymap import Side
from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import ChartData, RegionMark
from practice.paths import resource
from practice.plans.trigger_points import (
    CatalogueError,
    MusclePattern,
    load_catalogue,
    read_catalogue,
    suggest_muscles,
)

CATALOGUE = load_catalogue()
MUSCLES = CATALOGUE.muscles
REQUIRED = (
    "upper_trapezius", "levator_scapulae", "scm_sternal", "scm_clavicular", "suboccipitals",
    "scalenes", "infraspinatus", "quadratus_lumborum", "gluteus_medius", "piriformis",
    "erector_spinae", "multifidi", "temporalis", "rhomboids", "splenius_capitis", "masseter",
    "supraspinatus", "pectoralis_minor", "gluteus_minimus", "iliopsoas",
    "tensor_fasciae_latae", "gastrocnemius", "soleus",
)  # fmt: skip


def chart(*regions: str, intensity: int = 6) -> ChartData:
    return ChartData(marks=tuple(RegionMark(r, intensity) for r in dict.fromkeys(regions)))


def ranked(data: ChartData, limit: int = 5) -> list[str]:
    return [s.muscle.key for s in suggest_muscles(data, limit)]


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_covers_every_muscle_the_issue_asks_for_on_both_sides() -> None:
    for code in REQUIRED:
        assert f"{code}_R" in CATALOGUE and f"{code}_L" in CATALOGUE, code
    assert len(MUSCLES) >= 2 * len(REQUIRED)


@pytest.mark.parametrize("muscle", MUSCLES, ids=lambda m: m.key)
def test_every_trigger_point_lies_inside_its_region(muscle: MusclePattern) -> None:
    atlas = load_atlas()
    for point in muscle.trigger_points:
        found = atlas.region_at(point.view, point.x, point.y)
        assert found is not None and found.code == point.region, point.label
        assert atlas.region(point.region).view == point.view


@pytest.mark.parametrize("muscle", MUSCLES, ids=lambda m: m.key)
def test_every_referral_zone_is_an_atlas_region_and_has_symptoms(muscle: MusclePattern) -> None:
    atlas = load_atlas()
    assert muscle.primary
    assert all(code in atlas for code in muscle.primary + muscle.spillover)
    assert not set(muscle.primary) & set(muscle.spillover)
    assert muscle.symptoms


def test_left_side_is_the_mirror_of_the_right() -> None:
    right = CATALOGUE.muscle("upper_trapezius_R")
    left = CATALOGUE.muscle("upper_trapezius_L")
    assert left.side is Side.LEFT and left.label == "Left upper trapezius"
    assert left.primary == ("B_NECK_L", "F_HEAD_TEMPLE_L", "F_JAW_L")
    pairs = zip(right.trigger_points, left.trigger_points, strict=True)
    assert [round(p.x + q.x) for p, q in pairs] == [1500, 1500]  # mirrored about x = 750
    multifidi = CATALOGUE.muscle("multifidi_L")
    assert "B_SACRUM" in multifidi.primary  # midline regions stay as they are


def test_no_two_patterns_share_a_primary_zone() -> None:
    """The ranking rule puts a muscle first on its own pattern only if no other has the same."""
    zones = [frozenset(m.primary) for m in MUSCLES]
    assert len(set(zones)) == len(zones)


def test_a_trigger_point_outside_its_region_is_refused(tmp_path: Path) -> None:
    data = json.loads(resource("trigger_points.json").read_text(encoding="utf-8"))
    data["muscles"][0]["trigger_points"][0].update(x=250, y=900)  # the right foot, front view
    path = tmp_path / "trigger_points.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"upper_trapezius_R trigger point .* lies in"):
        read_catalogue(path, load_atlas())


def test_an_unknown_region_is_refused(tmp_path: Path) -> None:
    data = json.loads(resource("trigger_points.json").read_text(encoding="utf-8"))
    data["muscles"][0]["primary"].append("B_TAIL_R")
    path = tmp_path / "trigger_points.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError, match="unknown region B_TAIL_R"):
        read_catalogue(path, load_atlas())


# --- suggestions ------------------------------------------------------------------------------


@pytest.mark.parametrize("muscle", MUSCLES, ids=lambda m: m.key)
def test_a_muscles_own_referral_pattern_ranks_it_first(muscle: MusclePattern) -> None:
    suggestions = suggest_muscles(chart(*muscle.primary))
    assert suggestions[0].muscle == muscle
    assert suggestions[0].score == pytest.approx(1.0)
    assert all(s.score < 1.0 for s in suggestions[1:])
    assert set(suggestions[0].explained_regions) == set(muscle.primary)
    assert suggestions[0].unexplained_regions == ()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("upper_trapezius_R", "levator_scapulae_R"),
        ("upper_trapezius_R", "upper_trapezius_L"),
        ("temporalis_R", "suboccipitals_L"),
        ("scm_sternal_R", "scalenes_R"),
        ("quadratus_lumborum_R", "piriformis_L"),
        ("gluteus_minimus_R", "soleus_R"),
        ("infraspinatus_R", "rhomboids_L"),
        ("erector_spinae_L", "gastrocnemius_L"),
        ("masseter_R", "gluteus_medius_R"),
    ],
)
def test_two_muscles_patterns_together_rank_both_in_the_top_three(first: str, second: str) -> None:
    a, b = CATALOGUE.muscle(first), CATALOGUE.muscle(second)
    assert {first, second} <= set(ranked(chart(*a.primary, *b.primary), limit=3))


def test_any_two_patterns_rank_both_in_the_top_three_unless_a_third_fits_their_union() -> None:
    """Over every pair with separate primary zones, both muscles make the top three, except
    when a third muscle's whole primary zone lies inside the union of theirs (so it explains
    the chart as well as the pair). Then both are still among the five suggestions; that
    happens for under 1% of the pairs (splenius capitis with temporalis, which together draw
    the sternal SCM's pattern, is one)."""
    pairs = exceptions = 0
    for a, b in itertools.combinations(MUSCLES, 2):
        if set(a.primary) & set(b.primary):
            continue
        pairs += 1
        top = ranked(chart(*a.primary, *b.primary), limit=5)
        if {a.key, b.key} <= set(top[:3]):
            continue
        exceptions += 1
        union = set(a.primary) | set(b.primary)
        assert any(set(m.primary) <= union for m in MUSCLES if m.key not in (a.key, b.key))
        assert {a.key, b.key} <= set(top), (a.key, b.key, top)
    assert pairs > 1500
    assert exceptions < pairs / 100


def test_an_empty_chart_suggests_nothing() -> None:
    assert suggest_muscles(ChartData()) == []
    assert suggest_muscles(chart("B_NECK_R", intensity=0)) == []  # drawn, not painful


def test_a_muscle_with_no_painful_primary_region_is_never_suggested() -> None:
    """The right calf is only spillover for piriformis: piriformis is not suggested for it."""
    assert "piriformis_R" not in ranked(chart("B_CALF_R"), limit=60)


def test_intensity_decides_between_overlapping_patterns() -> None:
    def marks(neck: int, face: int) -> ChartData:
        return ChartData(
            marks=(
                RegionMark("B_NECK_R", neck),
                RegionMark("F_HEAD_TEMPLE_R", 8),
                RegionMark("F_JAW_R", 8),
                RegionMark("F_FACE_R", face),
            )
        )

    assert ranked(marks(neck=2, face=8))[0] == "temporalis_R"
    assert ranked(marks(neck=9, face=1))[0] == "upper_trapezius_R"


def test_a_suggestion_says_why_in_region_names() -> None:
    data = chart("B_NECK_R", "F_HEAD_TEMPLE_R", "F_JAW_R", "F_KNEE_L")
    first, second = suggest_muscles(data, limit=2)
    assert first.muscle.key == "upper_trapezius_R"
    assert first.explained_regions == ("B_NECK_R", "F_HEAD_TEMPLE_R", "F_JAW_R")
    assert first.unexplained_regions == ("F_KNEE_L",)
    assert "right temple" in first.why and "does not explain left knee" in first.why
    assert second.muscle.key == "vastus_medialis_L"
    assert "none fully explains left knee" in second.why


def test_missing_primary_regions_lower_the_score_and_are_named() -> None:
    [suggestion] = suggest_muscles(chart("F_JAW_R"), limit=1)
    assert suggestion.muscle.key == "masseter_R"
    assert suggestion.missing_regions == ("F_FACE_R",)
    assert suggestion.fit == pytest.approx(1 / 2)
    assert suggestion.score == pytest.approx(2 / 3)
    assert "right side of the face, not marked" in suggestion.why


def test_limit_caps_the_number_of_suggestions() -> None:
    data = chart("B_NECK_R", "F_HEAD_TEMPLE_R", "F_JAW_R", "B_LOW_BACK_R")
    assert len(suggest_muscles(data, limit=2)) == 2
    assert suggest_muscles(data, limit=0) == []
