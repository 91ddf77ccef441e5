"""The client timeline of a 20-year client (500 visits, 200 chart versions, 150 invoices):
the service's pages and the tab's first rows on screen, against raw sqlite3 in the same run."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, median_ms, paired_ms, scratch_folder


def raw_queries(client_id: int, page: int | None) -> list[tuple[str, tuple[Any, ...]]]:
    """The service's per-source queries as plain SQL with their values: a page of rows of each
    source (every row when `page` is None), as a reader without the page floor would read."""
    from sqlalchemy.dialects import sqlite

    from practice.timeline.sources import SPECS, page_query

    queries = []
    for spec in SPECS:
        statement, params = page_query(spec, client_id, (page or 10**9) + 1)
        compiled = statement.compile(dialect=sqlite.dialect())
        values = compiled.construct_params(params)
        queries.append((str(compiled), tuple(values[k] for k in compiled.positiontup or ())))
    return queries


def raw_reader(path: Path, client_id: int, page: int | None) -> Callable[[], int]:
    """Read a page of rows of every source with sqlite3 alone: no entries, no SQLAlchemy."""
    connection = sqlite3.connect(str(path))
    queries = raw_queries(client_id, page)

    def read() -> int:
        return sum(len(connection.execute(sql, values).fetchall()) for sql, values in queries)

    return read


COURSE_ROWS = (
    # The rows a plan course reads, as plain SQL: visits with their pain scores, treatment
    # minutes, every measure score and diary entry, the chart metrics, the plan and its goals.
    "SELECT v.id, v.starts_at, v.status, v.signed_at, s.pain_before, s.pain_after FROM visit v "
    "LEFT JOIN soap_note s ON s.visit_id = v.id WHERE v.client_id = ? ORDER BY v.starts_at",
    "SELECT t.visit_id, t.minutes FROM treatment_entry t JOIN visit v ON v.id = t.visit_id "
    "WHERE v.client_id = ?",
    "SELECT * FROM measure_value WHERE client_id = ? ORDER BY measured_on",
    "SELECT occurred_on, intensity FROM headache_entry WHERE client_id = ?",
    "SELECT id, charted_on, visit_id, extent_percent FROM body_chart WHERE client_id = ? "
    "AND id NOT IN (SELECT supersedes_id FROM body_chart WHERE supersedes_id IS NOT NULL)",
    "SELECT * FROM treatment_plan WHERE client_id = ?",
    "SELECT * FROM plan_goal WHERE plan_id IN (SELECT id FROM treatment_plan WHERE client_id = ?)",
)


def raw_course_reader(path: Path, client_id: int) -> Callable[[], int]:
    connection = sqlite3.connect(str(path))

    def read() -> int:
        return sum(len(connection.execute(sql, (client_id,)).fetchall()) for sql in COURSE_ROWS)

    return read


def _course_figures(db: Any, client_id: int) -> list[Figure]:
    """The plan course over the client's whole record (every visit), and over one plan."""
    from datetime import date

    from practice.plans import course, service

    plans = service.plans_for(db, client_id)
    first_day = min(p.start_date for p in plans)
    raw = raw_course_reader(db.path, client_id)
    whole = course.course(db, client_id, first_day, date.today())
    print(
        f"plan course bench: {len(whole.attended)} signed visits, "
        f"{len(whole.measures)} measures over the whole record"
    )
    whole_ms, whole_floor = paired_ms(
        lambda: course.course(db, client_id, first_day, date.today()), raw, repeat=21
    )
    one_ms, one_floor = paired_ms(lambda: course.plan_course(db, plans[0].id), raw, repeat=21)
    return [
        Figure(
            "plan course, the whole 20-year record (every visit)",
            whole_ms,
            whole_floor,
            "ms",
            "< 3x raw SQL",
        ),
        Figure("plan course, one 12-week plan", one_ms, one_floor, "ms", "< 3x raw SQL"),
    ]


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from practice.clients import service as clients
    from practice.store import open_database
    from practice.timeline import service
    from tests.bench.long_client import build_long_client
    from ui.timeline.tab import FIRST_PAGE

    folder = scratch_folder("fascia-bench-timeline-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        made = build_long_client(db)
        cid = made.client_id
        every = service.whole_timeline(db, cid)
        first = service.timeline(db, cid)
        label = (
            f"({made.visits} signed visits of 500, {made.chart_versions} chart versions, "
            f"{made.invoices} invoices, {len(every)} entries)"
        )
        print(f"timeline bench client {label}")
        page_floor = median_ms(raw_reader(db.path, cid, service.PAGE), repeat=21)
        all_floor = median_ms(raw_reader(db.path, cid, None), repeat=7)
        figures = [
            Figure(
                "timeline service, first page (200 entries)",
                median_ms(lambda: service.timeline(db, cid), repeat=21),
                page_floor,
                "ms",
                "< 100 ms",
            ),
            Figure(
                f"timeline service, the tab's first page ({FIRST_PAGE} entries)",
                median_ms(lambda: service.timeline(db, cid, limit=FIRST_PAGE), repeat=21),
                median_ms(raw_reader(db.path, cid, FIRST_PAGE), repeat=21),
                "ms",
                "< 100 ms",
            ),
            Figure(
                "timeline service, next page",
                median_ms(lambda: service.timeline(db, cid, before=first.next_before), repeat=21),
                page_floor,
                "ms",
                "< 100 ms",
            ),
            Figure(
                "plan figures of the first page (plan course)",
                median_ms(lambda: service.with_courses(db, first.entries), repeat=7),
                page_floor,
                "ms",
                "after the rows",
            ),
            Figure(
                f"whole timeline ({len(every)} entries)",
                median_ms(lambda: service.whole_timeline(db, cid), repeat=7),
                all_floor,
                "ms",
                "filter by words",
            ),
        ]
        figures += _course_figures(db, cid)
        figures.append(
            Figure(
                "timeline service, first page, first in a session",
                _cold_first_page(folder, cid),
                page_floor,
                "ms",
                "< 100 ms",
            )
        )
        figures += _tab_figures(db, clients.get_client(db, cid))
    finally:
        db.close()
    for figure in figures:
        print(figure.line())
    return figures


COLD = """
import sys, time
from pathlib import Path
from practice.store import open_database
from practice.warmup import warm_up
from practice.timeline import service
from practice.clients import service as clients
db = open_database(Path(sys.argv[1]), actor="bench")
warm_up(db)  # as the app does once the database is open, while the list is on screen
clients.get_client(db, int(sys.argv[2]))  # as the workspace does before the tabs read
started = time.perf_counter()
service.timeline(db, int(sys.argv[2]))
print((time.perf_counter() - started) * 1000)
db.close()
"""


def _cold_first_page(folder: Path, client_id: int) -> float:
    """The first page in a fresh process: statements compiled and locale data read once.

    The child opens a copy of the practice (the open one is locked to this process)."""
    import shutil
    import statistics
    import subprocess
    import sys

    from tests.bench.common import ROOT

    copy = folder.parent / "cold"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.lock"), dirs_exist_ok=True)
    folder = copy
    runs = []
    for _ in range(5):
        done = subprocess.run(
            [sys.executable, "-c", COLD, str(folder), str(client_id)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def _tab_figures(db: Any, client: Any) -> list[Figure]:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from practice.timeline import service
    from ui import theme
    from ui.ops import runner
    from ui.timeline.tab import FIRST_PAGE, TimelineTab

    class Painted(QObject):
        """Notes a table's first paint once it has rows (its view paints in the event loop)."""

        def __init__(self, view: QTableView) -> None:
            super().__init__()
            self.view, self.seen = view, False
            view.viewport().installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.view.model().rowCount():
                self.seen = True
            return False

    def until(done: Callable[[], bool]) -> None:
        """Wait in an event loop, as the app does: idle waits let the worker thread run."""
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: done() and loop.quit())
        timer.start(1)
        if not done():
            loop.exec()
        timer.stop()

    def timed(start: Callable[[], None], painted: Painted, repeat: int = 15) -> float:
        samples = []
        for _ in range(repeat):
            until(lambda: runner().idle)
            painted.seen = False
            started = time.perf_counter()
            start()
            until(lambda: painted.seen)  # the poll runs once the paint has finished
            samples.append((time.perf_counter() - started) * 1000)
        until(lambda: runner().idle)
        return sorted(samples)[len(samples) // 2]

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    tab = TimelineTab(db)
    tab.resize(1000, 700)
    tab.show()
    shown = timed(lambda: tab.load(client), Painted(tab.table))

    page = service.timeline(db, client.id, limit=FIRST_PAGE)
    cells = [
        [tab.model.index(r, c).data() for c in range(tab.model.columnCount())]
        for r in range(len(page.entries))
    ]
    table = QTableView()
    table.resize(1000, 700)
    table.show()
    read = raw_reader(db.path, client.id, FIRST_PAGE)

    def bare() -> None:
        read()
        standard = QStandardItemModel(len(cells), len(cells[0]))
        for r, line in enumerate(cells):
            for c, text in enumerate(line):
                standard.setItem(r, c, QStandardItem(text))
        table.setModel(standard)

    bare_floor = timed(bare, Painted(table))
    raw_floor = median_ms(read, repeat=21)
    tab.close()
    table.close()
    app.processEvents()
    return [
        Figure("Timeline tab, first rows shown", shown, raw_floor, "ms", "< 100 ms"),
        Figure(
            "Timeline tab, first rows vs raw read + bare table", shown, bare_floor, "ms", "< 100 ms"
        ),
    ]


if __name__ == "__main__":
    run_all()
