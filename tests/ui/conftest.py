"""pytest-qt setup: offscreen, QSettings in a temporary folder, a fixed light scheme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from ui import theme


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    QCoreApplication.setOrganizationName("FasciaTests")
    QCoreApplication.setApplicationName("FasciaTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    theme.apply(qapp, "light")
    yield
    # pytest-qt closes each test's widgets with deleteLater(), which outside an event loop only
    # queues the deletion: without this, every widget of every test stays alive to the end.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
