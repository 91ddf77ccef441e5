"""The Progress view: one chart per measure, MCID bands, hover values and plain verdicts."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QPointF
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.dates import format_day
from practice.store import Database
from practice.visits import measures, outcomes, service
from practice.visits.records import PsfsItem, SoapNote, VisitDraft, VisitForm
from ui.ops import runner
from ui.visits.progress import MeasureChart, ProgressView, day_stamp, mcid_band
from ui.visits.tab import ProgressTab

WEEK = timedelta(weeks=1)


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Ana", "Peña"))


def visits_with_pain(db: Database, client: Client, scores: list[tuple[int, int]]) -> list[date]:
    """Weekly completed visits, the last one a week ago; returns their dates."""
    days = [date.today() - WEEK * (len(scores) - i) for i in range(len(scores))]
    for day, (before, after) in zip(days, scores, strict=True):
        starts_at = datetime.combine(day, time(10)).astimezone()
        note = SoapNote(complaint="Low back", pain_before=before, pain_after=after)
        service.create_visit(db, client.id, VisitDraft(VisitForm(starts_at), note))
    return days


@pytest.fixture
def view(qtbot: QtBot, db: Database) -> ProgressView:
    widget = ProgressView(db)
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def charted(view: ProgressView, client_id: int) -> None:
    """The client's scores charted: read on the op runner, then drawn a few at a time."""
    view.load(client_id)
    runner().wait_idle()
    deadline = clock.monotonic() + 10
    while not view.complete and clock.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def titles(view: ProgressView) -> list[str]:
    return [chart.title.text() for chart in view.charts]


def test_a_client_without_scores_sees_what_will_appear_here(
    view: ProgressView, client: Client
) -> None:
    charted(view, client.id)

    assert view.charts == []
    assert view.stack.currentWidget() is view.empty
    assert "Pain before and after treatment comes from the visit notes" in view.empty.text()


def test_each_measure_gets_a_chart_with_pain_before_and_after_together(
    db: Database, view: ProgressView, client: Client
) -> None:
    days = visits_with_pain(db, client, [(7, 5), (6, 4), (3, 2)])
    outcomes.record_psfs(db, client.id, days[0], [PsfsItem("Tie shoes", 3), PsfsItem("Sit", 4)])
    outcomes.record_psfs(db, client.id, days[-1], [PsfsItem("Tie shoes", 7), PsfsItem("Sit", 8)])
    outcomes.record_sleep_quality(db, client.id, days[1], 5)

    charted(view, client.id)

    assert titles(view) == [
        "Pain (NRS 0-10) at each visit",
        measures.PSFS.name,
        measures.SLEEP_QUALITY.name,
    ]
    pain = view.charts[0]
    assert [curve.label for curve in pain.curves] == ["Before treatment", "After treatment"]
    assert [len(item.xData) for item in pain.plot.getPlotItem().listDataItems()] == [3, 3]
    assert view.stack.currentWidget() is not view.empty


def test_pain_falling_from_7_to_3_reads_as_clinically_meaningful_with_its_source(
    db: Database, view: ProgressView, client: Client
) -> None:
    visits_with_pain(db, client, [(7, 6), (5, 4), (3, 3)])

    charted(view, client.id)

    pain = view.charts[0]
    assert pain.change.meaningful
    before = pain.summary.text().splitlines()[0]
    assert before == "Before treatment: 7 → 3: improved by 4 points (57%); clinically meaningful."
    assert "Farrar" in pain.caption.text() and "2 points or 30%" in pain.caption.text()
    assert "Farrar" in pain.plot.toolTip()


def test_a_one_point_change_in_pain_reads_as_not_clinically_meaningful(
    db: Database, view: ProgressView, client: Client
) -> None:
    visits_with_pain(db, client, [(7, 6), (6, 6)])

    charted(view, client.id)

    pain = view.charts[0]
    assert not pain.change.meaningful
    assert "7 → 6: improved by 1 point (14%); less than the MCID, not clinically meaningful." in (
        pain.summary.text()
    )


def test_the_mcid_band_covers_the_change_too_small_to_count(
    db: Database, view: ProgressView, client: Client
) -> None:
    visits_with_pain(db, client, [(7, 6), (3, 3)])

    charted(view, client.id)

    assert view.charts[0].band == (5, 9)  # Farrar: 2 points (30% of 7 is 2.1) either way
    assert mcid_band(measures.PSFS, 3.5) == (1.5, 5.5)  # Stratford: MDC90 of the mean is 2
    # Headache days: only a 50% fall counts, and no rise is ever judged meaningful.
    assert mcid_band(measures.HEADACHE_DAYS, 10) == (5, 31)
    assert mcid_band(measures.PAIN_EXTENT, 12.5) is None  # no published MCID: no band


def test_pointing_at_a_point_shows_its_date_and_value(
    qtbot: QtBot, db: Database, view: ProgressView, client: Client
) -> None:
    days = visits_with_pain(db, client, [(7, 6), (5, 4), (3, 3)])
    charted(view, client.id)
    pain: MeasureChart = view.charts[0]
    box = pain.plot.getPlotItem().getViewBox()
    second = QPointF(day_stamp(days[1]), 5)

    def point_at_second_visit() -> None:
        """Move the pointer near the point (again: the first layout may still be settling)."""
        pain.plot.scene().sigMouseMoved.emit(box.mapViewToScene(second) + QPointF(3, -2))
        assert pain.hover.isVisible()

    qtbot.waitUntil(point_at_second_visit)
    assert pain.hover.textItem.toPlainText() == f"{format_day(days[1])}\nBefore treatment: 5"
    pain.plot.scene().sigMouseMoved.emit(box.sceneBoundingRect().topLeft() + QPointF(1, 1))
    qtbot.waitUntil(lambda: not pain.hover.isVisible())


def test_the_progress_tab_draws_its_charts_when_it_is_shown(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    visits_with_pain(db, client, [(6, 4)])
    tab = ProgressTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    assert tab.view is None  # nothing is drawn for a tab nobody looks at

    tab.show()
    qtbot.waitExposed(tab)
    runner().wait_idle()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.complete)

    assert tab.view is not None
    assert titles(tab.view) == ["Pain (NRS 0-10) at each visit"]
