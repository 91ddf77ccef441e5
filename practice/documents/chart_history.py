"""A client's body chart history on paper: first and latest chart, then every chart's numbers."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from practice.bodymap.atlas import load_atlas
from practice.bodymap.metrics import compare
from practice.bodymap.service import BodyChart, BodyChartSummary
from practice.clients.records import Client, PracticeProfile
from practice.documents.bodymap_drawing import BodyMapFlowable, BodyMapLegend
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    MARGIN,
    Cell,
    build_document,
    client_identity,
    data_table,
    format_date,
    muted,
    page_size,
    para,
    plain_table,
    section,
    styles,
)
from practice.summaries.narrative import number, signed

TITLE = "Body chart history"
SOURCES = {"chart": "Body chart", "intake": "Intake", "visit": "Visit"}
_MAP_HEIGHT = 250.0


def chart_history_pdf(
    profile: PracticeProfile,
    client: Client,
    history: Sequence[BodyChartSummary],
    first: BodyChart,
    latest: BodyChart | None,
) -> bytes:
    """First and latest chart side by side with what changed, then all charts in a table."""
    locale = profile.locale
    width = page_size(locale)[0] - 2 * MARGIN
    atlas = load_atlas()
    half = (width - 2 * GRID) / 2
    map_width = min(half, BodyMapFlowable.width_for(atlas, _MAP_HEIGHT))
    panels = [("First", first)] + ([("Latest", latest)] if latest is not None else [])
    cells: list[Cell] = [
        [
            Paragraph(
                f"<b>{rich(title)}</b>  {muted(rich(format_date(chart.charted_on, locale)))}",
                styles().body,
            ),
            BodyMapFlowable(atlas, chart.data, map_width),
            para(_numbers(chart), styles().small),
        ]
        for title, chart in panels
    ]
    if latest is None:
        cells.append(para("Only one chart so far: nothing to compare.", styles().muted))
    charts = [c.data for _, c in panels]
    story: list[Flowable] = [
        plain_table(
            [cells],
            [half + 2 * GRID, half],
            [("RIGHTPADDING", (0, 0), (0, 0), 2 * GRID)],
            spaceBefore=GRID,
        ),
        BodyMapLegend.for_chart(width, *charts),
    ]
    if latest is not None:
        change = compare(first.data, latest.data, atlas)
        story.append(
            para(
                f"From first to latest: pain extent {signed(change.extent_change)} percentage "
                f"points; {len(change.resolved)} regions resolved, {len(change.improved)} "
                f"improved, {len(change.worsened)} worse, {len(change.added)} new.",
                styles().body,
            )
        )
    story += [*section(f"All charts ({len(history)})"), _table(history, locale)]
    subtitle = f"{client_identity(client, locale)} · {len(history)} charts"
    return build_document(
        None,
        profile,
        TITLE,
        story,
        client_line=client_identity(client, locale),
        doc_date=(latest or first).charted_on,
        subtitle=subtitle,
    )


def _numbers(chart: BodyChart) -> str:
    m = chart.metrics
    if m.region_count == 0:
        return "No pain marked."
    return (
        f"{number(m.extent_percent)}% of the body · {m.region_count} regions · "
        f"worst {m.max_intensity}/10 · WPI {m.wpi}/19"
    )


def _table(history: Sequence[BodyChartSummary], locale: str) -> Flowable:
    rows: list[list[Cell]] = [
        [
            format_date(h.charted_on, locale),
            SOURCES.get(h.source, h.source),
            f"{number(h.extent_percent)}%",
            str(h.region_count),
            f"{h.max_intensity}/10",
            f"{h.wpi}/19",
        ]
        for h in history
    ]
    return data_table(
        ["Date", "Charted at", "Pain extent", "Regions", "Worst pain", "WPI"],
        rows,
        [30 * mm, 30 * mm, 25 * mm, 20 * mm, 22 * mm, "*"],
    )
