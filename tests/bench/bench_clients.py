"""Client list on a 10,000-client practice: startup, list, search, keystrokes, memory."""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

from tests.bench.common import Figure, best_child, median_ms

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1440, 900)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

FASCIA_WINDOW = """
from ui.app import main
raise SystemExit(main(["--data-dir", {folder!r}]))
"""

LIST_ONLY = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from practice.store import open_database
from ui.clients.page import ClientsPage
db = open_database(Path({folder!r}))
page = ClientsPage(db)
page.show()
"""

QUERY = "ann"


def run(folder: Path) -> list[Figure]:
    figures = []
    bare_ms, bare_mib = best_child(BARE_WINDOW)
    shown_ms, _ = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "shown"}
    )
    fascia_ms, fascia_mib = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "ready"}
    )
    # The engine (SQLAlchemy) loads right after the list: the whole start and its memory.
    open_ms, open_mib = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "open"}
    )
    figures.append(
        Figure(
            "main window visible (process start to shown)",
            shown_ms,
            bare_ms,
            "ms",
            "< 2x bare QMainWindow",
        )
    )
    figures.append(
        Figure(
            "client list populated (process start to ready)",
            fascia_ms,
            bare_ms,
            "ms",
            "< 4x bare QMainWindow",
        )
    )
    figures.append(
        Figure(
            "peak memory, client list shown", fascia_mib, bare_mib, "MiB", "< 2x bare QMainWindow"
        )
    )
    figures.append(
        Figure(
            "database engine open too (process start to open)",
            open_ms,
            bare_ms,
            "ms",
            "- (after the list; the window is usable meanwhile)",
        )
    )
    figures.append(
        Figure("peak memory, engine open", open_mib, bare_mib, "MiB", "< 2x bare QMainWindow")
    )

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from practice.clients import service
    from practice.store import open_database
    from ui.clients.page import ClientsPage

    db = open_database(folder)
    try:
        page = ClientsPage(db)
        page.resize(1440, 900)
        page.show()
        app.processEvents()
        populate_ms = median_ms(lambda: (page.refresh(), app.processEvents()), repeat=9)
        figures.append(
            Figure(
                "client list (10,000) refilled + painted, in process",
                populate_ms,
                bare_ms,
                "ms",
                "< 4x bare window start",
            )
        )

        raw = sqlite3.connect(db.path)
        from practice.text import fold

        pattern = f"%{fold(QUERY)}%"

        def raw_search() -> None:
            raw.execute(
                "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile,"
                " phone_other, email, archived FROM client WHERE search_text LIKE ? AND archived=0"
                " ORDER BY sort_key, id",
                (pattern,),
            ).fetchall()

        raw_ms = median_ms(raw_search, repeat=31)
        service_ms = median_ms(lambda: service.search_clients(db, QUERY), repeat=31)
        figures.append(
            Figure(f"search service '{QUERY}'", service_ms, raw_ms, "ms", "< 3x raw sqlite3")
        )

        samples = []
        for _ in range(3):
            page.search.clear()
            app.processEvents()
            for ch in "chloe":
                started = time.perf_counter()
                page.search.insert(ch)
                app.processEvents()
                samples.append((time.perf_counter() - started) * 1000)
        keystroke = statistics.median(samples)
        figures.append(
            Figure(
                "keystroke to updated list (median)", keystroke, 16.0, "ms", "< 16 ms (one frame)"
            )
        )
        raw.close()
        page.close()
    finally:
        db.close()
    return figures


def prepare() -> Path:
    """A copy of the cached 10,000-client demo practice (tests/bench/demos.py)."""
    from tests.bench.demos import demo_copy

    return demo_copy(10_000)
