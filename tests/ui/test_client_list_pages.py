"""A long client list pages in as it scrolls: a search shows its first page at once, the count
of every match, and the rest when the therapist scrolls to it or opens a client further down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.directory import PAGE_SIZE, ClientDirectory
from practice.clients.records import ClientForm
from practice.store import Database
from tests.conftest import Made, made_once, made_result, own_practice
from ui.clients.list_model import ClientListModel
from ui.clients.page import ClientsPage
from ui.ops import runner

CLIENTS = PAGE_SIZE * 2 + 30  # three pages


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path) -> Made[list[int]]:
    """The clients below, saved once for the module; each test gets a copy (`db`)."""
    return made_once(tmp_path_factory, migrated_db_file, "client-pages", _many)


@pytest.fixture
def db(request: pytest.FixtureRequest, made: Made[list[int]], tmp_path: Path) -> Iterator[Database]:
    yield from own_practice(request, made, tmp_path)


@pytest.fixture
def many(request: pytest.FixtureRequest, made: Made[list[int]]) -> list[int]:
    return made_result(request, made)


def _many(db: Database) -> list[int]:
    """Clients named Client 000 Family .. in list order, every tenth an Emma."""
    ids = []
    for n in range(CLIENTS):
        given = "Emma" if n % 10 == 0 else "Noor"
        form = ClientForm(given_name=f"{given}", family_name=f"Family{n:03d}")
        ids.append(service.create_client(db, form).id)
    return ids


@pytest.fixture
def page(qtbot: QtBot, db: Database, many: list[int]) -> ClientsPage:
    widget = ClientsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: runner().idle)
    return widget


def _names(page: ClientsPage) -> list[str]:
    model = page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _scroll_to_the_end(qtbot: QtBot, page: ClientsPage) -> None:
    """Drag the scroll bar to the bottom until the list stops growing, as a therapist would."""
    bar = page.table.verticalScrollBar()
    for _ in range(CLIENTS):
        rows = page.model.rowCount()
        bar.setValue(bar.maximum())
        qtbot.wait(1)
        if page.model.rowCount() == rows:
            return


def test_a_long_list_shows_a_page_first_and_counts_every_client(page: ClientsPage) -> None:
    assert page.model.rowCount() == PAGE_SIZE  # the count comes in the background
    assert page.count.text() == f"{CLIENTS} clients"
    assert _names(page)[:2] == ["Emma Family000", "Noor Family001"]


def test_scrolling_down_fetches_the_rest_in_list_order(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    _scroll_to_the_end(qtbot, page)
    assert page.model.complete
    assert _names(page) == [row.display_name for row in service.search_clients(db)]


def test_a_search_counts_all_its_matches_and_pages_in_the_rest(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    qtbot.keyClicks(page.search, "noor")
    assert page.count.text() == f"{PAGE_SIZE}+ clients"  # at least a page, counted meanwhile
    qtbot.waitUntil(lambda: runner().idle)
    matches = service.search_clients(db, "noor")
    assert len(matches) > PAGE_SIZE
    assert page.count.text() == f"{len(matches)} clients"
    assert page.model.rowCount() == PAGE_SIZE
    _scroll_to_the_end(qtbot, page)
    assert _names(page) == [row.display_name for row in matches]


def test_a_client_past_the_first_page_is_found_by_search(
    qtbot: QtBot, page: ClientsPage, many: list[int]
) -> None:
    qtbot.keyClicks(page.search, "family229")
    assert _names(page) == ["Noor Family229"]
    page.table.selectRow(0)
    assert page.open_client_id() == many[229]


def test_opening_a_client_past_the_first_page_fetches_down_to_them_and_selects_them(
    page: ClientsPage, many: list[int]
) -> None:
    page.open_client(many[-1])
    assert page.model.rowCount() == CLIENTS
    selected = page.table.selectionModel().selectedRows()
    assert [i.data() for i in selected] == [f"Noor Family{CLIENTS - 1:03d}"]


def test_the_open_client_stays_selected_across_searches_and_when_scrolled_back_in(
    qtbot: QtBot, page: ClientsPage, many: list[int]
) -> None:
    page.open_client(many[151])
    qtbot.keyClicks(page.search, "emma")
    assert not page.table.selectionModel().hasSelection()  # Noor is not an Emma
    page.search.clear()
    assert page.model.rowCount() == PAGE_SIZE and page.open_client_id() == many[151]
    assert not page.table.selectionModel().hasSelection()  # not fetched yet
    _scroll_to_the_end(qtbot, page)
    selected = page.table.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["Noor Family151"]
    assert page.open_client_id() == many[151]


def test_a_newer_search_replaces_every_row_of_the_older_one(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    """Rows fetched while scrolling belong to the search on screen: typing another key drops
    the older search's pages, and a page fetched after that reads the newer search only."""
    qtbot.keyClicks(page.search, "noo")
    page.model.fetchMore()  # the older search half scrolled
    assert page.model.rowCount() == 2 * PAGE_SIZE
    page.search.clear()
    qtbot.keyClicks(page.search, "emma")
    assert page.model.complete and page.count.text() == f"{CLIENTS // 10} clients"
    page.model.fetchMore()  # what the view asks for once scrolled: nothing more to add
    assert _names(page) == [row.display_name for row in service.search_clients(db, "emma")]


