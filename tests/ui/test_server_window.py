"""`fascia --server URL`: the same window on a clinic's PostgreSQL server (what it says when it
cannot be used: tests/ui/test_sign_in.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store.server import open_server
from tests.launching import close_launcher, open_window


def test_a_server_practice_opens_in_the_window_with_its_clients_listed(
    qtbot: QtBot, qapp: QApplication, server_url_factory: Any, tmp_path: Path
) -> None:
    from ui.app import Launcher

    url = server_url_factory()
    db = open_server(url, tmp_path / "setup")
    for given, family in (("Ana", "Peña"), ("민지", "김"), ("Yael", "כהן")):
        service.create_client(db, ClientForm(given_name=given, family_name=family))
    db.close()
    launcher = Launcher(qapp)
    window = open_window(qtbot, launcher, url, tmp_path / "practice")
    assert window.db.on_server
    assert window.clients is not None
    listed = [row.display_name for row in window.clients.directory.search()]
    assert listed == ["Yael כהן", "Ana Peña", "민지 김"] or sorted(listed) == sorted(
        ["Ana Peña", "민지 김", "Yael כהן"]
    )
    assert window.clients.directory.count() == 3
    close_launcher(qtbot, launcher)
