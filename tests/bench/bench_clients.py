"""Client list at every practice size (BENCH_SIZES): startup, list, search, keystrokes, memory.

`python -m tests.bench.bench_clients FOLDER` measures a practice at hand instead (a copy: the
window upgrades it).
"""

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

# The floor under the list's own target: the least any themed Qt list costs. A search box and
# a table of the first 100 clients read with sqlite3, in Fascia's theme (its stylesheet, the
# Fusion palette, the Lucide icons), in the bare window: no menus, no rail, no practice checks.
THEMED_LIST = """
import sqlite3, sys
from PySide6.QtCore import QAbstractTableModel, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget,
)
from ui import icons, theme
app = QApplication(sys.argv)
theme.apply(app, None, icons.lucide_style())
rows = sqlite3.connect({path!r}).execute(
    "SELECT given_name, family_name FROM client ORDER BY sort_key, id LIMIT 100"
).fetchall()
class Rows(QAbstractTableModel):
    def rowCount(self, parent=None):
        return len(rows)
    def columnCount(self, parent=None):
        return 2
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return rows[index.row()][index.column()]
window = QMainWindow()
body = QWidget()
layout = QVBoxLayout(body)
layout.addWidget(QLineEdit())
table = QTableView()
model = Rows()
table.setModel(model)
layout.addWidget(table)
window.setCentralWidget(body)
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
# Twenty keys, each word typed into an empty box: every first letter is measured too.
WORDS = ("chloe", "smith", "tanak", "ferre")
# The floor of one key: the same page and count, read with sqlite3 alone (no model, no view).
RAW_PAGE = (
    "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile,"
    " phone_other, email, archived, sort_key FROM client"
    " WHERE search_text LIKE ? AND +archived = 0 ORDER BY sort_key, id LIMIT 101"
)
RAW_COUNT = "SELECT count(*) FROM client WHERE search_text LIKE ? AND +archived = 0"


def run_all() -> list[Figure]:
    from tests.bench.demos import demo_copy, sizes

    figures = []
    for clients in sizes():
        figures += run(demo_copy(clients), f"{clients:,} clients")
    return figures


def run(folder: Path, label: str) -> list[Figure]:
    figures = []
    bare_ms, bare_mib = best_child(BARE_WINDOW)
    shown_ms, _ = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "shown"}
    )
    fascia_ms, fascia_mib = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "ready"}
    )
    themed_ms, _ = best_child(THEMED_LIST.format(path=str(folder / "fascia.db")))
    # The engine (SQLAlchemy) loads right after the list: the whole start and its memory.
    open_ms, open_mib = best_child(
        FASCIA_WINDOW.format(folder=str(folder)), {"FASCIA_EXIT_AFTER_SHOW": "open"}
    )
    figures.append(
        Figure(
            f"main window visible (process start to shown), {label}",
            shown_ms,
            bare_ms,
            "ms",
            "< 2x bare QMainWindow",
        )
    )
    figures.append(
        Figure(
            f"client list populated (process start to ready), {label}",
            fascia_ms,
            bare_ms,
            "ms",
            "< 1.5x bare QMainWindow",
        )
    )
    figures.append(
        Figure(
            f"a themed list alone (search box, 100 rows by sqlite3, Fascia's theme), {label}",
            themed_ms,
            bare_ms,
            "ms",
            "- (the least any themed list costs: the floor under 1.5x)",
        )
    )
    figures.append(
        Figure(
            f"client list populated, against the themed list alone, {label}",
            fascia_ms,
            themed_ms,
            "ms",
            "- (what Fascia's window adds)",
        )
    )
    figures.append(
        Figure(
            f"peak memory, client list shown, {label}",
            fascia_mib,
            bare_mib,
            "MiB",
            "< 2x bare QMainWindow",
        )
    )
    figures.append(
        Figure(
            f"database engine open too (process start to open), {label}",
            open_ms,
            bare_ms,
            "ms",
            "- (after the list; the window is usable meanwhile)",
        )
    )
    figures.append(
        Figure(
            f"peak memory, engine open, {label}", open_mib, bare_mib, "MiB", "< 2x bare QMainWindow"
        )
    )

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from practice.clients import service
    from practice.store import open_database
    from ui.clients.page import ClientsPage
    from ui.ops import runner

    db = open_database(folder)
    try:
        page = ClientsPage(db)
        page.resize(1440, 900)
        page.show()
        while not runner().idle:  # the balances and visits, loaded once at startup
            app.processEvents()
        app.processEvents()
        populate_ms = median_ms(lambda: (page.refresh(), app.processEvents()), repeat=9)
        figures.append(
            Figure(
                f"client list refilled + painted, in process, {label}",
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
            Figure(
                f"search service '{QUERY}', {label}", service_ms, raw_ms, "ms", "< 3x raw sqlite3"
            )
        )

        figures += _keystrokes(app, page, raw, label)
        raw.close()
        page.close()
    finally:
        db.close()
    return figures


def _keystrokes(app, page, raw: sqlite3.Connection, label: str) -> list[Figure]:  # type: ignore[no-untyped-def]
    """Each of twenty keys to the list updated and painted, against sqlite3 reading the same
    page and count (median and worst of both)."""
    from practice.clients.directory import like_patterns

    samples, floors = [], []
    for word in WORDS:
        page.search.clear()
        app.processEvents()
        for typed in range(1, len(word) + 1):
            pattern = like_patterns(word[:typed])[0]
            started = time.perf_counter()
            raw.execute(RAW_PAGE, (pattern,)).fetchall()
            raw.execute(RAW_COUNT, (pattern,)).fetchall()
            floors.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page.search.insert(word[typed - 1])
            app.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
    keys = f"{len(samples)} keys, {label}"
    return [
        Figure(
            f"keystroke to updated list, median of {keys}",
            statistics.median(samples),
            statistics.median(floors),
            "ms",
            "< 16 ms (one frame)",
        ),
        Figure(
            f"keystroke to updated list, worst of {keys}",
            max(samples),
            max(floors),
            "ms",
            "< 16 ms (one frame)",
        ),
    ]


if __name__ == "__main__":
    import sys

    for figure in run(Path(sys.argv[1]), Path(sys.argv[1]).name):
        print(figure.line())
