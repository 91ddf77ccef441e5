"""The treatment summary a therapist sends the referring physician: one or two pages.

Page one answers "what was done and did it help" at a glance: who and why, the visit count,
the outcome measures with their change and MCID verdict, the trend charts and the body chart
at the start and now. Then the techniques by region, goals, reactions, the assessment and
recommendations, and the signature. Everything comes from a `SummaryDraft`; no database.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from practice.bodymap.atlas import load_atlas
from practice.clients.records import Physician
from practice.documents.bodymap_drawing import BodyMapFlowable
from practice.documents.charts import band_label, legend_sample, trend_drawing
from practice.documents.fonts import BOLD, rich
from practice.documents.layout import (
    GRID,
    MARGIN,
    MUTED,
    RULE,
    Cell,
    build_document,
    format_date,
    muted,
    page_size,
    para,
    plain_table,
    styles,
)
from practice.documents.lines import TextBlock
from practice.summaries import narrative
from practice.summaries.records import ChartSnapshot, MeasureLine, SummaryDraft, Trend

TO_NOBODY = "To the referring physician"
NO_PHYSICIAN = "No referring physician on file"
NO_MEASURES = "No outcome measures were recorded in this period."
NO_TECHNIQUES = "No treatment recorded in this period."
NO_CHARTS = "No body charts in this period."
NO_TRENDS = "Too few scores to chart yet: a trend needs two or more."
NO_GOALS = "No treatment goals on file."
NOT_WRITTEN = "Not written"
LONG_TEXT = 600  # characters of a referral reason that still fit its column

_GUTTER = 2 * GRID
_CHART_HEIGHT = 64.0

GOOD = colors.Color(0.10, 0.42, 0.22)
BAD = colors.Color(0.66, 0.12, 0.12)


@dataclass(frozen=True, slots=True)
class _Styles:
    cell: ParagraphStyle
    cell_muted: ParagraphStyle
    cell_bold: ParagraphStyle
    number: ParagraphStyle
    number_bold: ParagraphStyle
    head: ParagraphStyle
    head_number: ParagraphStyle
    figure: ParagraphStyle
    figure_from: ParagraphStyle
    figure_label: ParagraphStyle
    caption: ParagraphStyle
    section: ParagraphStyle


@functools.cache
def _styles() -> _Styles:
    s = styles()
    cell = ParagraphStyle("summary_cell", parent=s.body, fontSize=8.5, leading=10.5)
    number = ParagraphStyle("summary_number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("summary_head", parent=cell, textColor=MUTED, fontSize=7.5)
    return _Styles(
        cell=cell,
        cell_muted=ParagraphStyle("summary_cell_muted", parent=cell, textColor=MUTED),
        cell_bold=ParagraphStyle("summary_cell_bold", parent=cell, fontName=BOLD),
        number=number,
        number_bold=ParagraphStyle("summary_number_bold", parent=number, fontName=BOLD),
        head=head,
        head_number=ParagraphStyle("summary_head_number", parent=head, alignment=TA_RIGHT),
        figure=ParagraphStyle(
            "summary_figure", parent=s.body, fontName=BOLD, fontSize=15, leading=18
        ),
        figure_from=ParagraphStyle(
            "summary_figure_from", parent=s.body, fontSize=12, leading=18, textColor=MUTED
        ),
        figure_label=ParagraphStyle(
            "summary_figure_label", parent=s.small, fontSize=7.5, leading=9.5
        ),
        caption=ParagraphStyle("summary_caption", parent=s.small, fontSize=7.5, leading=9.5),
        section=ParagraphStyle(
            "summary_section", parent=s.body, fontName=BOLD, fontSize=10.5, leading=14
        ),
    )


def physician_summary_pdf(draft: SummaryDraft) -> bytes:
    profile = draft.profile
    locale = profile.locale
    width = page_size(locale)[0] - 2 * MARGIN
    story: list[Flowable] = [
        _addressed(draft, width, locale),
        *_long_referral(draft),
        *_at_a_glance(draft, width),
        *_outcomes(draft, locale),
        _progress(draft, width, locale),
        *_treatment(draft, width, locale),
        *_goals(draft),
        *_narrative("Adverse events or reactions", draft.adverse_events, "Nothing recorded"),
        *_narrative("Assessment", draft.assessment, NOT_WRITTEN),
        *_narrative("Recommendations and plan", draft.recommendations, NOT_WRITTEN),
        _signature(draft, locale),
    ]
    return build_document(
        None,
        profile,
        draft.title,
        story,
        client_line=_identity(draft, locale),
        doc_date=draft.prepared_on,
        subtitle=_subtitle(draft, locale),
    )


# --- header ---------------------------------------------------------------------------------


def _identity(draft: SummaryDraft, locale: str) -> str:
    if draft.date_of_birth is None:
        return draft.client_name
    return f"{draft.client_name} · DOB {format_date(draft.date_of_birth, locale)}"


def _subtitle(draft: SummaryDraft, locale: str) -> str:
    return f"{_identity(draft, locale)} · {_period(draft, locale)}"


def _period(draft: SummaryDraft, locale: str) -> str:
    if draft.period_start is None or draft.period_end is None:
        return "No visits yet"
    start, end = format_date(draft.period_start, locale), format_date(draft.period_end, locale)
    return f"Period of care {start} to {end}"


def _addressed(draft: SummaryDraft, width: float, locale: str) -> Table:
    """To whom, about whom, and why: three columns."""
    st = _styles()
    to = [_label("To"), *_physician(draft.physician)]
    dob = format_date(draft.date_of_birth, locale) if draft.date_of_birth else "not on file"
    about: list[Flowable] = [
        _label("Client"),
        _bold(draft.client_name),
        Paragraph(f"Date of birth {rich(dob)}", st.cell),
    ]
    why: list[Flowable] = [_label("Referral")]
    reason = draft.referral_reason or "No referral reason on file"
    if len(reason) > LONG_TEXT:  # a table row cannot run across pages: it prints below
        reason = "See the referral below."
    referred = (
        f" {muted('(referred ' + rich(format_date(draft.referral_date, locale)) + ')')}"
        if draft.referral_date
        else ""
    )
    why.append(
        Paragraph(rich(reason) + referred, st.cell if draft.referral_reason else st.cell_muted)
    )
    if draft.plan_frequency:
        why.append(Paragraph(f"Plan: {rich(draft.plan_frequency)}", st.cell_muted))
    why += [Spacer(0, GRID / 2), _label("Diagnoses (ICD-10-CM)")]
    if draft.diagnoses:
        why += [
            Paragraph(f"<b>{rich(d.code)}</b>  {rich(d.description)}", st.cell)
            for d in draft.diagnoses
        ]
    else:
        why.append(Paragraph("No diagnosis on file", st.cell_muted))
    widths = [0.34 * width, 0.24 * width, 0.42 * width]
    return plain_table(
        [[to, about, why]],
        widths,
        [("RIGHTPADDING", (0, 0), (-2, 0), _GUTTER)],
        spaceBefore=GRID,
    )


def _long_referral(draft: SummaryDraft) -> list[Flowable]:
    if len(draft.referral_reason) <= LONG_TEXT:
        return []
    return [_section("Referral"), para(draft.referral_reason, styles().body)]


def _physician(physician: Physician | None) -> list[Flowable]:
    st = _styles()
    if physician is None:
        return [_bold(TO_NOBODY), TextBlock(NO_PHYSICIAN, st.cell_muted)]
    lines: list[Flowable] = [_bold(physician.name)]
    for text in (physician.specialty, physician.clinic, physician.address):
        if text.strip():
            lines.append(TextBlock(text, st.cell))
    contact = " · ".join(
        f"{label} {value.strip()}"
        for label, value in (("Tel.", physician.phone), ("Fax", physician.fax))
        if value.strip()
    )
    if contact:
        lines.append(TextBlock(contact, st.cell_muted))
    return lines


# --- page one -------------------------------------------------------------------------------


def _at_a_glance(draft: SummaryDraft, width: float) -> list[Flowable]:
    """Big figures: visits attended and missed, and the change of the headline measures."""
    st = _styles()
    done, missed = len(draft.completed_visits), len(draft.missed_visits)
    planned = f"of {draft.visits_planned} planned" if draft.visits_planned else "attended"
    cells: list[Cell] = [
        [
            Paragraph(str(done), st.figure),
            Paragraph(f"visit{'s' * (done != 1)} {planned}", st.figure_label),
        ],
        [
            Paragraph(str(missed), st.figure),
            Paragraph("missed (no-show or cancelled)", st.figure_label),
        ],
    ]
    for line in [m for m in draft.measures if not m.single][:2]:
        unit = "%" if line.unit == "%" else ""
        first = narrative.number(line.baseline, unit)
        latest = narrative.number(line.latest, unit)
        change = plain_table(
            [
                [
                    TextBlock(first, st.figure_from),
                    _Arrow(),
                    TextBlock(latest, st.figure),
                ]
            ],
            [_text_width(first, st.figure_from) + 2, 16, "*"],
            [("VALIGN", (0, 0), (-1, -1), "BOTTOM")],
        )
        cells.append([change, TextBlock(_short_name(line), st.figure_label)])
    column = width / len(cells)
    table = plain_table(
        [cells],
        [column] * len(cells),
        [
            ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), GRID * 0.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), GRID * 0.6),
            ("RIGHTPADDING", (0, 0), (-2, -1), GRID),
        ],
        spaceBefore=GRID * 1.25,
    )
    return [table]


def _text_width(text: str, style: ParagraphStyle) -> float:
    return stringWidth(text, style.fontName, style.fontSize)


class _Arrow(Flowable):
    """A right arrow between a first and a latest figure (the font has no arrow glyph)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 16, 14

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(MUTED)
        canv.setFillColor(MUTED)
        canv.setLineWidth(1)
        canv.line(3, 6, 11, 6)
        path = canv.beginPath()
        path.moveTo(13, 6)
        path.lineTo(9, 8.5)
        path.lineTo(9, 3.5)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)


