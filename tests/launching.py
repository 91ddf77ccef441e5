"""Opening clinic windows in the screens' tests the way `fascia --server URL` does, and closing
them before their test's database is dropped (none of their timers may read it after)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.ops import runner


def open_window(qtbot: QtBot, launcher: Any, url: str, folder: Path) -> Any:
    """A window on the server at `url`, signed in (no password asked) and idle."""
    opened = len(launcher.windows)
    assert launcher.open_server(url, folder)
    qtbot.waitUntil(lambda: len(launcher.windows) > opened, timeout=20_000)
    window = launcher.windows[-1]
    qtbot.waitUntil(lambda: window.db is not None, timeout=20_000)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
    return window


def close_launcher(qtbot: QtBot, launcher: Any) -> None:
    """Close the sign-ins and windows a launcher opened, and their databases."""
    if launcher.windows:
        qtbot.wait(400)  # the reads a window posts for after its first paint
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
    for dialog in list(launcher.signing_in):
        dialog.reject()
    launcher.close_all()
    for window in launcher.windows:
        window.close_without_asking(back_up=False)
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
