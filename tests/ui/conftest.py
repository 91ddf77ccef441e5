"""pytest-qt setup: offscreen, QSettings in a temporary folder, a fixed light scheme."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from ui import icons, theme
from ui.collector import collect_on_gui_thread


@pytest.fixture(autouse=True, scope="session")
def _garbage_collected_on_the_gui_thread(qapp: QApplication) -> None:
    """As in the app: a collection started on an op's worker thread could destroy widgets
    there, and Qt would later deliver a timer event to one of them (a crash)."""
    collect_on_gui_thread(qapp)


@pytest.fixture(autouse=True)
def _nothing_left_frozen() -> Iterator[None]:
    """A test that ran the app's warm-up to its end froze what lived then (the collector's
    `set_aside_what_lives_on`): the next test's garbage must be collectable again."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    QCoreApplication.setOrganizationName("FasciaTests")
    QCoreApplication.setApplicationName("FasciaTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    theme.apply(qapp, "light", icons.lucide_style())
    yield
    # pytest-qt closes each test's widgets with deleteLater(), which outside an event loop only
    # queues the deletion: without this, every widget of every test stays alive to the end.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


MODAL_PATIENCE_MS = 15_000


@pytest.fixture(autouse=True)
def _no_forgotten_modal(qapp: QApplication) -> Iterator[None]:
    """A modal dialog nobody answers would hang the suite: close it and fail the test instead."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    forgotten: list[str] = []
    seen: dict[int, QElapsedTimer] = {}

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            seen.clear()
            return
        clock = seen.setdefault(id(modal), QElapsedTimer())
        if not clock.isValid():
            clock.start()
        elif clock.elapsed() > MODAL_PATIENCE_MS:
            forgotten.append(f"{modal.windowTitle()!r} ({type(modal).__name__})")
            modal.close()
            modal.deleteLater()

    timer = QTimer()
    timer.setInterval(1000)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    if forgotten:
        pytest.fail(f"A modal dialog was left open and closed by the watchdog: {forgotten}")
