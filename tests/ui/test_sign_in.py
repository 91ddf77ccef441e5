"""Signing in to a clinic's server: `fascia --server URL` asks for the password instead of
failing, says a refusal next to the password field, and gives every other failure one message
with Retry where retrying can help (a real throwaway PostgreSQL cluster that checks passwords)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url

from practice.store import Database, staff
from practice.store.practitioners import PractitionerForm
from tests.launching import close_launcher
from ui.ops import runner

_names = itertools.count()
PASSWORD = "correct horse ☃ 42"


@pytest.fixture
def admin(server_db_factory: Any, tmp_path: Path) -> Any:
    db = server_db_factory(tmp_path / "admin")
    yield db
    db.close()


def add_login(admin: Database, pg_cluster: Any) -> str:
    """A practitioner's login whose password the test server checks (the others are trusted)."""
    from tests.pgcluster import PASSWORD_CHECKED

    login = f"signin_{os.getpid()}_{next(_names)}"
    form = PractitionerForm("Maya Chen", "RMT")
    staff.add_user(admin, login, "practitioner", PASSWORD, practitioner=form)
    pg_cluster.execute(f"GRANT {PASSWORD_CHECKED} TO {login}")
    return login


def url_as(db: Database, login: str) -> str:
    return make_url(db.server_url or "").set(username=login).render_as_string(False)


class Quits:
    """Stands in for the QApplication the launcher would quit."""

    def __init__(self) -> None:
        self.count = 0

    def quit(self) -> None:
        self.count += 1


@pytest.fixture
def launcher(qtbot: QtBot, qapp: QApplication) -> Any:
    """The app's launcher, its `quits` counted instead of quitting; what it opened is closed
    (ask for it after the database fixtures: it must be torn down before they are)."""
    from ui.app import Launcher

    launcher = Launcher(qapp)
    launcher.quits = Quits()
    launcher.app = SimpleNamespace(quit=launcher.quits.quit)
    yield launcher
    close_launcher(qtbot, launcher)


def shown_dialog(qtbot: QtBot, launcher: Any) -> Any:
    qtbot.waitUntil(lambda: bool(launcher.signing_in) and launcher.signing_in[0].isVisible())
    qtbot.waitUntil(lambda: runner().idle and not launcher.signing_in[0].busy)
    return launcher.signing_in[0]


def test_a_refused_password_is_said_next_to_the_field_and_the_right_one_signs_in(
    qtbot: QtBot,
    admin: Database,
    launcher: Any,
    pg_cluster: Any,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    login = add_login(admin, pg_cluster)
    assert launcher.open_server(url_as(admin, login), tmp_path / "maya")
    dialog = shown_dialog(qtbot, launcher)
    assert dialog.user.text() == login
    assert dialog.password.hasFocus()
    assert not dialog.password_error.isVisible()  # asked, not yet refused
    assert dialog.server.text().startswith("Practice practice_")

    qtbot.keyClicks(dialog.password, "wrong password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.password_error.isVisible(), timeout=20_000)
    assert "refused this user name and password" in dialog.password_error.text()
    assert not dialog.message.isVisible()
    assert launcher.windows == []

    dialog.password.setText(PASSWORD)  # QTest types Latin-1 only: the snowman is pasted
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(launcher.windows), timeout=20_000)
    window = launcher.windows[0]
    qtbot.waitUntil(lambda: window.db is not None, timeout=20_000)
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)
    assert window.db.clinic_user.login == login
    assert window.db.actor.startswith("Maya Chen")
    assert launcher.quits.count == 0
    assert PASSWORD not in repr(window.db)
    QSettings().sync()
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        assert PASSWORD.encode() not in path.read_bytes(), path
    out, err = capfd.readouterr()
    assert PASSWORD not in out + err and "wrong password" not in out + err


def test_escape_quits_the_sign_in(
    qtbot: QtBot, admin: Database, launcher: Any, pg_cluster: Any, tmp_path: Path
) -> None:
    login = add_login(admin, pg_cluster)
    assert launcher.open_server(url_as(admin, login), tmp_path / "maya")
    dialog = shown_dialog(qtbot, launcher)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: launcher.quits.count == 1)
    assert launcher.windows == []


def test_a_trusted_login_opens_the_window_without_asking(
    qtbot: QtBot, admin: Database, launcher: Any, tmp_path: Path
) -> None:
    assert launcher.open_server(admin.server_url or "", tmp_path / "admin2")
    qtbot.waitUntil(lambda: bool(launcher.windows), timeout=20_000)
    assert not any(dialog.isVisible() for dialog in launcher.signing_in)
    qtbot.waitUntil(lambda: launcher.windows[0].db is not None, timeout=20_000)


def failed_sign_in(qtbot: QtBot, launcher: Any, url: str, folder: Path) -> Any:
    assert launcher.open_server(url, folder)
    dialog = shown_dialog(qtbot, launcher)
    assert launcher.windows == []
    assert dialog.message.isVisible()
    assert not dialog.password_error.isVisible()
    return dialog


def test_a_server_that_is_down_says_so_and_offers_retry(
    qtbot: QtBot, launcher: Any, tmp_path: Path
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://nobody@/practice?host={tmp_path}"
    dialog = failed_sign_in(qtbot, launcher, url, tmp_path)
    assert "not answering" in dialog.message.text()
    assert dialog.sign_in_button.isVisible() and dialog.sign_in_button.text() == "Retry"
    dialog.sign_in_button.click()  # still down: the same message, nothing else
    qtbot.waitUntil(lambda: runner().idle and not dialog.busy, timeout=20_000)
    assert "not answering" in dialog.message.text()


def test_a_malformed_address_offers_only_quit(qtbot: QtBot, launcher: Any, tmp_path: Path) -> None:
    dialog = failed_sign_in(qtbot, launcher, "postgresql://", tmp_path)
    assert "names no database" in dialog.message.text()
    assert not dialog.sign_in_button.isVisible()
    assert dialog.quit_button.isDefault()


def test_a_database_without_a_practice_says_how_to_make_one(
    qtbot: QtBot, empty_url: Any, launcher: Any, tmp_path: Path
) -> None:
    dialog = failed_sign_in(qtbot, launcher, empty_url(), tmp_path)
    assert "no Fascia practice" in dialog.message.text()
    assert dialog.sign_in_button.text() == "Retry"


def test_a_server_on_a_newer_schema_offers_only_quit(
    qtbot: QtBot, admin: Database, launcher: Any, tmp_path: Path
) -> None:
    with admin.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    dialog = failed_sign_in(qtbot, launcher, admin.server_url or "", tmp_path)
    assert "newer version of Fascia" in dialog.message.text()
    assert not dialog.sign_in_button.isVisible()


def test_an_older_schema_this_login_may_not_upgrade_says_who_can(
    qtbot: QtBot, admin: Database, launcher: Any, tmp_path: Path
) -> None:
    login = f"signin_{os.getpid()}_{next(_names)}"
    staff.add_user(admin, login, "practitioner", PASSWORD, practitioner=PractitionerForm("Omar"))
    with admin.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0017'"))
    dialog = failed_sign_in(qtbot, launcher, url_as(admin, login), tmp_path)
    assert "older version of Fascia" in dialog.message.text()
    assert "administrator" in dialog.message.text()
    assert dialog.sign_in_button.text() == "Retry"
