"""Possible sources on screen: a paint to the refreshed panel, and a muscle's overlay drawn."""

from __future__ import annotations

import os

from tests.bench.common import Figure, median_ms


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from practice.bodymap.chart import ChartData, RegionMark
    from practice.plans.trigger_points import load_catalogue
    from ui.bodymap.editor import BodyChartEditor

    app = QApplication.instance() or QApplication([])
    catalogue = load_catalogue()
    editor = BodyChartEditor()
    editor.resize(1280, 720)
    editor.show()
    # A realistic chart: two muscles' patterns plus scattered pain, 12 regions in all.
    trapezius = catalogue.muscle("upper_trapezius_R")
    piriformis = catalogue.muscle("piriformis_L")
    codes = list(dict.fromkeys((*trapezius.primary, *piriformis.primary, *editor.atlas.codes)))[:12]
    chart = ChartData(marks=tuple(RegionMark(c, 3 + i % 7) for i, c in enumerate(codes)))
    editor.load(chart)
    app.processEvents()
    step = iter(range(10**6))

    def painted() -> ChartData:
        i = next(step)
        marks = list(chart.marks)
        marks[i % len(marks)] = RegionMark(marks[i % len(marks)].region, 1 + i % 10)
        return replace(chart, marks=tuple(marks))

    # Floor: the bare editor (panel closed) painting one mark and repainting the view.
    editor.set_sources_visible(False)

    def bare_paint() -> None:
        editor.set_chart(painted(), "Paint")
        editor.view.viewport().repaint()

    floor = median_ms(bare_paint, repeat=31)

    # With the panel open: the same paint, the suggestions re-ranked and the panel redrawn.
    editor.set_sources_visible(True)

    def paint_and_refresh() -> None:
        editor.set_chart(painted(), "Paint")
        editor.refresh_sources()
        app.processEvents()  # lay out the new cards
        editor.view.viewport().repaint()
        editor.sources.repaint()

    refreshed = median_ms(paint_and_refresh, repeat=31)

    # Selecting a muscle: the overlay of its zones and trigger points drawn over the chart.
    keys = [s.muscle.key for s in editor.sources.suggestions()]
    pick = iter(range(10**6))

    def overlay() -> None:
        editor.sources.select_muscle(keys[next(pick) % len(keys)])
        editor.view.viewport().repaint()

    drawn = median_ms(overlay, repeat=31)
    editor.close()
    return [
        Figure(
            "paint + refreshed Possible sources panel (12 marks)",
            refreshed,
            floor,
            "ms",
            "< 50 ms (the panel refresh is debounced 150 ms after painting)",
        ),
        Figure("select a muscle: overlay drawn + view repaint", drawn, floor, "ms", "< 16 ms"),
    ]


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
