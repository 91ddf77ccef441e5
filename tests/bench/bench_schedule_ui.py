"""The Schedule and Today on screen: the week view over 20 years of appointments (opening, then
moving by a week to the repaint) and the Today screen on a demo practice.

Floors measured in the same run: the same week read with raw sqlite3 and painted as plain
rectangles on a bare QWidget (opening and moving), and for Today the day's list alone through
the schedule's own query with a bare QWidget shown.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.bench.common import Figure, median_ms
from tests.bench.demos import demo_copy, sizes


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui import theme

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    with tempfile.TemporaryDirectory() as folder:
        figures = _week(app, Path(folder) / "week")
    for clients in sizes():  # the cached demo practices of tests/bench/demos.py, copied
        copy = demo_copy(clients)
        try:
            figures += _today(app, copy, clients)
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)
    return figures


def _settle(app, until) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop

    while not until():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    app.processEvents()


def _week(app, folder: Path) -> list[Figure]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QWidget

    from practice.schedule.records import ScheduleSettings
    from practice.schedule.settings import save_settings
    from practice.store import open_database
    from tests.bench.bench_schedule import RAW_WEEK, ZONE, _fill, _monday, _stamp, _zone
    from ui.ops import runner
    from ui.schedule.page import SchedulePage

    folder.mkdir()
    db = open_database(folder, actor="bench")
    try:
        save_settings(db, ScheduleSettings(time_zone=ZONE))
        count = _fill(db)
        monday = _monday(date.today() - timedelta(days=365 * 10))

        def open_week() -> float:
            started = time.perf_counter()
            page = SchedulePage(db)
            painted = _PaintCounter(page.grid)
            page.go_to(monday)
            page.resize(1184, 650)
            page.show()
            _settle(app, lambda: painted.week == monday)
            elapsed = (time.perf_counter() - started) * 1000
            page.close()
            page.deleteLater()
            return elapsed

        open_week()
        open_ms = sorted(open_week() for _ in range(9))[4]
        page = SchedulePage(db)
        painted = _PaintCounter(page.grid)
        page.go_to(monday)
        page.resize(1184, 650)
        page.show()
        _settle(app, lambda: runner().idle and painted.week == monday)
        direction = [1]

        def next_week() -> None:
            before = page.schedule.days[0].day
            page.step(direction[0])
            direction[0] = -direction[0]  # back and forth over two busy weeks
            _settle(app, lambda: painted.week not in (None, before))

        move_ms = median_ms(next_week, 41, warmup=4)
        shown = len(page.schedule.appointments)
        page.close()

        conn = sqlite3.connect(db.path)
        bounds = (
            _stamp(_as_local(monday, _zone())),
            _stamp(_as_local(monday + timedelta(days=7), _zone())),
        )

        class Bare(QWidget):
            rows: list = []

            def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
                painter = QPainter(self)
                for k, _row in enumerate(self.rows):
                    painter.fillRect(
                        QRectF(60 + (k % 7) * 150, k * 8 % 600, 140, 50), QColor("#d3e7ef")
                    )
                    painter.drawText(60 + (k % 7) * 150, k * 8 % 600 + 14, str(_row[2]))
                painter.end()

        bare = Bare()
        bare.resize(1184, 650)
        bare.show()

        def bare_week() -> None:
            bare.rows = conn.execute(RAW_WEEK, bounds).fetchall()
            bare.repaint()

        floor_ms = median_ms(bare_week, 41, warmup=4)
        bare.close()
        conn.close()
    finally:
        runner().wait_idle()
        db.close()
    print(
        f"week view of {shown} appointments among {count}: open {open_ms:.1f} ms, "
        f"next week {move_ms:.1f} ms (bare read and paint {floor_ms:.2f} ms)"
    )
    return [
        Figure(f"week view opens, {count} appointments", open_ms, floor_ms, "ms", "< 50 ms"),
        Figure("week view: next week to the repaint", move_ms, floor_ms, "ms", "< 16 ms"),
    ]


class _PaintCounter:
    """Watches the week grid's paint events: `week` is the first day of the week it was last
    asked to paint. The event filter sees the event just before the paint, and the settling
    loop looks only when processEvents has returned, so a figure stops the clock once the new
    week has been painted (once, as a person sees it), not before."""

    def __init__(self, grid) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent, QObject

        self.week: date | None = None
        counter = self

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
                if event.type() == QEvent.Type.Paint and grid.schedule is not None:
                    counter.week = grid.schedule.days[0].day
                return False

        self.filter = Filter(grid)
        grid.installEventFilter(self.filter)


def _as_local(day: date, zone):  # type: ignore[no-untyped-def]
    from datetime import datetime, time

    return datetime.combine(day, time.min, zone)


def _today(app, folder: Path, clients: int) -> list[Figure]:  # type: ignore[no-untyped-def]
    """Today opened afresh on a copy of the demo practice, as the app opens it."""
    from PySide6.QtWidgets import QWidget

    from practice.schedule import queries
    from practice.store import open_database
    from ui.ops import runner
    from ui.today.page import TodayPage

    db = open_database(folder, actor="bench")
    try:

        def open_today() -> tuple[float, float]:
            """(ms to the day's list on screen, ms until every card and figure is in)."""
            started = time.perf_counter()
            page = TodayPage(db)
            page.resize(1184, 650)
            page.show()
            _settle(app, lambda: page.overview is not None)
            page.repaint()
            first = (time.perf_counter() - started) * 1000
            _settle(app, lambda: runner().idle and page.loaded)
            page.repaint()
            full = (time.perf_counter() - started) * 1000
            page.close()
            page.deleteLater()
            return first, full

        open_today()
        runs = sorted(open_today() for _ in range(5))
        today_ms = sorted(r[0] for r in runs)[2]
        full_ms = sorted(r[1] for r in runs)[2]

        def bare() -> None:
            queries.today(db)
            widget = QWidget()
            widget.resize(1184, 650)
            widget.show()
            widget.repaint()
            widget.close()

        floor_ms = median_ms(bare, 5)
    finally:
        runner().wait_idle()
        db.close()
    print(
        f"Today on a {clients:,}-client demo: the day's list {today_ms:.1f} ms, every "
        f"card {full_ms:.1f} ms (the day's list and a bare window {floor_ms:.1f} ms)"
    )
    return [
        Figure(
            f"Today, the day's list, {clients:,}-client demo",
            today_ms,
            floor_ms,
            "ms",
            "< 100 ms",
        ),
        Figure(
            f"Today, every card and figure in, {clients:,}-client demo", full_ms, floor_ms, "ms", ""
        ),
    ]