def test_a_count_still_running_when_the_next_key_arrives_is_dropped(
    qtbot: QtBot, page: ClientsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count of an older search may finish last: it never replaces the newer count."""
    import threading

    release = threading.Event()
    count = page.directory.count

    def slow_for_noor(text: str, *, include_archived: bool = False) -> int:
        if text == "noor":
            release.wait(10)
        return count(text, include_archived=include_archived)

    monkeypatch.setattr(page.directory, "count", slow_for_noor)
    qtbot.keyClicks(page.search, "noor")
    page.search.setText("fam")  # every client: a page, and a count of its own
    qtbot.waitUntil(lambda: page.count.text() == f"{CLIENTS} clients")
    release.set()
    qtbot.waitUntil(lambda: runner().idle)
    assert page.count.text() == f"{CLIENTS} clients"
    page.search.setText("emma")  # a single page: counted at once, no count op
    assert page.count.text() == f"{CLIENTS // 10} clients"


def test_archived_clients_join_the_count_and_the_pages_when_shown(
    qtbot: QtBot, page: ClientsPage, db: Database, many: list[int]
) -> None:
    service.set_archived(db, many[-1], True)
    page.refresh()
    qtbot.waitUntil(lambda: page.count.text() == f"{CLIENTS - 1} clients")
    page.show_archived.setChecked(True)
    qtbot.waitUntil(lambda: page.count.text() == f"{CLIENTS} clients")
    _scroll_to_the_end(qtbot, page)
    assert _names(page)[-1] == f"Noor Family{CLIENTS - 1:03d} (archived)"


def test_the_paged_model_passes_qt_model_checks(qtmodeltester, db: Database, many) -> None:  # type: ignore[no-untyped-def]
    directory = ClientDirectory(db.path)
    try:
        model = ClientListModel()
        model.show(lambda after, through: directory.page(after=after, through=through))
        qtmodeltester.check(model)
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == CLIENTS
        assert model.index(CLIENTS - 1, 0).data(Qt.ItemDataRole.DisplayRole).endswith("229")
    finally:
        directory.close()


def test_the_keyboard_walks_down_the_whole_list(qtbot: QtBot, page: ClientsPage) -> None:
    """Ctrl+End goes to the last row fetched; the list fetches the next page as it scrolls
    there, so pressing it again goes on down, to the very last client."""
    page.table.setFocus()
    for _ in range(CLIENTS // PAGE_SIZE + 2):
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(1)
    assert page.model.complete
    assert page.table.currentIndex().row() == CLIENTS - 1
    assert page.workspace.header.name.text() == f"Noor Family{CLIENTS - 1:03d}"


def test_a_client_far_down_opens_without_fetching_the_rows_above_and_no_other_row_is_marked(
    qtbot: QtBot, page: ClientsPage, many: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fetching thousands of rows to show one would stall the window: the client opens, the
    list stays where it is, and their row is selected once scrolling brings it in."""
    from ui.clients import page as module

    monkeypatch.setattr(module, "REVEAL_ROWS", 50)
    page.table.selectRow(3)
    page.open_client(many[-1])
    assert page.open_client_id() == many[-1]
    assert page.model.rowCount() == PAGE_SIZE
    assert not page.table.selectionModel().hasSelection()
    _scroll_to_the_end(qtbot, page)
    selected = page.table.selectionModel().selectedRows()
    assert [i.data() for i in selected] == [f"Noor Family{CLIENTS - 1:03d}"]
    assert page.open_client_id() == many[-1]
