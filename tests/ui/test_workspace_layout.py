"""Room for the record on small screens: a hideable client list, alerts shown once as chips."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.intake import CancerStatus, IntakeData
from practice.clients.records import ClientForm
from practice.store import Database
from ui.clients.page import ClientsPage


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> ClientsPage:
    client = service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    service.save_intake(
        db,
        client.id,
        IntakeData(
            recorded_on=date.today(),
            cancer_status=CancerStatus.ACTIVE,
        ),
    )
    widget = ClientsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    widget.open_client(client.id)
    return widget


def test_the_list_hides_and_comes_back_and_the_choice_is_remembered(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    assert page.list_visible()
    workspace_width = page.right.width()
    page.hide_list_button.click()
    qtbot.waitUntil(lambda: page.right.width() > workspace_width + 200)
    assert not page.list_visible() and page.show_list_button.isVisible()
    page.save_state()
    assert QSettings().value("clients/list_hidden", type=bool) is True

    again = ClientsPage(db)
    qtbot.addWidget(again)
    assert not again.list_visible()
    again.focus_search()  # Ctrl+F brings the list back to search it
    assert again.list_visible()


def test_the_shortcut_toggles_the_list(page: ClientsPage) -> None:
    page.toggle_list_action.trigger()
    assert not page.list_visible()
    page.toggle_list_action.trigger()
    assert page.list_visible()


def test_the_body_map_and_notes_on_a_narrow_window_borrow_the_list_width_until_left(
    page: ClientsPage,
) -> None:
    workspace = page.workspace
    workspace.tabs.setCurrentWidget(workspace.bodymap)
    assert not page.list_visible()
    workspace.tabs.setCurrentWidget(workspace.visits)
    assert not page.list_visible()
    workspace.tabs.setCurrentWidget(workspace.plan)
    assert page.list_visible()


def test_a_list_hidden_by_hand_stays_hidden_after_the_body_map(page: ClientsPage) -> None:
    page.set_list_visible(False)
    workspace = page.workspace
    workspace.tabs.setCurrentWidget(workspace.bodymap)
    workspace.tabs.setCurrentWidget(workspace.profile)
    assert not page.list_visible()


def test_alerts_show_once_as_header_chips_and_what_to_do_opens_the_details(
    qtbot: QtBot, page: ClientsPage
) -> None:
    workspace = page.workspace
    banner, header = workspace.banner, workspace.header
    for tab in (workspace.timeline, workspace.profile, workspace.intake, workspace.visits):
        workspace.tabs.setCurrentWidget(tab)
        assert not banner.isVisible()  # the body of the tab gets the height
        assert header.alerts_button.isVisible()
        assert not workspace.intake.alert_preview.isVisible()  # the intake on file: no repeat
    chips = [header.chips.itemAt(i).widget() for i in range(header.chips.count())]
    assert any("Cancer" in chip.toolTip() for chip in chips)  # the chips still say what
    header.alerts_button.click()  # "What to do" opens the full alerts
    assert banner.isVisible() and banner.is_opened()
    header.alerts_button.click()
    assert not banner.isVisible()
    header.alerts_button.click()
    workspace.tabs.setCurrentWidget(workspace.progress)  # another tab folds it again
    assert not banner.isVisible() and not header.alerts_button.isChecked()


def test_the_list_works_before_the_engine_and_a_pick_opens_once_it_is_there(
    qtbot: QtBot, db: Database
) -> None:
    from practice.clients.directory import ClientDirectory

    chloe = service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    service.create_client(db, ClientForm(given_name="Noah", family_name="Smith"))
    directory = ClientDirectory(db.path)
    page = ClientsPage(None, directory=directory)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 2
    page.search.insert("chlo")
    assert page.model.rowCount() == 1
    page.open_client(chloe.id)  # picked while the engine is still loading
    assert page.open_client_id() is None
    page.attach_db(db)
    assert page.open_client_id() == chloe.id
    assert page.workspace.header.name.text() == "Chloé Lefèvre"
    directory.close()


def test_startup_lists_the_clients_before_sqlalchemy_and_the_record_classes_load(
    db: Database,
) -> None:
    """The list is read with sqlite3 into its own rows: neither the engine (about 300 ms) nor
    the classes of a client's whole record (about 9 ms) load before it shows."""
    import subprocess
    import sys

    service.create_client(db, ClientForm(given_name="Chloé", family_name="Lefèvre"))
    folder = db.path.parent
    db.close()  # the app claims the folder itself
    code = (
        "import sys\n"
        "from ui.app import main\n"
        f"main(['--data-dir', {str(folder)!r}])\n"
        "print('sqlalchemy loaded' if 'sqlalchemy' in sys.modules else 'no sqlalchemy')\n"
        "print('records loaded' if 'practice.clients.records' in sys.modules else 'no records')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**__import__("os").environ, "FASCIA_EXIT_AFTER_SHOW": "ready"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "client list ready" in result.stdout
    assert result.stdout.splitlines()[-2:] == ["no sqlalchemy", "no records"]


def test_opening_a_client_builds_only_the_tab_on_screen_and_each_other_tab_when_first_shown(
    qtbot: QtBot, page: ClientsPage
) -> None:
    workspace = page.workspace
    assert workspace.tabs.currentWidget() is workspace.built("timeline")
    others = ("profile", "intake", "bodymap", "consent", "visits", "progress", "plan", "billing")
    assert [name for name in others if workspace.built(name) is not None] == []
    assert [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())][:6] == [
        "Timeline", "Profile", "Intake", "Body map", "Consent", "Visits",
    ]  # fmt: skip

    workspace.tabs.setCurrentIndex(5)  # the therapist clicks Visits
    visits = workspace.built("visits")
    assert visits is not None and workspace.tabs.currentWidget() is visits
    assert visits.client is not None and visits.client.id == workspace.client.id
    assert workspace.tabs.tabText(5) == "Visits" and workspace.tabs.currentIndex() == 5

    page.open_client(None)  # a new client: only the Profile can be used, and it is built
    assert workspace.tabs.currentWidget() is workspace.built("profile")
    assert not workspace.tabs.isTabEnabled(workspace.tabs.indexOf(visits))


def test_ctrl_page_down_and_up_step_through_the_clients_tabs(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from practice.clients import service
    from practice.clients.records import ClientForm
    from ui.clients.workspace import ClientWorkspace

    client = service.create_client(db, ClientForm("Ana", "Peña"))
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_client(client.id)
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    start = workspace.tabs.currentIndex()
    qtbot.keyClick(workspace, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentIndex() == start + 1
    qtbot.keyClick(workspace, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(workspace, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentIndex() == workspace.tabs.count() - 1  # wraps around
