"""Garbage in reference cycles is collected on the GUI thread, never on an op's worker."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot


class _Cyclic(QObject):
    """A Qt object that only the cyclic collector can free (it refers to itself), with a
    running timer: destroyed on a worker thread, its timer would fire into freed memory."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.timer = QTimer(self)
        self.timer.start(60_000)


def test_a_qt_object_in_a_reference_cycle_is_destroyed_on_the_gui_thread(qtbot: QtBot) -> None:
    assert not gc.isenabled()  # automatic collection, which runs on any thread, is off
    destroyed_on: list[threading.Thread] = []
    cyclic = _Cyclic()
    weakref.finalize(cyclic, lambda: destroyed_on.append(threading.current_thread()))
    del cyclic

    kept: list[list[object]] = []

    def allocate() -> None:  # what a worker reading a practice does: many new objects
        kept.extend([] for _ in range(50_000))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert destroyed_on == []  # the worker passed every threshold and collected nothing
    qtbot.waitUntil(lambda: bool(destroyed_on), timeout=5_000)
    assert destroyed_on == [threading.main_thread()]