def _short_name(line: MeasureLine) -> str:
    words = {"pain_before": "Pain before treatment, NRS /10", "psfs": "Function, PSFS mean /10"}
    return words.get(line.code, line.name)


def _outcomes(draft: SummaryDraft, locale: str) -> list[Flowable]:
    block: list[Flowable] = [_section("Outcome measures: first score to latest")]
    if len(draft.completed_visits) == 1:
        block.append(_muted(narrative.ONE_VISIT))
    if draft.measures:
        block.append(_measure_table(draft.measures, locale))
    else:
        block.append(_muted(NO_MEASURES))
    return block


def _measure_table(lines: Sequence[MeasureLine], locale: str) -> Table:
    st = _styles()
    header: list[Cell] = [
        Paragraph("Measure", st.head),
        Paragraph("Scores", st.head_number),
        Paragraph("First", st.head_number),
        Paragraph("Latest", st.head_number),
        Paragraph("Change", st.head_number),
        Paragraph("Meaningful?", st.head),
        Paragraph("Threshold (MCID)", st.head),
    ]
    rows: list[list[Cell]] = [header]
    for line in lines:
        unit = "%" if line.unit == "%" else ""
        verdict = rich(narrative.verdict_short(line))
        colour = _verdict_colour(line)
        if colour is not None:
            verdict = f'<font color="{_hex(colour)}"><b>{verdict}</b></font>'
        rows.append(
            [
                TextBlock(line.name, st.cell),
                Paragraph(str(line.scores), st.number),
                TextBlock(narrative.number(line.baseline, unit), st.number),
                TextBlock(narrative.number(line.latest, unit), st.number_bold),
                TextBlock(narrative.change_text(line) or "–", st.number_bold),
                Paragraph(verdict, st.cell),
                TextBlock(line.threshold or "none published", st.cell_muted),
            ]
        )
    return plain_table(
        rows,
        ["*", 11 * mm, 10 * mm, 11 * mm, 29 * mm, 27 * mm, 44 * mm],
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-2, -1), GRID * 0.75),
        ],
        repeatRows=1,
    )


