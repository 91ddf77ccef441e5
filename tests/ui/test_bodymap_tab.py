"""The Body map tab: empty state, saving a chart into the history, and comparing two charts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from practice.bodymap import service
from practice.bodymap.chart import ChartData, RegionMark
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.store import Database
from ui.bodymap.tab import BodyMapTab

FOREHEAD = "F_HEAD_FOREHEAD"
NECK = "F_NECK_R"


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Ada", "Moreau", date_of_birth=date(1980, 1, 2)))


@pytest.fixture
def tab(qtbot: QtBot, db: Database) -> BodyMapTab:
    widget = BodyMapTab(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_client_without_charts_sees_the_empty_state(tab: BodyMapTab, client: Client) -> None:
    tab.load(client)
    assert tab.stack.currentWidget() is tab.empty
    assert not tab.is_dirty()


def test_a_painted_chart_saved_through_the_tab_is_stored_and_listed(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    tab.load(client)
    qtbot.mouseClick(tab.empty_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    editor.set_intensity(6)
    point = editor.view.mapFromScene(QPointF(*editor.atlas.region(FOREHEAD).label_point))
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    tab.date_field.set_value(date(2024, 3, 1))
    assert tab.is_dirty()

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    assert not tab.is_dirty()
    assert tab.chart_id is not None
    stored = service.get_chart(db, tab.chart_id)
    assert stored.charted_on == date(2024, 3, 1)
    assert stored.data.marks == (RegionMark(FOREHEAD, 6),)
    assert tab.history.topLevelItemCount() == 1
    row = tab.history.topLevelItem(0)
    assert [row.text(c) for c in (0, 1, 3)] == ["2024-03-01", "1", "6/10"]


def test_a_future_date_is_refused_with_a_plain_message(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    tab.load(client)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    tab.date_field.set_value(date(date.today().year + 1, 1, 1))
    assert not tab.save()
    assert tab.error.message() == "The chart date is in the future."
    assert service.chart_history(db, client.id) == []


def test_compare_shows_first_against_latest_and_names_an_added_region(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    first = ChartData(marks=(RegionMark(FOREHEAD, 6),))
    service.save_chart(db, client.id, date(2024, 1, 10), first)
    service.save_chart(
        db, client.id, date(2024, 2, 10), ChartData(marks=(RegionMark(FOREHEAD, 2),))
    )
    latest = ChartData(marks=(RegionMark(FOREHEAD, 3), RegionMark(NECK, 5)))
    service.save_chart(db, client.id, date(2024, 3, 10), latest)
    tab.load(client)
    assert tab.date_field.text() == "2024-03-10"

    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)

    view = tab.compare
    assert tab.stack.currentWidget() is view
    assert view.before_combo.currentText().startswith("2024-01-10")
    assert view.after_combo.currentText().startswith("2024-03-10")
    assert view.region_names("added") == ["Right neck (front)"]
    assert view.region_names("improved") == ["Forehead"]
    panel_text = [w.text() for w in view.panel.findChildren(QLabel)]
    assert "Right neck (front)" in panel_text
