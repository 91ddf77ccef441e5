"""Calendar out on screen: choosing the folder the .ics file is kept current in (initials by
default), the file following the schedule, and one appointment saved as .ics for the client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.schedule import ics, queries, service
from practice.schedule.records import AppointmentForm, ScheduleSettings, WorkingDay
from practice.schedule.settings import get_settings, save_settings
from practice.store import Database
from ui.ops import runner
from ui.schedule.calendar_feed import CalendarFeed
from ui.schedule.page import SchedulePage
from ui.schedule.settings_dialog import ScheduleSettingsDialog, Tab

PATIENCE_MS = 20_000
CALENDAR_TAB = Tab.CALENDAR


def _until(qtbot: QtBot, condition: Callable[[], object]) -> None:
    qtbot.waitUntil(condition, timeout=PATIENCE_MS)


@pytest.fixture
def practice(db: Database, consent: Callable[[int], None]) -> tuple[Database, int]:
    save_settings(
        db,
        ScheduleSettings(
            time_zone="UTC",
            working_hours=tuple(WorkingDay(d, time(7), time(21)) for d in range(7)),
        ),
    )
    client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien")).id
    consent(client)
    return db, client


def _book(db: Database, client_id: int, hour: int, notes: str = "") -> int:
    day = datetime.now(UTC).date() + timedelta(days=1)
    form = AppointmentForm(client_id, datetime.combine(day, time(hour), UTC), 60, notes=notes)
    outcome = service.book(db, form, confirm=True)
    assert outcome.appointment is not None
    return outcome.appointment.id


def _summaries(path: Path) -> list[str]:
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]


def _settings(qtbot: QtBot, db: Database) -> ScheduleSettingsDialog:
    dialog = ScheduleSettingsDialog(db, tab=CALENDAR_TAB)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: runner().idle and dialog.loaded is not None)
    return dialog


def test_the_chosen_folder_gets_the_calendar_with_initials_only_by_default(
    qtbot: QtBot, practice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, client_id = practice
    _book(db, client_id, 10, notes="Sciatica, left")
    synced = tmp_path / "Nextcloud 日历"
    synced.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(synced))
    dialog = _settings(qtbot, db)
    assert not dialog.full_names.isChecked()
    choose = next(
        b for b in dialog.findChildren(QWidget) if b.accessibleName().startswith("Choose the cal")
    )
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.folder.text() == str(synced)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    feed = synced / ics.FEED_NAME
    assert _summaries(feed) == ["C.O."]
    assert "Sciatica" not in feed.read_text() and "Chloé" not in feed.read_text()
    assert get_settings(db).calendar_folder == str(synced)

    dialog = _settings(qtbot, db)
    assert dialog.folder.text() == str(synced)
    dialog.full_names.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    assert _summaries(feed) == ["Chloé O'Brien"]


def test_a_folder_that_is_not_there_is_refused_next_to_it_and_nothing_saved(
    qtbot: QtBot, practice, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, _ = practice
    dialog = _settings(qtbot, db)
    dialog.folder.setText(str(tmp_path / "gone"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(
        qtbot, lambda: bool(runner().idle and dialog.calendar.errors["calendar_folder"].message())
    )
    assert "folder that exists" in dialog.calendar.errors["calendar_folder"].message()
    assert dialog.tabs.currentIndex() == CALENDAR_TAB
    assert get_settings(db).calendar_folder == ""
    dialog.reject()


def test_the_file_follows_the_schedule_and_a_missing_folder_is_said_once(
    qtbot: QtBot, practice, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, client_id = practice
    folder = tmp_path / "synced"
    folder.mkdir()
    settings = get_settings(db)
    save_settings(db, ScheduleSettings(**{**_fields(settings), "calendar_folder": str(folder)}))
    owner = QWidget()
    qtbot.addWidget(owner)
    keeper = CalendarFeed(db, owner)
    _until(qtbot, lambda: runner().idle and keeper.written == 1)
    assert _summaries(folder / ics.FEED_NAME) == []
    _book(db, client_id, 10)
    _book(db, client_id, 14)
    runner().announce(Changes.of("appointment", client_id=client_id))
    _until(qtbot, lambda: runner().idle and keeper.written == 2)
    assert _summaries(folder / ics.FEED_NAME) == ["C.O.", "C.O."]

    said: list[str] = []
    keeper.status.connect(said.append)
    (folder / ics.FEED_NAME).unlink()
    folder.rmdir()
    for _ in range(2):
        keeper.refresh()
        _until(qtbot, lambda: runner().idle)
    assert len(said) == 1 and "choose it again" in said[0]


def _fields(settings: ScheduleSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}


def test_save_ics_for_the_client_writes_the_appointment_where_chosen(
    qtbot: QtBot, practice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, client_id = practice
    appointment_id = _book(db, client_id, 10, notes="Door code 1234")
    offered: list[str] = []

    def save_as(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(tmp_path / "for Chloé"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    page = SchedulePage(db)
    qtbot.addWidget(page)
    page.open_appointment(queries.get_appointment(db, appointment_id))
    dialog = page.dialog
    assert dialog is not None
    _until(qtbot, lambda: runner().idle and dialog.choices is not None)
    button = dialog.action_buttons["ics"]
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and (tmp_path / "for Chloé.ics").exists())
    assert Path(offered[0]).name.startswith("Appointment ") and "Chlo" not in offered[0]
    data = (tmp_path / "for Chloé.ics").read_bytes()
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("DTSTART") == queries.get_appointment(db, appointment_id).starts_at
    assert b"Door code" not in data
    dialog.reject()
