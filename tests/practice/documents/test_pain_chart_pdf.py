"""The pain chart and chart comparison printouts, read back from the PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str

from practice.bodymap import style
from practice.bodymap.atlas import load_atlas
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
from practice.bodymap.metrics import summarize
from practice.bodymap.service import BodyChart
from practice.clients.records import Client, PracticeProfile
from practice.documents.pain_chart import chart_comparison_pdf, pain_chart_pdf

Pages = Callable[[bytes], list[str]]


@pytest.fixture
def client() -> Client:
    return Client(id=7, given_name="Chloé", family_name="O'Brien", date_of_birth=date(1985, 3, 12))


def _body_chart(data: ChartData, day: date = date(2025, 3, 5), note: str = "") -> BodyChart:
    return BodyChart(
        id=1,
        client_id=7,
        visit_id=None,
        charted_on=day,
        source="chart",
        note=note,
        data=data,
        metrics=summarize(data, load_atlas()),
        updated_at=datetime(2025, 3, 5, tzinfo=UTC),
    )


def _sciatica() -> ChartData:
    return ChartData(
        marks=(
            RegionMark("B_LOW_BACK_L", 5, frozenset({Quality.ACHE})),
            RegionMark("B_BUTTOCK_L", 7, frozenset({Quality.SHARP, Quality.BURNING})),
            RegionMark("B_THIGH_L", 5, frozenset({Quality.TINGLING})),
            RegionMark("B_CALF_L", 4, frozenset({Quality.NUMBNESS})),
        ),
        symbols=(
            PointSymbol(SymbolKind.TRIGGER_POINT_ACTIVE, "back", 705, 515, muscle="Piriformis"),
            PointSymbol(SymbolKind.TENDER_POINT, "back", 715, 425, grade=3, muscle="QL"),
        ),
        arrows=(ReferralArrow("back", 705, 515, 702, 620),),
        strokes=(Stroke("back", ((705, 540), (702, 620), (700, 730)), StrokeKind.RADIATING),),
        labels=(TextLabel("back", 700, 780, "<b>x & y</b>"),),
    )


def _widespread() -> ChartData:
    """A fibromyalgia baseline: twenty painful regions and six graded tender points."""
    codes = [
        f"{part}_{side}"
        for part in (
            "B_NECK",
            "B_TRAPEZIUS",
            "B_SHOULDER",
            "B_UPPER_BACK",
            "B_LOW_BACK",
            "B_BUTTOCK",
            "F_CHEST",
            "F_UPPER_ARM",
            "F_THIGH",
            "F_KNEE",
        )
        for side in "RL"
    ]
    marks = tuple(
        RegionMark(code, 3 + i % 5, frozenset({Quality.ACHE, Quality.BURNING}))
        for i, code in enumerate(codes)
    )
    points = [(770, 140), (730, 140), (785, 220), (715, 220), (805, 510), (695, 510)]
    symbols = tuple(
        PointSymbol(SymbolKind.TENDER_POINT, "back", x, y, grade=2, muscle="Suboccipital insertion")
        for x, y in points
    )
    return ChartData(marks=marks, symbols=symbols)


def _text(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def _page(data: bytes):  # type: ignore[no-untyped-def]
    return PdfReader(BytesIO(data)).pages[0]


def _fill_operator(hex_colour: str) -> bytes:
    """How ReportLab writes a fill colour into the page: 'r g b rg'."""
    return (fp_str(*colors.HexColor(hex_colour).rgb()) + " rg").encode()


# --- one chart ------------------------------------------------------------------------------


def test_pain_chart_names_the_client_regions_and_numbers_on_one_page(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    chart = _body_chart(_sciatica(), note="Worse after driving")
    pages = pdf_pages(pain_chart_pdf(profile, client, chart))
    text = _text(pages)
    assert len(pages) == 1
    assert "Pain chart" in text
    assert "Page 1 of 1" in text
    assert text.count("Chloé O'Brien · DOB Mar 12, 1985") == 2  # under the title and in the footer
    for name in ("Left buttock", "Left low back", "Left thigh (back)", "Left calf"):
        assert name in text
    assert f"{chart.metrics.extent_percent:.1f} % of the body" in text
    assert "4 / 19" in text  # WPI: lower back, left hip, left upper and lower leg
    assert "7 / 10" in text  # highest
    assert "5.2 / 10" in text  # mean of 5, 7, 5, 4
    assert "sharp, burning" in text
    assert "Piriformis" in text and "3 / 4" in text
    assert "Referred pain" in text and "Left buttock to Left thigh (back)" in text
    assert "Radiating pain" in text
    assert "Worse after driving" in text


def test_a_korean_name_prints_in_the_title_and_footer(
    profile: PracticeProfile, pdf_pages: Pages
) -> None:
    client = Client(id=8, given_name="김민지", date_of_birth=date(1990, 7, 1))
    text = _text(pdf_pages(pain_chart_pdf(profile, client, _body_chart(_sciatica()))))
    assert text.count("김민지") == 2


def test_a_text_label_prints_literally_on_the_map_and_in_the_findings(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    text = _text(pdf_pages(pain_chart_pdf(profile, client, _body_chart(_sciatica()))))
    assert text.count("<b>x & y</b>") == 2


def test_a_chart_with_no_marks_still_prints_and_says_so(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    pages = pdf_pages(pain_chart_pdf(profile, client, _body_chart(ChartData())))
    text = _text(pages)
    assert len(pages) == 1
    assert "No pain marked on this chart." in text
    assert "0.0 % of the body" in text and "0 / 19" in text
    assert "No trigger points, tender points or other findings marked." in text
    assert "No note" in text


def test_the_map_is_vector_paths_filled_with_the_intensity_colours(
    profile: PracticeProfile, client: Client
) -> None:
    page = _page(pain_chart_pdf(profile, client, _body_chart(_sciatica())))
    xobjects = page["/Resources"].get("/XObject") or {}
    assert all(xobj.get_object()["/Subtype"] != "/Image" for xobj in xobjects.values())
    content = page.get_contents().get_data()
    regions = len(load_atlas().regions)
    assert len(re.findall(rb"\bB\*?\n", content)) >= regions  # each region filled and edged
    # The key shows every colour once; the marked regions add theirs.
    blank = _page(pain_chart_pdf(profile, client, _body_chart(ChartData()))).get_contents()
    for intensity in (4, 5, 7):
        fill = _fill_operator(style.intensity_colour(intensity) or "")
        assert content.count(fill) > blank.get_data().count(fill)


def test_a_chart_with_twenty_regions_still_fits_one_page_on_letter_and_a4(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    chart = _body_chart(_widespread(), note="Flare after a busy week. " * 6)
    for locale in ("en_US", "en_GB"):
        pages = pdf_pages(pain_chart_pdf(replace(profile, locale=locale), client, chart))
        assert len(pages) == 1, locale
        assert "Left knee" in pages[0]


# --- two charts -----------------------------------------------------------------------------


def test_comparison_lists_added_resolved_and_improved_regions_by_name(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    before = _body_chart(
        ChartData(marks=(RegionMark("B_LOW_BACK_R", 7), RegionMark("B_BUTTOCK_R", 4))),
        date(2025, 1, 8),
    )
    after = _body_chart(
        ChartData(marks=(RegionMark("B_LOW_BACK_R", 3), RegionMark("B_CALF_L", 4))),
        date(2025, 3, 5),
    )
    pages = pdf_pages(chart_comparison_pdf(profile, client, before, after))
    text = _text(pages)
    assert len(pages) == 1
    assert "Page 1 of 1" in text
    assert "Chloé O'Brien" in text
    assert "Before Jan 8, 2025" in text and "After Mar 5, 2025" in text
    assert "56 days apart" in text
    assert "Added Left calf: 4" in text
    assert "Resolved Right buttock: was 4" in text
    assert "Improved Right low back: 7 to 3" in text
    assert "Worsened None" in text
    assert "0.33 by count" in text  # one region of three painful in both


def test_comparison_draws_the_change_in_the_diverging_colours(
    profile: PracticeProfile, client: Client
) -> None:
    before = _body_chart(ChartData(marks=(RegionMark("B_LOW_BACK_R", 7),)))
    after = _body_chart(ChartData(marks=(RegionMark("B_LOW_BACK_R", 3),)), date(2025, 4, 1))
    content = _page(chart_comparison_pdf(profile, client, before, after)).get_contents().get_data()
    # Each colour of the scale is in the key once; the change map adds the region's.
    assert content.count(_fill_operator(style.change_colour(-4))) == 2  # better
    assert content.count(_fill_operator(style.change_colour(4))) == 1  # nothing got worse


def test_comparison_of_widespread_charts_fits_one_page(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    before = _body_chart(_widespread(), date(2025, 1, 8))
    eased = ChartData(
        marks=tuple(replace(m, intensity=m.intensity - 2) for m in _widespread().marks[:14])
    )
    after = _body_chart(eased, date(2025, 3, 5))
    for locale in ("en_US", "en_GB"):
        pages = pdf_pages(
            chart_comparison_pdf(replace(profile, locale=locale), client, before, after)
        )
        assert len(pages) == 1, locale
        assert "Resolved" in pages[0]


def test_comparison_of_two_empty_charts_says_there_is_no_pain(
    profile: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    empty = _body_chart(ChartData())
    text = _text(pdf_pages(chart_comparison_pdf(profile, client, empty, empty)))
    assert "No pain marked on either chart." in text