def _verdict_colour(line: MeasureLine) -> colors.Color | None:
    if line.single or not line.meaningful:
        return None
    return GOOD if line.direction == "improved" else BAD


def _hex(colour: colors.Color) -> str:
    return colour.hexval().replace("0x", "#")


def _progress(draft: SummaryDraft, width: float, locale: str) -> Flowable:
    """Trend charts stacked on the left, the body chart at the start and now on the right."""
    column = (width - _GUTTER) / 2
    left = [_section("Trends", first=True), *_trends(draft.trends, column, locale)]
    right = [_section("Pain chart: start and now", first=True), *_maps(draft, column, locale)]
    return plain_table(
        [[left, right]],
        [column + _GUTTER, column],
        [("RIGHTPADDING", (0, 0), (0, 0), _GUTTER)],
        spaceBefore=GRID * 1.75,
    )


def _trends(trends: Sequence[Trend], width: float, locale: str) -> list[Flowable]:
    st = _styles()
    if not trends:
        return [_muted(NO_TRENDS)]
    block: list[Flowable] = []
    for trend in trends:
        block.append(Paragraph(f"<b>{rich(trend.title)}</b>", st.cell))
        block.append(trend_drawing(trend, width, _CHART_HEIGHT, locale))
        if len(trend.series) > 1:
            block.append(_legend(trend))
        block.append(Spacer(0, GRID / 2))
    if any(band_label(t) for t in trends):
        block.append(
            Paragraph(
                "Grey band: within the MCID of the first score, not yet a meaningful change.",
                st.caption,
            )
        )
    return block


