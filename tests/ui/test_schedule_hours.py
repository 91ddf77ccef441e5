"""Edit > Schedule settings, Working hours and Fee policy, driven as a therapist would: the zone
found by typing, a day's hours and breaks, the buffer and the fees stored in the core, bad
input refused next to its day or field, and the week view redrawn with the new hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from pytestqt.qtbot import QtBot

from practice.schedule.records import FeePolicy, ScheduleSettings, WorkingDay
from practice.schedule.settings import get_settings, save_settings
from practice.store import Database
from ui.ops import runner
from ui.schedule.page import SchedulePage
from ui.schedule.settings_dialog import ScheduleSettingsDialog, Tab

PATIENCE_MS = 20_000
ZONE = "America/Toronto"


def _until(qtbot: QtBot, condition: Callable[[], object]) -> None:
    qtbot.waitUntil(condition, timeout=PATIENCE_MS)


@pytest.fixture
def practice(db: Database) -> Database:
    save_settings(db, ScheduleSettings(time_zone=ZONE))
    return db


def _dialog(qtbot: QtBot, db: Database, tab: int = Tab.HOURS) -> ScheduleSettingsDialog:
    dialog = ScheduleSettingsDialog(db, tab=tab)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: runner().idle and dialog.loaded is not None)
    return dialog


def _type(qtbot: QtBot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what the field holds and type over it, as a person would."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def _save(qtbot: QtBot, dialog: ScheduleSettingsDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: (runner().idle and dialog.save_button.isEnabled()) or dialog.result())


def test_the_tab_shows_the_stored_week_zone_and_buffer(qtbot: QtBot, practice: Database) -> None:
    dialog = _dialog(qtbot, practice)
    week = dialog.working.week
    assert dialog.tabs.currentIndex() == Tab.HOURS
    assert dialog.working.zone.zone() == ZONE
    assert dialog.working.zone.currentText() == dialog.working.zone.itemText(
        dialog.working.zone.currentIndex()
    )  # the list opens on it
    assert [tick.isChecked() for tick in week.open] == [True] * 5 + [False] * 2
    assert week.starts[0].time() == QTime(9, 0) and week.ends[4].time() == QTime(17, 0)
    assert week.breaks[2].text() == "12:00\u201313:00"
    assert not week.breaks[6].isEnabled()  # a day off has nothing to type
    assert dialog.working.buffer.value() == 15
    assert not dialog.working.zone_note.isVisible()
    dialog.reject()


def test_hours_breaks_buffer_and_fees_are_stored_and_the_week_view_redraws(
    qtbot: QtBot, practice: Database
) -> None:
    page = SchedulePage(practice)
    qtbot.addWidget(page)
    page.show()
    _until(qtbot, lambda: runner().idle and page.schedule is not None)
    monday = date.today() - timedelta(days=date.today().weekday())
    page.go_to(monday)
    _until(qtbot, lambda: runner().idle and page.schedule.days[0].day == monday)
    assert page.schedule.days[5].opens_at is None  # Saturday off

    dialog = _dialog(qtbot, practice)
    week = dialog.working.week
    week.starts[0].setTime(QTime(8, 0))
    week.ends[0].setTime(QTime(14, 30))
    _type(qtbot, week.breaks[0], "10:30-10:45, 12:00 to 12:30")
    qtbot.mouseClick(week.open[5], Qt.MouseButton.LeftButton)  # open on Saturday
    assert week.starts[5].isEnabled()
    week.breaks[1].clear()
    _type(qtbot, dialog.working.buffer, "20")
    dialog.tabs.setCurrentIndex(Tab.FEES)
    fees = dialog.fee_policy
    _type(qtbot, fees.notice, "48")
    _type(qtbot, fees.late, "40")
    qtbot.mouseClick(fees.waive, Qt.MouseButton.LeftButton)
    assert "a late cancellation costs $32.00" in fees.example.text()  # the practice's money
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted

    stored = get_settings(practice)
    assert stored.day(0) == WorkingDay(
        0, time(8), time(14, 30), ((time(10, 30), time(10, 45)), (time(12), time(12, 30)))
    )
    assert stored.day(1).breaks == () and stored.day(5).open
    assert stored.buffer_minutes == 20
    assert stored.fees == FeePolicy(48, 40, 100, waive_first=False)

    _until(qtbot, lambda: runner().idle and page.schedule.buffer_minutes == 20)
    shown = page.grid.schedule
    assert shown is not None and shown.days[0].day == monday
    zone = stored.zone
    opens = datetime.combine(monday, time(8), zone).astimezone(UTC)
    assert shown.days[0].opens_at == opens
    assert shown.days[0].breaks[0][0] == datetime.combine(monday, time(10, 30), zone).astimezone(
        UTC
    )
    assert shown.days[5].opens_at is not None  # Saturday is shaded open now


def test_a_day_ending_before_it_starts_and_overlapping_breaks_are_refused_by_their_days(
    qtbot: QtBot, practice: Database
) -> None:
    before = get_settings(practice)
    dialog = _dialog(qtbot, practice, Tab.FEES)
    week = dialog.working.week
    week.starts[1].setTime(QTime(17, 0))
    week.ends[1].setTime(QTime(9, 0))
    _type(qtbot, week.breaks[2], "12:00-13:00, 12:30-14:00")
    _type(qtbot, week.breaks[3], "lunch")
    _save(qtbot, dialog)
    _until(qtbot, lambda: bool(week.errors["working_hours[1]"].message()))
    assert "ends before it starts" in week.errors["working_hours[1]"].message()
    assert "do not overlap" in week.errors["working_hours[2]"].message()
    assert "is not a break" in week.errors["working_hours[3]"].message()
    assert week.errors["working_hours[0]"].message() == ""
    assert dialog.tabs.currentIndex() == Tab.HOURS  # the wrong fields' tab comes forward
    assert dialog.isVisible() and get_settings(practice) == before
    week.starts[1].setTime(QTime(8, 0))
    week.ends[1].setTime(QTime(18, 0))
    _type(qtbot, week.breaks[2], "12:00-13:00")
    _type(qtbot, week.breaks[3], "")
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert (get_settings(practice).day(1).start, get_settings(practice).day(1).end) == (
        time(8),
        time(18),
    )


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # offscreen popups
def test_an_unknown_zone_is_refused_and_a_new_zone_says_what_happens_to_appointments(
    qtbot: QtBot, practice: Database
) -> None:
    dialog = _dialog(qtbot, practice)
    zone = dialog.working.zone
    _type(qtbot, zone.lineEdit(), "Mars/Olympus")
    assert not dialog.working.zone_note.isVisible()
    _save(qtbot, dialog)
    _until(qtbot, lambda: bool(dialog.working.top.errors["time_zone"].message()))
    assert "Choose the practice's time zone" in dialog.working.top.errors["time_zone"].message()
    assert get_settings(practice).time_zone == ZONE

    _type(qtbot, zone.lineEdit(), "paris")
    completer = zone.completer()
    assert completer.completionCount() >= 1 and completer.currentCompletion() == "Europe/Paris"
    _type(qtbot, zone.lineEdit(), "Europe/Paris")
    note = dialog.working.zone_text.text()
    assert dialog.working.zone_note.isVisible()
    assert "keep their moment in time" in note and "in Europe/Paris" in note
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert get_settings(practice).time_zone == "Europe/Paris"


def test_the_buffer_and_fees_take_no_negative_or_not_a_number(
    qtbot: QtBot, practice: Database
) -> None:
    dialog = _dialog(qtbot, practice)
    for text in ("-5", "nan", "inf", "99999999999"):
        _type(qtbot, dialog.working.buffer, text)
        assert 0 <= dialog.working.buffer.value() <= 240
    dialog.tabs.setCurrentIndex(Tab.FEES)
    for text in ("-50", "nan", "1e9"):
        _type(qtbot, dialog.fee_policy.late, text)
        assert 0 <= dialog.fee_policy.late.value() <= 100
    _save(qtbot, dialog)
    stored = get_settings(practice)
    assert 0 <= stored.buffer_minutes <= 240 and 0 <= stored.fees.late_cancel_percent <= 100
