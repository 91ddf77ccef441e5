"""Body map on screen: hit-test, repaint after painting a mark, opening a chart and comparison."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta

from tests.bench.common import Figure, median_ms, scratch_folder


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QBrush, QColor, QPainter
    from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

    from practice.bodymap import View
    from practice.bodymap.atlas import load_atlas
    from practice.bodymap.chart import ChartData, RegionMark, Stroke, StrokeKind
    from ui.bodymap.editor import BodyChartEditor
    from ui.bodymap.scene import _path

    app = QApplication.instance() or QApplication([])
    atlas = load_atlas()
    figures = []

    # Hit-test: one region lookup against a plain bounding-box scan over the regions.
    points = [(r.view, *r.label_point) for r in atlas.regions]
    hit = median_ms(lambda: [atlas.region_at(v, x, y) for v, x, y in points], repeat=21)
    boxes = [(r.view, r.bbox) for r in atlas.regions]

    def bbox_scan() -> None:
        for v, x, y in points:
            next(
                (b for view, b in boxes if view == v and b[0] <= x <= b[2] and b[1] <= y <= b[3]),
                None,
            )

    scan = median_ms(bbox_scan, repeat=21)
    n = len(points)
    figures.append(Figure("region hit-test (per lookup)", hit / n, scan / n, "ms", "< 0.1 ms"))

    # Repaint after one mark on a chart with 50 marks and 20 strokes.
    editor = BodyChartEditor()
    editor.resize(1100, 800)
    editor.show()
    codes = atlas.codes[:50]
    strokes = tuple(
        Stroke(
            View.FRONT,
            tuple((150 + i * 5 + k, 300 + k * 20) for k in range(20)),
            StrokeKind.RADIATING,
        )
        for i in range(20)
    )
    editor.load(
        ChartData(
            marks=tuple(RegionMark(c, 1 + i % 10) for i, c in enumerate(codes)), strokes=strokes
        )
    )
    app.processEvents()
    step = iter(range(10**6))

    def paint_one() -> None:
        i = next(step)
        editor.scene.set_mark(codes[i % 50], 1 + (i * 3) % 10)
        editor.view.viewport().repaint()

    painted = median_ms(paint_one, repeat=31)
    bare_scene = QGraphicsScene()
    bare_scene.setSceneRect(editor.scene.sceneRect())
    for region in atlas.regions:
        bare_scene.addPath(_path(region.polygon), brush=QBrush(QColor("#fd8d3c")))
    for stroke in strokes:
        bare_scene.addPath(_path(stroke.points, closed=False))
    bare = QGraphicsView(bare_scene)
    bare.setRenderHints(QPainter.RenderHint.Antialiasing)
    bare.resize(editor.view.size())
    bare.show()
    bare.fitInView(bare_scene.sceneRect())
    app.processEvents()
    floor = median_ms(lambda: bare.viewport().repaint(), repeat=31)
    figures.append(
        Figure(
            "paint a mark + whole-view repaint (50 marks, 20 strokes)",
            painted,
            floor,
            "ms",
            "< 16 ms (one 60 Hz frame)",
        )
    )
    editor.close()
    bare.close()

    # Opening a client's chart tab and its comparison.
    figures += _open_chart_and_compare(app, floor)
    return figures


def _open_chart_and_compare(app, floor: float) -> list[Figure]:  # type: ignore[no-untyped-def]
    from practice.bodymap import service as charts
    from practice.bodymap.chart import ChartData, RegionMark
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.store import open_database
    from ui.bodymap.compare import ChartCompareView
    from ui.bodymap.tab import BodyMapTab

    db = open_database(scratch_folder("fascia-bench-bm-") / "practice")
    try:
        client = clients.create_client(db, ClientForm(given_name="Bench"))
        codes = [
            r
            for r in (
                "B_LOW_BACK_R",
                "B_LOW_BACK_L",
                "B_BUTTOCK_R",
                "B_THIGH_R",
                "B_CALF_R",
                "B_UPPER_BACK_R",
                "B_NECK_R",
                "F_SHOULDER_R",
            )
        ]
        for week in range(6):
            marks = tuple(
                RegionMark(c, max(1, 8 - week - i % 3)) for i, c in enumerate(codes[week:])
            )
            charts.save_chart(
                db, client.id, date.today() - timedelta(weeks=6 - week), ChartData(marks=marks)
            )
        tab = BodyMapTab(db)
        tab.resize(1184, 560)
        tab.show()
        compare = ChartCompareView()
        compare.resize(1184, 560)
        compare.show()

        def open_tab() -> None:
            tab.load(client)
            app.processEvents()

        def open_compare() -> None:
            compare.load(db, client.id)
            app.processEvents()

        started = time.perf_counter()
        open_tab()
        first = (time.perf_counter() - started) * 1000
        figures = [
            Figure("open a client's chart tab (first time)", first, floor, "ms", "< 100 ms"),
            Figure(
                "open a client's chart tab", median_ms(open_tab, repeat=9), floor, "ms", "< 100 ms"
            ),
            Figure(
                "open the compare view (first vs latest)",
                median_ms(open_compare, repeat=9),
                floor,
                "ms",
                "< 100 ms",
            ),
        ]
        tab.close()
        compare.close()
        return figures
    finally:
        db.close()
