"""Backups of a clinic's server practice on screen: the owner's Back up now makes a verified
pg_dump; another login's window makes none and says whose they are."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from practice.store import staff
from practice.store.backups.catalog import backups_dir, list_backups
from practice.store.practitioners import PractitionerForm
from practice.store.server import open_server
from tests.ui.test_backups_ui import action, idle, window_on


def test_back_up_now_on_a_server_makes_a_verified_dump_off_the_gui_thread(
    qtbot: QtBot, server_url_factory: Any, tmp_path: Path
) -> None:
    db = open_server(server_url_factory(), tmp_path / "admin")
    try:
        window = window_on(qtbot, db)
        action(window, "&Back up now").trigger()
        idle(qtbot)
        (backup,) = list_backups(backups_dir(db.data_dir))
        assert backup.path.suffix == ".dump" and backup.verified
        assert "Backed up and verified" in window.statusBar().currentMessage()
        assert window.backups.label.text().strip().endswith("verified")
        window.close_without_asking(back_up=False)
    finally:
        idle(qtbot)
        db.close()


def test_a_practitioners_window_makes_no_backups_and_says_the_owner_does(
    qtbot: QtBot, server_url_factory: Any, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    url, login = server_url_factory(), f"pat_ui_{os.getpid()}"  # logins are the server's
    admin = open_server(url, tmp_path / "admin")
    staff.add_user(admin, login, "practitioner", "pw", practitioner=PractitionerForm("Pat"))
    admin.close()
    db = open_server(make_url(url).set(username=login).render_as_string(False), tmp_path / "p")
    try:
        window = window_on(qtbot, db)
        qtbot.waitUntil(lambda: window.backups.auto is not None, timeout=20_000)
        assert window.backups.label.text().strip() == "Backed up by the owner"
        assert "owner" in window.backups.label.toolTip()
        assert not window.backups.timer.isActive()
        window.close()  # the closing backup is not made
        idle(qtbot)
        assert list_backups(backups_dir(db.data_dir)) == []
    finally:
        idle(qtbot)
        db.close()


def test_restore_on_a_server_says_how_the_administrator_restores_into_an_empty_database(
    qtbot: QtBot, server_url_factory: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    db = open_server(server_url_factory(), tmp_path / "admin")
    try:
        window = window_on(qtbot, db)
        action(window, "&Restore from backup…").trigger()
        assert len(told) == 1 and "restore FILE" in told[0] and "empty" in told[0]
        window.close_without_asking(back_up=False)
    finally:
        idle(qtbot)
        db.close()
