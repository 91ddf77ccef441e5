"""Booking, moving and resizing appointments; warnings as data; the day, week and month views."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from practice.changes import Changes
from practice.errors import NotFoundError, ValidationError
from practice.schedule import queries, service
from practice.schedule.records import (
    AppointmentForm,
    AppointmentState,
    ScheduleConflict,
    WarningKind,
    derive_state,
)
from practice.schedule.settings import get_settings, save_settings
from practice.store import audit
from tests.practice.schedule.conftest import NOW, ZONE, Practice, local


def book(p: Practice, start: datetime, *, confirm: bool = False) -> int:
    form = AppointmentForm(p.client_id, start, service_id=p.massage.id)
    outcome = service.book(p.db, form, confirm=confirm, now=NOW)
    assert outcome.saved, outcome.warnings
    assert outcome.appointment is not None
    return outcome.appointment.id


def test_a_booking_keeps_utc_and_the_practice_zone_and_shows_local_time(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10, 0))
    saved = queries.get_appointment(practice.db, appointment_id)
    assert saved.starts_at == datetime(2026, 2, 24, 15, 0, tzinfo=UTC)
    assert saved.time_zone == ZONE
    assert (saved.local_start.hour, saved.local_end.hour) == (10, 11)
    assert saved.duration_minutes == 60  # the service's length
    assert saved.state is AppointmentState.BOOKED
    assert saved.client_initials == "C.O."
    assert saved.service_name == "60-min medical massage"


def test_a_booking_answers_what_it_changed_for_the_ui(practice: Practice) -> None:
    form = AppointmentForm(
        practice.client_id, local(2026, 2, 24, 10), service_id=practice.massage.id
    )
    outcome = service.book(practice.db, form, now=NOW)
    assert outcome.changes == Changes.of("appointment", client_id=practice.client_id)


def test_an_end_before_the_start_is_refused_next_to_the_end(practice: Practice) -> None:
    form = AppointmentForm(
        practice.client_id, local(2026, 2, 24, 10), ends_at=local(2026, 2, 24, 9, 30)
    )
    with pytest.raises(ValidationError) as error:
        service.book(practice.db, form, now=NOW)
    assert "ends before it starts" in error.value.errors["ends_at"]
    assert queries.client_appointments(practice.db, practice.client_id) == []


@pytest.mark.parametrize("minutes", [0, -30, 481, True, 1.5])
def test_a_zero_negative_or_absurd_length_is_refused(practice: Practice, minutes: object) -> None:
    form = AppointmentForm(practice.client_id, local(2026, 2, 24, 10), duration_minutes=minutes)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as error:
        service.book(practice.db, form, now=NOW)
    assert "duration_minutes" in error.value.errors


def test_a_service_without_a_length_needs_one_typed(practice: Practice) -> None:
    form = AppointmentForm(practice.client_id, local(2026, 2, 24, 10))
    with pytest.raises(ValidationError, match="length"):
        service.book(practice.db, form, now=NOW)


def test_an_overlap_comes_back_as_a_warning_and_nothing_is_saved(practice: Practice) -> None:
    first = book(practice, local(2026, 2, 24, 10))
    form = AppointmentForm(practice.caller_id, local(2026, 2, 24, 10, 30), duration_minutes=30)
    outcome = service.book(practice.db, form, now=NOW)
    assert not outcome.saved and outcome.appointment is None
    assert [w.kind for w in outcome.warnings] == [WarningKind.OVERLAP]
    assert outcome.warnings[0].other_id == first
    assert "Chloé O'Brien" in outcome.warnings[0].message
    assert outcome.changes == Changes()
    assert queries.client_appointments(practice.db, practice.caller_id) == []


def test_a_confirmed_overlap_is_saved_with_the_warning_it_accepted(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10))
    form = AppointmentForm(practice.caller_id, local(2026, 2, 24, 10, 30), duration_minutes=30)
    outcome = service.book(practice.db, form, confirm=True, now=NOW)
    assert outcome.saved
    assert [w.kind for w in outcome.warnings] == [WarningKind.OVERLAP]


def test_a_strict_caller_gets_the_conflict_as_an_error(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10))
    form = AppointmentForm(practice.caller_id, local(2026, 2, 24, 10, 30), duration_minutes=30)
    with pytest.raises(ScheduleConflict) as error:
        service.book(practice.db, form, strict=True, now=NOW)
    assert error.value.warnings[0].kind is WarningKind.OVERLAP
    assert "Overlaps" in error.value.errors["starts_at"]


def test_less_than_the_buffer_between_sessions_is_warned_about(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10))  # ends 11:00; the buffer is 15 minutes
    form = AppointmentForm(practice.caller_id, local(2026, 2, 24, 11, 10), duration_minutes=30)
    outcome = service.book(practice.db, form, now=NOW)
    assert [w.kind for w in outcome.warnings] == [WarningKind.BUFFER]
    assert "10 minutes" in outcome.warnings[0].message
    fine = AppointmentForm(practice.caller_id, local(2026, 2, 24, 11, 15), duration_minutes=30)
    assert service.book(practice.db, fine, now=NOW).saved


def test_times_outside_working_hours_or_in_a_break_ask_for_confirmation(practice: Practice) -> None:
    checks = {
        local(2026, 2, 24, 8, 0): WarningKind.OUTSIDE_HOURS,  # before 9
        local(2026, 2, 24, 16, 30): WarningKind.OUTSIDE_HOURS,  # ends after 17
        local(2026, 2, 24, 11, 30): WarningKind.BREAK,  # runs into lunch at 12
        local(2026, 2, 28, 10, 0): WarningKind.OUTSIDE_HOURS,  # a Saturday
    }
    for start, kind in checks.items():
        warnings = service.check_slot(practice.db, start, duration_minutes=60)
        assert [w.kind for w in warnings] == [kind], start


def test_a_time_already_past_is_warned_about(practice: Practice) -> None:
    form = AppointmentForm(
        practice.client_id, local(2026, 2, 19, 10), service_id=practice.massage.id
    )
    outcome = service.book(practice.db, form, now=NOW)
    assert [w.kind for w in outcome.warnings] == [WarningKind.PAST]


def test_moving_keeps_the_length_and_a_confirmation_is_asked_again(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    service.confirm_appointment(practice.db, appointment_id)
    moved = service.move(practice.db, appointment_id, local(2026, 2, 25, 14), now=NOW)
    assert moved.saved and moved.appointment is not None
    assert moved.appointment.local_start.replace(tzinfo=None) == local(2026, 2, 25, 14)
    assert moved.appointment.duration_minutes == 60
    assert moved.appointment.state is AppointmentState.BOOKED  # confirmed for the old time


def test_a_move_onto_another_appointment_is_unsaved_and_answers_the_unchanged_one(
    practice: Practice,
) -> None:
    book(practice, local(2026, 2, 24, 10))
    other = service.book(
        practice.db,
        AppointmentForm(practice.caller_id, local(2026, 2, 24, 14), duration_minutes=30),
        now=NOW,
    ).appointment
    assert other is not None
    outcome = service.move(practice.db, other.id, local(2026, 2, 24, 10, 15), now=NOW)
    assert not outcome.saved
    assert outcome.appointment == other


def test_resizing_by_the_end_or_the_length(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    longer = service.resize(
        practice.db, appointment_id, ends_at=local(2026, 2, 24, 11, 30), now=NOW
    )
    assert longer.appointment is not None and longer.appointment.duration_minutes == 90
    shorter = service.resize(practice.db, appointment_id, duration_minutes=45, now=NOW)
    assert shorter.appointment is not None and shorter.appointment.duration_minutes == 45
    with pytest.raises(ValidationError):
        service.resize(practice.db, appointment_id, ends_at=local(2026, 2, 24, 10), now=NOW)


def test_moving_does_not_warn_about_the_appointment_itself(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = service.move(practice.db, appointment_id, local(2026, 2, 24, 10, 30), now=NOW)
    assert outcome.saved and outcome.warnings == ()


def test_confirm_and_arrive_follow_the_day(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    assert service.confirm_appointment(practice.db, appointment_id).appointment.state is (  # type: ignore[union-attr]
        AppointmentState.CONFIRMED
    )
    with pytest.raises(ValidationError, match="not today"):
        service.mark_arrived(practice.db, appointment_id, now=NOW)
    on_the_day = datetime(2026, 2, 24, 14, 55, tzinfo=UTC)
    arrived = service.mark_arrived(practice.db, appointment_id, now=on_the_day).appointment
    assert arrived is not None and arrived.state is AppointmentState.ARRIVED
    with pytest.raises(ValidationError, match="arrived"):
        service.move(practice.db, appointment_id, local(2026, 2, 24, 12), now=on_the_day)


def test_an_unknown_appointment_or_client_is_refused_plainly(practice: Practice) -> None:
    with pytest.raises(NotFoundError):
        service.confirm_appointment(practice.db, 999)
    with pytest.raises(NotFoundError):
        service.book(practice.db, AppointmentForm(999, local(2026, 2, 24, 10), 60), now=NOW)
    with pytest.raises(ValidationError):
        service.book(practice.db, AppointmentForm(2**70, local(2026, 2, 24, 10), 60), now=NOW)


def test_every_change_is_in_the_audit_trail(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    service.move(practice.db, appointment_id, local(2026, 2, 24, 13), now=NOW)
    with practice.db.read() as session:
        entries = audit.entries(session, client_id=practice.client_id, limit=50)
    mine = [e for e in entries if e.entity == "appointment"]
    assert [e.action for e in mine] == ["update", "create"]
    assert "starts_at" in mine[0].changes


def test_the_week_view_gets_hours_breaks_and_appointments_in_one_call(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10))
    book(practice, local(2026, 3, 3, 10))
    week = queries.week_schedule(practice.db, date(2026, 2, 25))
    assert week.first_day == date(2026, 2, 23)  # Monday
    assert [len(d.appointments) for d in week.days] == [0, 1, 0, 0, 0, 0, 0]
    tuesday = week.days[1]
    assert tuesday.opens_at == datetime(2026, 2, 24, 14, 0, tzinfo=UTC)  # 9:00 in Toronto
    assert len(tuesday.breaks) == 1
    assert week.days[5].opens_at is None  # Saturday off
    assert week.buffer_minutes == 15 and week.time_zone == ZONE
    following = queries.week_schedule(practice.db, date(2026, 3, 2))
    assert len(following.appointments) == 1


def test_a_week_starting_on_sunday_and_a_month(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 10))
    week = queries.week_schedule(practice.db, date(2026, 2, 25), first_weekday=6)
    assert week.first_day == date(2026, 2, 22)
    month = queries.month_schedule(practice.db, 2026, 2)
    assert len(month.days) == 28 and len(month.appointments) == 1
    with pytest.raises(ValidationError):
        queries.schedule_range(practice.db, date(2026, 2, 1), 400)


def test_the_day_boundaries_are_the_practices_not_utc(practice: Practice) -> None:
    book(practice, local(2026, 2, 24, 20), confirm=True)  # 01:00 UTC the next day
    tuesday = queries.day_schedule(practice.db, date(2026, 2, 24))
    assert len(tuesday.appointments) == 1
    assert queries.day_schedule(practice.db, date(2026, 2, 25)).appointments == ()


def test_today_lists_the_day_with_each_clients_alerts(practice: Practice) -> None:
    from practice.clients import service as clients
    from practice.clients.intake import IntakeData, Medication, MedicationFlag

    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        practice.db, practice.client_id, IntakeData(date(2026, 2, 1), medications=(warfarin,))
    )
    book(practice, local(2026, 2, 24, 13))
    book(practice, local(2026, 2, 24, 9))
    today = queries.today(practice.db, date(2026, 2, 24))
    assert [i.appointment.local_start.hour for i in today.items] == [9, 13]
    assert today.items[0].alerts and today.items[0].alerts[0].level.restricts_deep_work
    assert today.next_up is not None and today.next_up.appointment.local_start.hour == 9


def test_derived_states_follow_the_visit_and_the_invoice() -> None:
    assert derive_state("booked", None, False, False) is AppointmentState.BOOKED
    assert derive_state("arrived", "completed", False, False) is AppointmentState.COMPLETED
    assert derive_state("arrived", "completed", True, False) is AppointmentState.NOTE_SIGNED
    assert derive_state("arrived", "completed", True, True) is AppointmentState.BILLED
    assert derive_state("arrived", "no_show", False, False) is AppointmentState.NO_SHOW
    assert derive_state("cancelled", "completed", True, True) is AppointmentState.CANCELLED


def test_the_first_booking_pins_the_zone_it_was_made_in(db) -> None:  # type: ignore[no-untyped-def]
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    client = clients.create_client(db, ClientForm(given_name="Ana"))
    start = datetime.combine(date.today() + timedelta(days=30), time(10))
    service.book(db, AppointmentForm(client.id, start, 60), confirm=True)
    pinned = get_settings(db)
    save_settings(db, pinned.__class__(time_zone="Europe/Paris"))
    appointment = queries.client_appointments(db, client.id)[0]
    assert appointment.time_zone == pinned.time_zone  # booked in the zone of the day
    assert appointment.local_start.hour == 10
