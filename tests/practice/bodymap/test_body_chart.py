"""A body chart refuses bad input in plain words and survives storage unchanged."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.bodymap import View
from practice.bodymap.atlas import Atlas, load_atlas
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
from practice.errors import ValidationError

# Points on and off the body, in atlas units.
CHEST = (250.0, 300.0)  # front view
LOW_BACK = (750.0, 420.0)  # back view
OFF_BODY = (20.0, 20.0)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def errors_of(chart: ChartData, atlas: Atlas) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        chart.validate(atlas)
    return caught.value.errors


def good_chart() -> ChartData:
    return ChartData(
        marks=(
            RegionMark("F_SHOULDER_R", 6, frozenset({Quality.ACHE, Quality.STIFFNESS})),
            RegionMark("B_LOW_BACK_L", 0, frozenset({Quality.NUMBNESS})),
        ),
        symbols=(
            PointSymbol(SymbolKind.TENDER_POINT, View.FRONT, *CHEST, grade=2),
            PointSymbol(SymbolKind.TRIGGER_POINT_ACTIVE, View.BACK, *LOW_BACK, muscle="QL"),
        ),
        arrows=(ReferralArrow(View.BACK, *LOW_BACK, 750.0, 480.0, note="to the sacrum"),),
        strokes=(Stroke(View.FRONT, ((250.0, 300.0), (260.0, 330.0)), StrokeKind.RADIATING),),
        labels=(TextLabel(View.FRONT, *CHEST, "worse after desk work"),),
    )


def test_a_sound_chart_passes_validation(atlas):
    good_chart().validate(atlas)


def test_an_empty_chart_passes_validation(atlas):
    ChartData().validate(atlas)


@pytest.mark.parametrize("intensity", [-1, 11, 5.5, True])
def test_intensity_must_be_a_whole_number_from_0_to_10(atlas, intensity):
    chart = ChartData(marks=(RegionMark("F_KNEE_R", intensity),))
    errors = errors_of(chart, atlas)
    assert errors == {
        "marks[0].intensity": (
            f"Pain intensity must be a whole number from 0 to 10; Right knee has {intensity}."
        )
    }


def test_intensities_0_and_10_are_allowed(atlas):
    ChartData(marks=(RegionMark("F_KNEE_R", 0), RegionMark("F_KNEE_L", 10))).validate(atlas)


def test_an_unknown_region_code_is_refused(atlas):
    errors = errors_of(ChartData(marks=(RegionMark("F_TAIL", 3),)), atlas)
    assert errors == {"marks[0].region": "'F_TAIL' is not a region of the body map."}


def test_a_region_cannot_be_marked_twice(atlas):
    chart = ChartData(marks=(RegionMark("B_CALF_L", 3), RegionMark("B_CALF_L", 5)))
    errors = errors_of(chart, atlas)
    assert errors == {"marks[1].region": "Left calf is marked more than once; keep one mark."}


def test_a_symbol_outside_the_body_outline_is_refused(atlas):
    chart = ChartData(symbols=(PointSymbol(SymbolKind.SPASM, View.FRONT, *OFF_BODY),))
    assert errors_of(chart, atlas) == {"symbols[0]": "The spasm is outside the body outline."}


def test_a_symbol_on_the_other_views_body_is_outside_its_own(atlas):
    chart = ChartData(symbols=(PointSymbol(SymbolKind.ADHESION, View.FRONT, *LOW_BACK),))
    assert errors_of(chart, atlas) == {"symbols[0]": "The adhesion is outside the body outline."}


def test_a_symbol_just_off_the_edge_is_forgiven(atlas):
    x0, y0, x1, _ = atlas.view_bounds(View.FRONT)
    top_of_head = ((x0 + x1) / 2, y0 - 2.0)
    chart = ChartData(symbols=(PointSymbol(SymbolKind.OTHER, View.FRONT, *top_of_head),))
    chart.validate(atlas)


@pytest.mark.parametrize(("start", "end", "where"), [
    (OFF_BODY, CHEST, "starts"),
    (CHEST, OFF_BODY, "ends"),
    (OFF_BODY, OFF_BODY, "starts and ends"),
])  # fmt: skip
def test_a_referral_arrow_must_start_and_end_on_the_body(atlas, start, end, where):
    chart = ChartData(arrows=(ReferralArrow(View.FRONT, *start, *end),))
    assert errors_of(chart, atlas) == {
        "arrows[0]": f"A referral arrow {where} outside the body outline."
    }


@pytest.mark.parametrize("points", [(), ((250.0, 300.0),)])
def test_a_stroke_needs_at_least_two_points(atlas, points):
    chart = ChartData(strokes=(Stroke(View.FRONT, points),))
    assert errors_of(chart, atlas) == {"strokes[0]": "A stroke needs at least two points."}


@pytest.mark.parametrize("grade", [-1, 5])
def test_a_tender_point_grade_must_be_from_0_to_4(atlas, grade):
    chart = ChartData(
        symbols=(PointSymbol(SymbolKind.TENDER_POINT, View.FRONT, *CHEST, grade=grade),)
    )
    assert errors_of(chart, atlas) == {
        "symbols[0].grade": (
            f"A tender point grade must be a whole number from 0 to 4; this one is {grade}."
        )
    }


def test_tender_point_grades_0_to_4_and_none_are_allowed(atlas):
    symbols = tuple(
        PointSymbol(SymbolKind.TENDER_POINT, View.FRONT, *CHEST, grade=grade)
        for grade in (None, 0, 1, 2, 3, 4)
    )
    ChartData(symbols=symbols).validate(atlas)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_text_label_cannot_be_empty(atlas, text):
    chart = ChartData(labels=(TextLabel(View.FRONT, *CHEST, text),))
    assert errors_of(chart, atlas) == {"labels[0].text": "A text label cannot be empty."}


def test_a_text_label_can_have_60_characters_but_not_61(atlas):
    ChartData(labels=(TextLabel(View.FRONT, *CHEST, "x" * 60),)).validate(atlas)
    chart = ChartData(labels=(TextLabel(View.FRONT, *CHEST, "x" * 61),))
    assert errors_of(chart, atlas) == {
        "labels[0].text": "A text label can have at most 60 characters; this one has 61."
    }


def test_a_text_label_outside_the_body_is_refused(atlas):
    chart = ChartData(labels=(TextLabel(View.BACK, *OFF_BODY, "numb"),))
    assert errors_of(chart, atlas) == {"labels[0]": "The label 'numb' is outside the body outline."}


def test_every_problem_is_reported_at_once(atlas):
    chart = ChartData(
        marks=(RegionMark("F_NOSE", 3), RegionMark("F_KNEE_R", 12)),
        strokes=(Stroke(View.BACK, ()),),
        labels=(TextLabel(View.FRONT, *CHEST, ""),),
    )
    assert set(errors_of(chart, atlas)) == {
        "marks[0].region",
        "marks[1].intensity",
        "strokes[0]",
        "labels[0].text",
    }


def test_plain_strings_are_accepted_for_kinds_views_and_qualities():
    mark = RegionMark("F_KNEE_R", 2, frozenset({"ache"}))
    symbol = PointSymbol("spasm", "back", 750.0, 400.0)
    assert mark.qualities == {Quality.ACHE}
    assert symbol.kind is SymbolKind.SPASM and symbol.view is View.BACK


def test_the_stored_form_is_plain_json():
    stored = good_chart().to_json()
    assert json.loads(json.dumps(stored)) == stored
    assert stored["marks"][0] == {
        "region": "F_SHOULDER_R",
        "intensity": 6,
        "qualities": ["ache", "stiffness"],
    }


def test_a_damaged_record_cannot_be_read():
    with pytest.raises(ValidationError, match="damaged"):
        ChartData.from_json({"version": 1, "marks": [{"intensity": 3}]})
    with pytest.raises(ValidationError, match="damaged"):
        ChartData.from_json({"version": 1, "symbols": [{"kind": "wart", "view": "front"}]})


def test_a_record_from_a_newer_fascia_is_refused_with_a_hint():
    with pytest.raises(ValidationError, match="newer version of Fascia"):
        ChartData.from_json({"version": 2})


coordinates = st.floats(allow_nan=False, allow_infinity=False)
views = st.sampled_from(View)
charts = st.builds(
    ChartData,
    marks=st.lists(
        st.builds(
            RegionMark,
            region=st.text(max_size=20),
            intensity=st.integers(-5, 15),
            qualities=st.frozensets(st.sampled_from(Quality)),
        ),
        max_size=5,
    ).map(tuple),
    symbols=st.lists(
        st.builds(
            PointSymbol,
            kind=st.sampled_from(SymbolKind),
            view=views,
            x=coordinates,
            y=coordinates,
            grade=st.none() | st.integers(-2, 6),
            muscle=st.text(max_size=20),
            note=st.text(max_size=40),
        ),
        max_size=5,
    ).map(tuple),
    arrows=st.lists(
        st.builds(
            ReferralArrow, views, coordinates, coordinates, coordinates, coordinates, st.text()
        ),
        max_size=3,
    ).map(tuple),
    strokes=st.lists(
        st.builds(
            Stroke,
            view=views,
            points=st.lists(st.tuples(coordinates, coordinates), max_size=8).map(tuple),
            kind=st.sampled_from(StrokeKind),
        ),
        max_size=3,
    ).map(tuple),
    labels=st.lists(
        st.builds(TextLabel, views, coordinates, coordinates, st.text(max_size=70)), max_size=3
    ).map(tuple),
)


@given(charts)
def test_a_chart_round_trips_exactly_through_its_stored_form(chart):
    assert ChartData.from_json(chart.to_json()) == chart
    assert ChartData.from_json(json.loads(json.dumps(chart.to_json()))) == chart


def test_a_charts_intensity_for_an_unmarked_region_is_0():
    chart = ChartData(marks=(RegionMark("F_KNEE_R", 7),))
    assert chart.intensity("F_KNEE_R") == 7
    assert chart.intensity("F_KNEE_L") == 0
