"""`fascia --server URL`: the same window on a clinic's PostgreSQL server, or one clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store.server import open_server
from ui.ops import runner


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
    assert launcher.open_server(url, tmp_path / "practice")
    window = launcher.windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.db is not None, timeout=20_000)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
    assert window.db.on_server
    assert window.clients is not None
    listed = [row.display_name for row in window.clients.directory.search()]
    assert listed == ["Yael כהן", "Ana Peña", "민지 김"] or sorted(listed) == sorted(
        ["Ana Peña", "민지 김", "Yael כהן"]
    )
    assert window.clients.directory.count() == 3
    launcher.close_all()
    window.clients.directory.close()


def test_a_server_that_is_down_gets_one_message_and_no_window(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg")
    from ui.app import Launcher

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    launcher = Launcher(qapp)
    assert not launcher.open_server(f"postgresql://nobody@/practice?host={tmp_path}", tmp_path)
    assert launcher.windows == []
    assert len(shown) == 1 and "not answering" in shown[0]
