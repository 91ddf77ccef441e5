"""Styling cost: each screen built with the app's look against the same widgets built bare.

Every client tab, the visit editor, Billing, the Schedule, Today and the main dialogs are built,
laid out and painted in a 1280x720 window (the dialogs as its children) four ways, alternately
in one run:

- the theme as `theme.apply` sets it: the stylesheet on the window (what a therapist sees);
- the same stylesheet set on the QApplication instead (how Fascia styled itself until 2026-12);
- "any app sheet": no theme stylesheet, and an application stylesheet of one rule that matches
  nothing: what Qt's stylesheet machinery costs once switched on for every widget;
- bare: the same style and palette with no stylesheet at all (the floor).

Run alone: `python -m tests.bench styling`.
"""

from __future__ import annotations

import importlib
import os
import statistics
import time
from collections.abc import Callable

from tests.bench.common import Figure, scratch_folder

REPEAT = 3
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
    themed = theme.stylesheet(theme.colours())
    sheets = {  # (the application's stylesheet, the window's)
        "theme": ("", themed),
        "app": (themed, ""),
        "any": (ANY_SHEET, ""),
        "bare": ("", ""),
    }
    folder = scratch_folder("fascia-bench-styling-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=3)
        samples = measure(app, db, sheets)
    finally:
        theme.apply(app, "light", icons.lucide_style())
        db.close()
    figures = []
    for name, by_sheet in samples.items():
        bare = statistics.median(by_sheet["bare"])
        for sheet, label in (
            ("theme", "with the theme"),
            ("app", "with the theme app-wide"),
            ("any", "with any app sheet"),
        ):
            value = statistics.median(by_sheet[sheet])
            figures.append(Figure(f"styling: {name} {label}", value, bare, "ms", TARGET))
    totals = {s: sum(statistics.median(v[s]) for v in samples.values()) for s in sheets}
    for sheet, label in (("theme", "with the theme"), ("app", "with the theme app-wide")):
        every = f"styling: every screen {label}"
        figures.append(Figure(every, totals[sheet], totals["bare"], "ms", TARGET))
    return figures


def screens(db, window) -> dict[str, Callable[[], object]]:  # type: ignore[no-untyped-def]
    """Each screen's constructor (the client tabs as the workspace builds them, apart, to be
    put into the window; the dialogs as the window's children)."""
    from ui.clients.workspace import TABS

    def make(module: str, cls: str, *args: object) -> Callable[[], object]:
        return lambda: getattr(importlib.import_module(module), cls)(db, *args)

    built = {f"client tab {title}": make(module, cls) for _n, title, module, cls in TABS}
    built["visit editor"] = make("ui.visits.editor", "VisitEditor")
    built["Billing"] = make("ui.billing.area", "BillingArea")
    built["Schedule"] = make("ui.schedule.page", "SchedulePage")
    built["Today"] = make("ui.today.page", "TodayPage")
    built["practice profile dialog"] = make("ui.practice_profile", "PracticeProfileDialog", window)
    built["welcome dialog"] = make("ui.welcome", "WelcomeDialog", window)
    return built


def measure(app, db, sheets: dict[str, tuple[str, str]]):  # type: ignore[no-untyped-def]
    """{screen: {sheet: [ms, ...]}}: build, lay out and paint each screen under each sheet."""
    from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

    from ui import theme
    from ui.ops import runner

    host = QWidget()
    host.setProperty(theme.THEMED, False)  # its sheet is set here, as each way wants
    host.resize(1280, 720)
    layout = QVBoxLayout(host)
    host.show()
    app.processEvents()

    retired: list[QWidget] = []

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
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            layout.removeWidget(widget)
            widget.hide()
            widget.setParent(None)  # out of the window: not restyled with it again
        # Kept (hidden) to the end: deleting screens mid-run crashed Qt in a timer's event
        # filters now and then, on main's code as well.
        retired.append(widget)
        app.processEvents()
        return taken

    makers = screens(db, host)
    for make in makers.values():  # imports, fonts and icon caches: once, before timing
        build(make)
    samples = {name: {sheet: [] for sheet in sheets} for name in makers}
    for _ in range(REPEAT):
        for sheet, (for_app, for_window) in sheets.items():
            app.setStyleSheet(for_app)
            host.setStyleSheet(for_window)
            app.processEvents()
            for name, make in makers.items():
                samples[name][sheet].append(build(make))
    host.close()
    return samples
