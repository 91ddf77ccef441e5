"""Calendar out: the .ics feed (initials, no clinical detail), kept in a folder; settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from icalendar import Calendar

from practice.errors import ValidationError
from practice.schedule import ics, missed, service
from practice.schedule.records import AppointmentForm, WorkingDay
from practice.schedule.settings import get_settings, save_settings, system_zone_name
from tests.practice.schedule.conftest import NOW, ZONE, Practice, local


def book(p: Practice, start: datetime, notes: str = "") -> int:
    form = AppointmentForm(p.client_id, start, service_id=p.massage.id, notes=notes)
    outcome = service.book(p.db, form, confirm=True, now=NOW)
    assert outcome.appointment is not None
    return outcome.appointment.id


def events(data: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_the_feed_names_clients_by_initials_and_carries_no_notes(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10), notes="Sciatica flare, left side")
    (event,) = events(ics.feed(practice.db, now=NOW))
    assert str(event["SUMMARY"]) == "C.O. · 60-min medical massage"
    assert event.decoded("DTSTART") == datetime(2026, 2, 24, 15, tzinfo=UTC)
    assert "DESCRIPTION" not in event
    assert "Sciatica" not in ics.feed(practice.db, now=NOW).decode()
    assert "Chloé" not in ics.feed(practice.db, now=NOW).decode()
    full = events(ics.feed(practice.db, full_names=True, now=NOW))[0]
    assert str(full["SUMMARY"]).startswith("Chloé O'Brien")


def test_cancelled_appointments_leave_the_feed_and_uids_stay_stable(practice: Practice) -> None:
    kept = book(practice, local(2026, 2, 24, 10))
    gone = book(practice, local(2026, 2, 25, 10))
    before = {str(e["UID"]) for e in events(ics.feed(practice.db, now=NOW))}
    missed.cancel(practice.db, gone, "Sick", now=NOW)
    service.move(practice.db, kept, local(2026, 2, 24, 13), now=NOW)
    after = {str(e["UID"]) for e in events(ics.feed(practice.db, now=NOW))}
    assert len(before) == 2 and after < before


def test_the_feed_is_kept_current_in_the_chosen_folder(practice: Practice, tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    assert ics.refresh_feed(practice.db) is None  # no folder chosen yet
    save_settings(practice.db, replace(get_settings(practice.db), calendar_folder=str(synced)))
    book(practice, local(2026, 2, 24, 10))
    path = ics.refresh_feed(practice.db, now=NOW)
    assert path == synced / ics.FEED_NAME
    assert len(events(path.read_bytes())) == 1
    book(practice, local(2026, 2, 25, 10))
    ics.refresh_feed(practice.db, now=NOW)
    assert len(events(path.read_bytes())) == 2
    assert [p.name for p in synced.iterdir()] == [ics.FEED_NAME]  # no temporary file left


def test_a_failed_write_leaves_the_previous_feed_whole(
    practice: Practice, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from practice.schedule import files

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "feed.ics"
    target.write_bytes(b"previous")

    def disk_full(path: object, data: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(ValidationError, match="No space left"):
        ics.write_feed(practice.db, target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in target.parent.iterdir()] == ["feed.ics"]


def test_the_clients_invitation_has_place_time_and_policy_only(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10), notes="Bring the MRI report")
    (event,) = events(ics.invitation(practice.db, appointment_id))
    assert str(event["SUMMARY"]) == "Appointment at Riverside Medical Massage"
    assert "210 King Street West" in str(event["LOCATION"])
    assert "24 hours' notice" in str(event["DESCRIPTION"])
    assert "MRI" not in ics.invitation(practice.db, appointment_id).decode()


def test_the_default_zone_is_the_computers_and_settings_are_checked(practice: Practice) -> None:
    assert system_zone_name()
    settings = get_settings(practice.db)
    assert settings.time_zone == ZONE
    bad = replace(
        settings,
        time_zone="Mars/Olympus",
        buffer_minutes=-5,
        working_hours=(WorkingDay(0, time(17), time(9)),),
    )
    with pytest.raises(ValidationError) as error:
        save_settings(practice.db, bad)
    assert {"time_zone", "buffer_minutes", "working_hours[0]"} <= set(error.value.errors)
    with pytest.raises(ValidationError, match="folder that exists"):
        save_settings(practice.db, replace(settings, calendar_folder="/no/such/folder"))
    assert get_settings(practice.db) == settings


def test_the_clients_invitation_is_saved_whole_to_a_file(
    practice: Practice, tmp_path: Path
) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10), notes="Sciatica")
    appointment = ics.queries.get_appointment(practice.db, appointment_id)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / ics.invitation_name(appointment)
    assert path.name == "Appointment 2026-02-24 1000.ics"
    ics.write_invitation(practice.db, appointment_id, path)
    (event,) = events(path.read_bytes())
    assert event.decoded("DTSTART") == datetime(2026, 2, 24, 15, tzinfo=UTC)
    assert "Sciatica" not in path.read_text()
    with pytest.raises(ValidationError):
        ics.write_invitation(practice.db, appointment_id, folder / "missing" / "a.ics")
    assert [p.name for p in folder.iterdir()] == [path.name]  # no partial file left
