"""Styling cost: each screen built with the app's look against the same widgets built bare.

Every client tab, the visit editor, Billing, the Schedule, Today and the main dialogs are built,
laid out and painted in a 1280x720 window three ways, alternately in one run:

- the theme as `theme.apply` sets it (what a therapist sees);
- bare: the same style and palette with no stylesheet at all (the floor);
- "any app sheet": bare plus an application stylesheet of one rule that matches nothing. This is
  what Qt's stylesheet machinery costs by being switched on for every widget, whatever the rules.

Run alone: `python -m tests.bench styling`.
"""

from __future__ import annotations

import importlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.common import Figure

REPEAT = 5
DEMO_CLIENTS = 40
ANY_SHEET = "#NoWidgetHasThisName { color: red; }"
TARGET = "<=1.5x"


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from practice.demo import generate
    from practice.store import open_database
    from ui import icons, theme

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light", icons.lucide_style())
    themed = app.styleSheet()
    folder = Path(tempfile.mkdtemp(prefix="fascia-bench-styling-")) / "practice"
    db = open_database(folder, actor="bench")
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=3)
        samples = measure(app, screens(db), {"theme": themed, "bare": "", "any": ANY_SHEET})
    finally:
        app.setStyleSheet(themed)
        db.close()
    figures = []
    for name, by_sheet in samples.items():
        bare = statistics.median(by_sheet["bare"])
        for sheet, label in (("theme", "with the theme"), ("any", "with any app sheet")):
            value = statistics.median(by_sheet[sheet])
            figures.append(Figure(f"styling: {name} {label}", value, bare, "ms", TARGET))
    totals = {s: sum(statistics.median(v[s]) for v in samples.values()) for s in ("theme", "bare")}
    every = "styling: every screen with the theme"
    figures.append(Figure(every, totals["theme"], totals["bare"], "ms", TARGET))
    return figures


def screens(db) -> dict[str, Callable[[], object]]:  # type: ignore[no-untyped-def]
    """Each screen's constructor (the client tabs as the workspace builds them)."""
    from ui.clients.workspace import TABS

    def make(module: str, cls: str, *args: object) -> Callable[[], object]:
        return lambda: getattr(importlib.import_module(module), cls)(db, *args)

    built = {f"client tab {title}": make(module, cls) for _n, title, module, cls in TABS}
    built["visit editor"] = make("ui.visits.editor", "VisitEditor")
    built["Billing"] = make("ui.billing.area", "BillingArea")
    built["Schedule"] = make("ui.schedule.page", "SchedulePage")
    built["Today"] = make("ui.today.page", "TodayPage")
    built["practice profile dialog"] = make("ui.practice_profile", "PracticeProfileDialog")
    built["billing settings dialog"] = make("ui.billing.settings", "BillingSettingsDialog")
    return built


def measure(app, makers: dict[str, Callable[[], object]], sheets: dict[str, str]):  # type: ignore[no-untyped-def]
    """{screen: {sheet: [ms, ...]}}: build, lay out and paint each screen under each sheet."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

    from ui.ops import runner

    host = QWidget()
    host.resize(1280, 720)
    layout = QVBoxLayout(host)
    host.show()
    app.processEvents()

    def build(make: Callable[[], object]) -> float:
        started = time.perf_counter()
        widget = make()
        if isinstance(widget, QDialog):
            widget.resize(900, 640)
            widget.show()
        else:
            layout.addWidget(widget)
        app.processEvents()
        (widget if isinstance(widget, QDialog) else host).repaint()
        taken = (time.perf_counter() - started) * 1000
        while not runner().idle:  # the screen's own reads land before it goes
            app.processEvents()
        widget.hide()
        widget.setParent(None)
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        return taken

    for make in makers.values():  # imports, fonts and icon caches: once, before timing
        build(make)
    samples = {name: {sheet: [] for sheet in sheets} for name in makers}
    for _ in range(REPEAT):
        for sheet, text in sheets.items():
            app.setStyleSheet(text)
            app.processEvents()
            for name, make in makers.items():
                samples[name][sheet].append(build(make))
    host.close()
    return samples
