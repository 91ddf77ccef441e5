"""The pain chart printouts: one body chart on a page, and two charts compared before and after."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from practice.bodymap import View, style
from practice.bodymap.atlas import Atlas, load_atlas
from practice.bodymap.chart import ChartData, Quality, StrokeKind
from practice.bodymap.metrics import ChartMetrics, Comparison, compare
from practice.bodymap.service import BodyChart
from practice.clients.records import Client, PracticeProfile
from practice.documents.bodymap_drawing import (
    ARROW,
    BodyMapFlowable,
    BodyMapLegend,
    SymbolGlyph,
)
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    MARGIN,
    MUTED,
    RULE,
    Cell,
    Line,
    build_document,
    client_identity,
    data_table,
    fields,
    format_date,
    heading,
    letterhead,
    muted,
    none_reported,
    page_size,
    para,
    plain_table,
    styles,
    title_block,
)
from practice.documents.lines import TextBlock

TITLE = "Pain chart"
COMPARISON_TITLE = "Pain chart comparison"
NO_PAIN = "No pain marked on this chart."
MINUS = "\u2013"  # en dash: the embedded font has no U+2212 minus sign

_SIDE = 64 * mm  # the column beside a map
_GUTTER = 2 * GRID
_MIN_MAP = 50 * mm  # below this a map stops being worth reading: let the page flow on instead
_SAFETY = 6.0  # points kept free so rounding never pushes the last line onto a second page
_SPLIT_ROWS = 6  # longer region lists print in two columns
_LABEL = 36 * mm

SOURCE_WORDS = {"intake": "charted at intake", "visit": "charted at a visit"}
STROKE_NAMES = {
    StrokeKind.RADIATING: "Radiating pain",
    StrokeKind.NUMBNESS: "Numbness",
    StrokeKind.OTHER: "Line",
}


@dataclass(frozen=True, slots=True)
class _Cells:
    text: ParagraphStyle
    label: ParagraphStyle
    number: ParagraphStyle


@functools.cache
def _cells() -> _Cells:
    """Table text a step smaller than body text, so a whole chart fits on its page."""
    text = ParagraphStyle("chart_cell", parent=styles().body, fontSize=8.5, leading=10.5)
    return _Cells(
        text,
        ParagraphStyle("chart_label", parent=text, textColor=MUTED),
        ParagraphStyle("chart_number", parent=text, alignment=TA_RIGHT),
    )


# --- one chart ------------------------------------------------------------------------------


def pain_chart_pdf(profile: PracticeProfile, client: Client, chart: BodyChart) -> bytes:
    """One body chart on one page: the map, its numbers, the marked regions and findings."""
    atlas = load_atlas()
    locale = profile.locale
    width, height = _frame(profile)
    subtitle = _subtitle(client, chart, locale)
    side: list[Flowable] = [
        _heading("Summary", first=True),
        *_summary(chart.metrics),
        _heading("Key"),
        BodyMapLegend.for_chart(_SIDE, chart.data),
    ]
    note = fields([("Note", chart.note)], label_width=_LABEL / 2, empty="No note")
    note.spaceBefore = GRID
    below: list[Flowable] = [
        _heading("Marked regions"),
        _regions(atlas, chart.data, width),
        _heading("Findings"),
        _findings(atlas, chart.data),
        note,
    ]
    head = [*letterhead(profile), *title_block(TITLE, subtitle, chart.charted_on, locale)]
    room = height - _height(head, width) - _height(below, width) - _SAFETY - GRID
    column = width - _SIDE - _GUTTER
    top = _row(
        [BodyMapFlowable(atlas, chart.data, _map_width(atlas, room, column)), side],
        [column, _SIDE],
        space_before=GRID,
    )
    top.setStyle([("ALIGN", (0, 0), (0, 0), "CENTER")])
    return build_document(
        None,
        profile,
        TITLE,
        [top, *below],
        client_line=client_identity(client, locale),
        doc_date=chart.charted_on,
        subtitle=subtitle,
    )


def _subtitle(client: Client, chart: BodyChart, locale: str) -> str:
    source = SOURCE_WORDS.get(chart.source, "")
    return " · ".join(p for p in (client_identity(client, locale), source) if p)


def _summary(metrics: ChartMetrics) -> list[Flowable]:
    rows = [
        ("Pain extent", f"{metrics.extent_percent:.1f} % of the body"),
        ("Painful regions", str(metrics.region_count)),
        ("Widespread Pain Index", f"{metrics.wpi} / 19"),
        ("Highest intensity", f"{metrics.max_intensity} / 10"),
        ("Mean intensity", f"{metrics.mean_intensity:.1f} / 10"),
    ]
    table = _pairs(rows, _LABEL)
    if metrics.region_count == 0:
        return [TextBlock(NO_PAIN, styles().strong), table]
    return [table]


def _regions(atlas: Atlas, chart: ChartData, width: float) -> Flowable:
    """Marked regions, most painful first, with how the pain feels."""
    if not chart.marks:
        return none_reported(NO_PAIN)
    order = {code: i for i, code in enumerate(atlas.codes)}
    marks = sorted(chart.marks, key=lambda m: (-m.intensity, order.get(m.region, 0)))
    rows = [
        [
            _text(_region_name(atlas, mark.region)),
            _text(str(mark.intensity) if mark.intensity else "0, no pain"),
            _text(", ".join(q.value for q in Quality if q in mark.qualities)),
        ]
        for mark in marks
    ]
    header = ["Region", "Intensity", "Feels like"]
    if len(rows) <= _SPLIT_ROWS:
        return _table(header, rows, [70 * mm, 20 * mm, "*"])
    half = (len(rows) + 1) // 2
    column = (width - _GUTTER) / 2
    widths: list[float | str] = ["50%", 18 * mm, "*"]
    return _row(
        [_table(header, rows[:half], widths), _table(header, rows[half:], widths)],
        [column, column],
    )


def _findings(atlas: Atlas, chart: ChartData) -> Flowable:
    """Every symbol, arrow, line and label drawn on the chart, and where it is."""
    rows: list[list[Cell]] = []
    for symbol in chart.symbols:
        rows.append(
            [
                SymbolGlyph(symbol.kind),
                _text(style.symbol_shape(symbol.kind).name.capitalize()),
                _text(_where(atlas, symbol.view, symbol.x, symbol.y)),
                _text(symbol.muscle),
                _text(f"{symbol.grade} / 4" if symbol.grade is not None else ""),
                _text(symbol.note),
            ]
        )
    for arrow in chart.arrows:
        start = _where(atlas, arrow.view, arrow.x1, arrow.y1)
        end = _where(atlas, arrow.view, arrow.x2, arrow.y2)
        rows.append(
            _finding_row(SymbolGlyph(ARROW), "Referred pain", f"{start} to {end}", arrow.note)
        )
    for stroke in chart.strokes:
        start = _where(atlas, stroke.view, *stroke.points[0])
        end = _where(atlas, stroke.view, *stroke.points[-1])
        rows.append(
            _finding_row(SymbolGlyph(stroke.kind), STROKE_NAMES[stroke.kind], f"{start} to {end}")
        )
    for label in chart.labels:
        where = _where(atlas, label.view, label.x, label.y)
        rows.append(_finding_row("", "Label", where, label.text))
    if not rows:
        return none_reported("No trigger points, tender points or other findings marked.")
    return _table(
        ["", "Finding", "Where", "Muscle", "Grade", "Note"],
        rows,
        [6 * mm, 34 * mm, 48 * mm, 36 * mm, 13 * mm, "*"],
    )


def _finding_row(glyph: Cell, what: str, where: str, note: str = "") -> list[Cell]:
    return [glyph, _text(what), _text(where), "", "", _text(note)]


# --- two charts -----------------------------------------------------------------------------


def chart_comparison_pdf(
    profile: PracticeProfile, client: Client, before: BodyChart, after: BodyChart
) -> bytes:
    """Before, after and the change between them as maps, then what the change adds up to.

    Two layouts are measured and the one with the larger maps wins: before and after in a
    row with the change map beside the summary (most charts), or all three maps in one row
    with the summary and region lists side by side under them (long lists of regions).
    """
    atlas = load_atlas()
    locale = profile.locale
    change = compare(before.data, after.data, atlas)
    width, height = _frame(profile)
    days = (after.charted_on - before.charted_on).days
    apart = f"{days} day{'' if days == 1 else 's'} apart"
    subtitle = f"{client_identity(client, locale)} · {apart}"
    head = [
        *letterhead(profile),
        *title_block(COMPARISON_TITLE, subtitle, after.charted_on, locale),
    ]
    summary: list[Flowable] = [
        _heading("Summary", first=True),
        _comparison_table(before.metrics, after.metrics, change),
        para(
            f"Overlap of the painful regions (Jaccard index): {change.jaccard_count:.2f} by "
            f"count, {change.jaccard_area:.2f} by area; 1.00 means the same regions.",
            styles().small,
        ),
    ]
    key = [_heading("Key"), BodyMapLegend.for_chart(width, before.data, after.data, change=True)]
    panels = [
        ("Before", format_date(before.charted_on, locale), before.data, None),
        ("After", format_date(after.charted_on, locale), after.data, None),
        ("Change", "red worse, blue better", None, change),
    ]

    def maps(map_width: float) -> list[Cell]:
        return [
            [_caption(title, when), BodyMapFlowable(atlas, chart, map_width, change=diff)]
            for title, when, chart, diff in panels
        ]

    half, third = (width - _GUTTER) / 2, (width - 2 * _GUTTER) / 3
    caption = _caption("Before", "").wrap(third, height)[1]
    room = height - _height(head, width) - _SAFETY

    # Three in a row.
    regions = [_heading("Regions", first=True), _region_changes(atlas, change)]
    row_below = [_row([summary, regions], [half, half], space_before=2 * GRID), *key]
    row_room = room - _height(row_below, width) - caption - GRID
    row_width = min(third, BodyMapFlowable.width_for(atlas, row_room))

    # Two rows: the change map shares the second row with the summary, which may be taller.
    rows_below = [_heading("Regions"), _region_changes(atlas, change), *key]
    rows_room = room - _height(rows_below, width) - 2 * (caption + GRID)
    beside = _height(summary, half) - caption
    map_height = rows_room / 2 if rows_room / 2 >= beside else rows_room - beside
    rows_width = min(half, BodyMapFlowable.width_for(atlas, map_height))

    if rows_width >= row_width:
        first, second, third_map = maps(max(_MIN_MAP, rows_width))
        story = [
            _row([first, second], [half, half], space_before=GRID),
            _row([third_map, summary], [half, half], space_before=GRID),
            *rows_below,
        ]
    else:
        story = [_row(maps(max(_MIN_MAP, row_width)), [third] * 3, space_before=GRID), *row_below]
    return build_document(
        None,
        profile,
        COMPARISON_TITLE,
        story,
        client_line=client_identity(client, locale),
        doc_date=after.charted_on,
        subtitle=subtitle,
    )


def _row(cells: Sequence[Cell], widths: Sequence[float], *, space_before: float = 0) -> Table:
    """Blocks side by side with a gutter between them."""
    return plain_table(
        [list(cells)],
        [w + _GUTTER for w in widths[:-1]] + [widths[-1]],
        [("RIGHTPADDING", (0, 0), (-2, 0), _GUTTER)],
        spaceBefore=space_before,
    )


def _comparison_table(before: ChartMetrics, after: ChartMetrics, change: Comparison) -> Table:
    """The numbers of both charts and their difference, right-aligned under their headers."""
    rows = [
        ("Pain extent (%)", change.extent_before, change.extent_after, 1),
        ("Painful regions", before.region_count, after.region_count, 0),
        ("WPI (of 19)", before.wpi, after.wpi, 0),
        ("Highest intensity", before.max_intensity, after.max_intensity, 0),
        ("Mean intensity", before.mean_intensity, after.mean_intensity, 1),
    ]
    label = ParagraphStyle("chart_head", parent=_cells().number, textColor=MUTED)
    header: list[Cell] = ["", *(Paragraph(t, label) for t in ("Before", "After", "Change"))]
    body: list[list[Cell]] = [
        [
            _text(name),
            _number(f"{old:.{digits}f}"),
            _number(f"{new:.{digits}f}"),
            _number(_signed(new - old, digits)),
        ]
        for name, old, new, digits in rows
    ]
    return plain_table(
        [header, *body],
        ["*", 15 * mm, 15 * mm, 16 * mm],
        [
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 1), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ],
    )


def _signed(value: float, digits: int) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def _region_changes(atlas: Atlas, change: Comparison) -> Flowable:
    if not change.changes:
        return none_reported("No pain marked on either chart.")

    def listed(codes: frozenset[str], amount: str) -> str:
        return "; ".join(
            f"{atlas.region(c.region).name}: {amount.format(c=c)}"
            for c in change.changes
            if c.region in codes
        )

    groups: list[tuple[str, frozenset[str], str]] = [
        ("Added", change.added, "{c.after}"),
        ("Resolved", change.resolved, "was {c.before}"),
        ("Improved", change.improved, "{c.before} to {c.after}"),
        ("Worsened", change.worsened, "{c.before} to {c.after}"),
    ]
    return _pairs(
        [(name, listed(codes, amount) or "None") for name, codes, amount in groups], 22 * mm
    )


# --- shared pieces --------------------------------------------------------------------------


def _frame(profile: PracticeProfile) -> tuple[float, float]:
    width, height = page_size(profile.locale)
    return width - 2 * MARGIN, height - 2 * MARGIN


def _height(flowables: Sequence[Flowable], width: float) -> float:
    """How much of a frame these flowables take, spaces included."""
    return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def _map_width(atlas: Atlas, room: float, column: float) -> float:
    """The widest map that fits its column and is at most `room` tall."""
    return max(_MIN_MAP, min(column, BodyMapFlowable.width_for(atlas, room)))


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float | str]
) -> Table:
    """A data table in the smaller cell text, with tighter rows."""
    table = data_table(header, rows, widths)
    table.setStyle([("TOPPADDING", (0, 1), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)])
    return table


def _pairs(rows: Sequence[tuple[str, str]], label_width: float) -> Table:
    """Labels in grey beside their values, in the table text size."""
    return plain_table(
        [[_text(label, muted=True), _text(value)] for label, value in rows],
        [label_width, "*"],
        [("BOTTOMPADDING", (0, 0), (-1, -1), 3)],
    )


def _heading(title: str, *, first: bool = False) -> Flowable:
    block = heading(title)
    block.spaceBefore = 0 if first else GRID
    block.spaceAfter = GRID / 2
    return block


def _caption(title: str, when: str) -> Paragraph:
    return Paragraph(f"<b>{rich(title)}</b>  {muted(rich(when))}", styles().body)


def _text(text: str, *, muted: bool = False) -> Line:
    return Line(text, _cells().label if muted else _cells().text)


def _number(text: str) -> Line:
    return Line(text, _cells().number)


def _region_name(atlas: Atlas, code: str) -> str:
    return atlas.region(code).name if code in atlas else code


def _where(atlas: Atlas, view: View, x: float, y: float) -> str:
    region = atlas.region_at(view, x, y)
    return region.name if region is not None else f"{View(view).value.capitalize()} view"
