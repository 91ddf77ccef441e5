"""The client list beside an open client at 1280x720: full names, a balance dot, the next or
last visit, read in the background so typing never waits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.demo import generate
from practice.store import Database
from practice.text import fold
from tests.conftest import Made, made_once, own_practice
from ui.clients.list_model import BALANCE, BORN, NAME, PHONE, VISIT
from ui.main_window import MainWindow
from ui.ops import runner


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path) -> Made[Any]:
    """A demo practice of 30 clients, made once for the module (see `db`)."""
    return made_once(
        tmp_path_factory,
        migrated_db_file,
        "client-list",
        lambda db: generate(db, clients_count=30, seed=3, today=date.today()),
    )


@pytest.fixture
def db(request: pytest.FixtureRequest, made: Made[Any], tmp_path: Path) -> Iterator[Database]:
    """This test's own copy of the demo practice, open."""
    yield from own_practice(request, made, tmp_path)


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.attach(db)
    qtbot.waitUntil(lambda: runner().idle)
    return window


def test_names_show_in_full_beside_an_open_client(qtbot: QtBot, window: MainWindow) -> None:
    page = window.clients
    page.open_client(page.model.client_id(0))
    qtbot.waitUntil(lambda: runner().idle)
    table = page.table
    assert table.isColumnHidden(BORN) and table.isColumnHidden(PHONE)
    metrics = table.fontMetrics()
    room = table.columnWidth(NAME) - 16  # the cell's padding
    names = [page.model.index(r, NAME).data() for r in range(page.model.rowCount())]
    assert room >= metrics.horizontalAdvance("Maximiliana Castellanos")
    cut = [name for name in names if metrics.horizontalAdvance(name) > room]
    assert not cut


def test_the_list_alone_fits_its_panel_without_a_horizontal_scroll_bar(
    window: MainWindow,
) -> None:
    table = window.clients.table
    assert not table.horizontalScrollBar().isVisible()
    model = window.clients.model
    tip = model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert model._rows[0].phone in tip  # birth date, phone and email are a hover away


def test_a_balance_dot_and_the_next_or_last_visit_are_shown(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    model = window.clients.model
    standings = service.standings(db)
    dots = visits = 0
    for row in range(model.rowCount()):
        standing = standings.get(model.client_id(row))
        dot = model.index(row, BALANCE).data(Qt.ItemDataRole.DecorationRole)
        said = model.index(row, BALANCE).data(Qt.ItemDataRole.AccessibleTextRole)
        visit = model.index(row, VISIT).data()
        if standing is not None and standing.owed_cents > 0:
            assert dot is not None and said.startswith("Owes $")
            dots += 1
        else:
            assert dot is None and not said
        if standing is not None and standing.next_visit is not None:
            assert visit.startswith("Next ")
        elif standing is not None and standing.last_visit is not None:
            assert visit.startswith("Last ")
        else:
            assert visit == ""
        visits += bool(visit)
    assert dots and visits


def test_the_list_sorts_by_family_name_and_shows_given_name_first(window: MainWindow) -> None:
    model = window.clients.model
    rows = [model._rows[r] for r in range(model.rowCount())]
    families = [fold(row.family_name) for row in rows]
    assert families == sorted(families)
    for row in rows:
        assert row.display_name.endswith(row.family_name)


def test_the_header_says_the_open_clients_next_or_last_visit_and_balance(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    standings = service.standings(db)
    page = window.clients
    owing = next(cid for cid, s in standings.items() if s.owed_cents > 0)
    page.open_client(owing)
    details = page.workspace.header.details.text()
    assert page.model.visit_text(owing) in details
    assert page.model.balance_text(owing).startswith("Owes $")
    assert page.model.balance_text(owing) in details