def _legend(trend: Trend) -> Table:
    st = _styles()
    row: list[Cell] = []
    widths: list[float | str] = []
    for index, series in enumerate(trend.series):
        row += [legend_sample(index), TextBlock(series.name, st.caption)]
        widths += [16, _text_width(series.name, st.caption) + GRID]
    return plain_table([row], widths, [("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


def _maps(draft: SummaryDraft, width: float, locale: str) -> list[Flowable]:
    st = _styles()
    first, latest = draft.first_chart, draft.latest_chart
    if first is None:
        return [_muted(NO_CHARTS)]
    atlas = load_atlas()
    half = (width - GRID) / 2
    panels = [("Start", first)] + ([("Now", latest)] if latest is not None else [])
    cells: list[Cell] = [
        [
            Paragraph(
                f"<b>{rich(title)}</b>  {muted(rich(format_date(chart.charted_on, locale)))}",
                st.cell,
            ),
            BodyMapFlowable(atlas, chart.data, half),
        ]
        for title, chart in panels
    ]
    block: list[Flowable] = [
        plain_table([cells], [half + GRID, half], [("RIGHTPADDING", (0, 0), (0, 0), GRID)])
    ]
    if latest is None:
        block.append(_muted("Only one body chart so far: no change to show."))
    block.append(Spacer(0, GRID / 2))
    block.append(_chart_table(first, latest))
    if draft.chart_count > 2:
        block.append(Paragraph(f"{draft.chart_count} body charts in this period.", st.caption))
    return block


def _chart_table(first: ChartSnapshot, latest: ChartSnapshot | None) -> Table:
    st = _styles()
    rows: list[tuple[str, float, float | None, bool]] = [
        ("Pain extent (% of body)", first.extent_percent, latest and latest.extent_percent, True),
        ("Painful regions", first.region_count, latest and latest.region_count, False),
        ("Worst pain (0-10)", first.max_intensity, latest and latest.max_intensity, False),
        ("Widespread Pain Index (of 19)", first.wpi, latest and latest.wpi, False),
    ]
    header: list[Cell] = [
        "",
        Paragraph("Start", st.head_number),
        Paragraph("Now", st.head_number),
        Paragraph("Change", st.head_number),
    ]
    body: list[list[Cell]] = [
        [
            TextBlock(name, st.cell_muted),
            TextBlock(narrative.number(start), st.number),
            TextBlock(narrative.number(now) if now is not None else "–", st.number_bold),
            TextBlock(narrative.signed(now - start) if now is not None else "–", st.number),
        ]
        for name, start, now, _decimals in rows
    ]
    return plain_table(
        [header, *body],
        ["*", 13 * mm, 13 * mm, 14 * mm],
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )


# --- page two -------------------------------------------------------------------------------


def _treatment(draft: SummaryDraft, width: float, locale: str) -> list[Flowable]:
    st = _styles()
    head = _section("Treatment given")
    done = draft.completed_visits
    if not draft.visits:
        return [head, _muted("No visits in this period yet.")]
    days = narrative.visit_days([v.day for v in done])
    lines: list[Flowable] = [
        Paragraph(
            f"<b>{len(done)} visit{'s' * (len(done) != 1)}</b>"
            + (f" (plan: {rich(draft.plan_frequency)})" if draft.plan_frequency else "")
            + f": {rich(days)}",
            st.cell,
        )
    ]
    missed = draft.missed_visits
    if missed:
        listed = "; ".join(f"{v.status.label} {format_date(v.day, locale)}" for v in missed)
        lines.append(Paragraph(f"<b>{len(missed)} missed</b>: {rich(listed)}", st.cell))
    else:
        lines.append(Paragraph("No missed visits.", st.cell_muted))
    lines.append(Spacer(0, GRID / 2))
    if not draft.techniques:
        lines.append(_muted(NO_TECHNIQUES))
        return [head, *lines]
    header: list[Cell] = [
        Paragraph("Technique", st.head),
        Paragraph("Regions", st.head),
        Paragraph("Pressure", st.head),
        Paragraph("Visits", st.head_number),
        Paragraph("Minutes", st.head_number),
    ]
    rows: list[list[Cell]] = [header]
    for t in draft.techniques:
        rows.append(
            [
                TextBlock(t.name, st.cell),
                TextBlock("; ".join(t.regions) or "not recorded", st.cell),
                TextBlock(t.pressure, st.cell),
                Paragraph(str(t.visits), st.number),
                Paragraph(str(t.minutes), st.number_bold),
            ]
        )
    total = sum(t.minutes for t in draft.techniques)
    rows.append(
        [Paragraph("Total", st.cell_bold), "", "", "", Paragraph(str(total), st.number_bold)]
    )
    table = plain_table(
        rows,
        [52 * mm, "*", 28 * mm, 13 * mm, 15 * mm],
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -3), 0.25, RULE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-2, -1), GRID),
        ],
        repeatRows=1,
    )
    return [head, *lines, table]


