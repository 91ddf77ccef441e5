"""The Body map tab: empty state, saving a chart into the history, and comparing two charts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from practice.bodymap import service
from practice.bodymap.chart import ChartData, RegionMark
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.dates import format_day
from practice.store import Database
from ui.bodymap.tab import BodyMapTab
from ui.ops import runner

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
    qtbot.waitUntil(lambda: runner().idle)

    assert not tab.is_dirty()
    assert tab.chart_id is not None
    stored = service.get_chart(db, tab.chart_id)
    assert stored.charted_on == date(2024, 3, 1)
    assert stored.data.marks == (RegionMark(FOREHEAD, 6),)
    assert tab.history.topLevelItemCount() == 1
    row = tab.history.topLevelItem(0)
    assert [row.text(c) for c in (0, 1, 3)] == [format_day(date(2024, 3, 1)), "1", "6/10"]


def test_a_future_date_is_refused_with_a_plain_message(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    tab.load(client)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    tab.date_field.set_value(date(date.today().year + 1, 1, 1))
    assert not tab.save()
    assert tab.error.message() == "The chart date is in the future."
    assert service.chart_history(db, client.id) == []


def paint(qtbot: QtBot, tab: BodyMapTab, region: str) -> None:
    editor = tab.editor
    point = editor.view.mapFromScene(QPointF(*editor.atlas.region(region).label_point))
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_a_stroke_drawn_while_the_chart_saves_stays_unsaved(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    tab.load(client)
    qtbot.mouseClick(tab.empty_button, Qt.MouseButton.LeftButton)
    tab.editor.set_intensity(6)
    paint(qtbot, tab, FOREHEAD)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.save_button.isEnabled()  # a second click cannot save twice
    paint(qtbot, tab, NECK)  # drawn while the first stroke is written
    qtbot.waitUntil(lambda: runner().idle)
    assert tab.is_dirty()
    [row] = service.chart_history(db, client.id)
    assert service.get_chart(db, row.id).data.marks == (RegionMark(FOREHEAD, 6),)
    assert tab.save()  # Ctrl+S: the neck goes into a new version of the same chart
    assert not tab.is_dirty()
    [row] = service.chart_history(db, client.id)
    assert {m.region for m in service.get_chart(db, row.id).data.marks} == {FOREHEAD, NECK}


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
    settled(qtbot)
    assert tab.date_field.text() == "2024-03-10"

    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)

    view = tab.compare
    assert tab.stack.currentWidget() is view
    assert view.before_combo.currentText().startswith("Jan 10, 2024")
    assert view.after_combo.currentText().startswith("Mar 10, 2024")
    assert view.region_names("added") == ["Right neck (front)"]
    assert view.region_names("improved") == ["Forehead"]
    panel_text = [w.text() for w in view.panel.findChildren(QLabel)]
    assert "Right neck (front)" in panel_text


def settled(qtbot: QtBot) -> None:
    """Until what the tab reads on the op runner (a chart, its versions) is shown."""
    qtbot.waitUntil(lambda: runner().idle)


def _visit(db: Database, client: Client, days_ago: int = 1) -> int:
    from datetime import datetime, time, timedelta

    from practice.visits import service as visits
    from practice.visits.records import SoapNote, VisitDraft, VisitForm

    starts = datetime.combine(date.today() - timedelta(days=days_ago), time(10)).astimezone()
    draft = VisitDraft(VisitForm(starts), SoapNote(complaint="Headache"))
    return visits.create_visit(db, client.id, draft).visit.id


def test_charting_a_visit_starts_from_the_last_chart_and_binds_the_save_to_it(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    last = ChartData(marks=(RegionMark(NECK, 4),))
    service.save_chart(db, client.id, date.today() - timedelta(days=10), last)
    visit_id = _visit(db, client)
    tab.edit_visit_chart(client, visit_id)
    qtbot.waitUntil(lambda: runner().idle)  # the visit is read on the op runner
    assert tab.editor.chart() == last, "started from the last chart"
    assert tab.date_field.value() == date.today() - timedelta(days=1)
    assert not tab.date_field.isEnabled(), "a visit's chart is dated the visit's day"
    assert "Charted at the visit of" in tab.context.text()

    with qtbot.waitSignal(tab.visit_chart_saved) as saved:
        assert tab.save()
    assert saved.args == [visit_id]
    bound = service.get_chart(db, tab.chart_id or 0)
    assert (bound.visit_id, bound.source) == (visit_id, "visit")
    assert bound.data == last


def test_editing_keeps_every_version_and_an_earlier_one_can_be_shown(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    first = service.save_chart(db, client.id, date(2024, 3, 1), ChartData((RegionMark(NECK, 7),)))
    tab.load(client)
    settled(qtbot)  # the chart is read on the op runner
    assert tab.chart_id == first.id
    tab.editor.set_chart(ChartData((RegionMark(NECK, 3),)), "edit")
    assert tab.save()
    assert tab.chart_id != first.id
    settled(qtbot)  # its versions
    assert tab.versions.isVisible() and tab.versions.count() == 2
    tab.versions.activated.emit(0)
    settled(qtbot)
    assert tab.chart is not None and tab.chart.id == first.id and not tab.chart.current
    assert tab.editor.chart().marks == (RegionMark(NECK, 7),), "the earlier drawing, as it was"
    assert "earlier version" in tab.context.text()
    assert tab.history.topLevelItemCount() == 1


def test_a_chart_of_a_signed_visit_is_never_lost_it_is_saved_as_a_new_chart(
    qtbot: QtBot, tab: BodyMapTab, client: Client, db: Database
) -> None:
    from practice.visits import service as visits
    from practice.visits.charts import save_visit_chart

    visit_id = _visit(db, client, days_ago=3)
    locked = save_visit_chart(db, visit_id, ChartData((RegionMark(NECK, 6),)))
    visits.sign_visit(db, visit_id, without_consent=True)
    tab.load(client)
    settled(qtbot)
    assert tab.chart_id == locked.id
    assert "locked with its signed note" in tab.context.text()
    assert tab.save_button.text() == "Save as a new chart"
    tab.editor.set_chart(ChartData((RegionMark(NECK, 2),)), "edit")
    assert tab.save()
    assert service.get_chart(db, locked.id).data.marks == (RegionMark(NECK, 6),)
    fresh = service.get_chart(db, tab.chart_id or 0)
    assert fresh.visit_id is None and fresh.charted_on == date.today()
    assert fresh.data.marks == (RegionMark(NECK, 2),)
