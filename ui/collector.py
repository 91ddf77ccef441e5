"""Python's cyclic garbage collection, on the GUI thread only.

CPython starts an automatic collection in whichever thread happens to allocate when the
counters pass their thresholds: with the op runner (`ui/ops.py`) that is often a worker thread.
A widget caught in a reference cycle (a lambda connected to a signal that holds its own widget,
say) is then destroyed on that worker thread. Qt cannot stop its timers from there, and the
next timer event is delivered to freed memory: the application crashes some time later, in
the event loop, far from the cause.

So automatic collection is switched off and a timer on the GUI thread runs the same
generational collection, with the same thresholds. Every Qt object is then destroyed on the
thread that owns it. (The same recipe serves PyQt and PySide applications such as Anki.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100  # garbage waits at most this long; a young collection then takes a few ms

_COLLECTOR: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> int:
        """Collect the generations whose counters passed their thresholds, as CPython would."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if count <= threshold:
                break
            generation = level
        return gc.collect(generation) if generation >= 0 else 0


def set_aside_what_lives_on() -> None:
    """Collect everything once, then leave what survived (modules, the warmed caches, the
    screens built while idle) out of every later collection: each later one then scans only
    what the session made since, a few milliseconds instead of the whole heap. Called once,
    while the window is idle after the start-up work."""
    if _COLLECTOR is not None:
        gc.collect()
        gc.freeze()


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Switch automatic collection off and collect from the GUI thread (once per process)."""
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = GuiThreadCollector(app)
    return _COLLECTOR