def _goals(draft: SummaryDraft) -> list[Flowable]:
    st = _styles()
    head = _section("Goals")
    if not draft.goals:
        return [head, _muted(NO_GOALS)]
    rows: list[list[Cell]] = [
        [
            Paragraph("Goal", st.head),
            Paragraph("Latest", st.head_number),
            Paragraph("Status", st.head),
        ]
    ]
    for goal in draft.goals:
        latest = narrative.number(goal.latest) if goal.latest is not None else "–"
        rows.append(
            [
                TextBlock(goal.text, st.cell),
                TextBlock(latest, st.number),
                Paragraph(
                    f"<b>{rich(goal.status)}</b> {muted('(' + rich(goal.source) + ')')}", st.cell
                ),
            ]
        )
    return [
        head,
        plain_table(
            rows,
            ["*", 16 * mm, 52 * mm],
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-2, -1), GRID),
            ],
        ),
    ]


def _narrative(title: str, text: str, empty: str) -> list[Flowable]:
    return [_section(title), para(text, styles().body, empty=empty)]


def _signature(draft: SummaryDraft, locale: str) -> Flowable:
    profile = draft.profile
    st = _styles()
    name = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    registration = " · ".join(
        f"{label} {value.strip()}"
        for label, value in (
            ("Registration no.", profile.registration_number),
            ("NPI", profile.npi),
        )
        if value.strip()
    )
    block: list[Flowable] = [
        Spacer(0, 3 * GRID),
        plain_table(
            [["", Paragraph(f"Date: {rich(format_date(draft.prepared_on, locale))}", st.cell)]],
            [80 * mm, "*"],
            [
                ("LINEABOVE", (0, 0), (0, 0), 0.6, colors.black),
                ("LEFTPADDING", (1, 0), (1, 0), 6 * mm),
            ],
        ),
        TextBlock(name, st.cell_bold),
    ]
    if registration:
        block.append(TextBlock(registration, st.cell_muted))
    if profile.practice_name.strip():
        block.append(TextBlock(profile.practice_name, st.cell_muted))
    return KeepTogether(block)


# --- small pieces ---------------------------------------------------------------------------


def _section(title: str, *, first: bool = False) -> Flowable:
    """A heading kept with what follows it."""
    return _Heading(title, 0 if first else GRID * 1.75)


class _Heading(Table):
    def __init__(self, title: str, space_before: float) -> None:
        super().__init__(
            [[TextBlock(title, _styles().section)]],
            colWidths=["100%"],
            style=[
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ],
            hAlign="LEFT",
            spaceBefore=space_before,
            spaceAfter=GRID * 0.75,
        )
        self.keepWithNext = True


def _label(text: str) -> Paragraph:
    return TextBlock(text.upper(), _styles().head)


def _bold(text: str) -> Paragraph:
    return TextBlock(text, _styles().cell_bold)


def _muted(text: str) -> Paragraph:
    return TextBlock(text, _styles().cell_muted)


__all__ = ["NO_PHYSICIAN", "TO_NOBODY", "physician_summary_pdf"]
