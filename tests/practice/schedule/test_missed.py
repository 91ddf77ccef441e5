"""Cancellations, no-shows and the fee policy; the fee as an invoice line; the waitlist."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import InvoiceStatus
from practice.changes import Changes
from practice.errors import ValidationError
from practice.schedule import missed, queries, service, waitlist
from practice.schedule.records import (
    AppointmentForm,
    AppointmentState,
    FeePolicy,
    WaitlistForm,
    Wants,
)
from practice.schedule.settings import get_settings, save_settings
from tests.practice.schedule.conftest import NOW, Practice, local


def book(p: Practice, start: datetime, client_id: int | None = None, minutes: int = 60) -> int:
    form = AppointmentForm(client_id or p.client_id, start, minutes, service_id=p.massage.id)
    outcome = service.book(p.db, form, confirm=True, now=NOW)
    assert outcome.appointment is not None
    return outcome.appointment.id


def toronto(*args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("America/Toronto"))  # type: ignore[misc]


def test_a_cancellation_with_notice_is_not_late_and_costs_nothing(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Work trip", now=toronto(2026, 2, 22, 9))
    assert outcome.appointment is not None
    assert outcome.appointment.state is AppointmentState.CANCELLED
    assert not outcome.appointment.late_cancel and outcome.fee is None
    assert outcome.appointment.cancel_reason == "Work trip"


def test_a_cancellation_needs_a_reason(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    with pytest.raises(ValidationError, match="Say why"):
        missed.cancel(practice.db, appointment_id, "   ", now=NOW)
    assert queries.get_appointment(practice.db, appointment_id).state is AppointmentState.BOOKED


def test_the_first_late_cancellation_is_waived_the_second_charged_half(practice: Practice) -> None:
    first = book(practice, local(2026, 2, 24, 10))
    second = book(practice, local(2026, 3, 3, 10))
    waived = missed.cancel(practice.db, first, "Sick", now=toronto(2026, 2, 24, 7))
    assert waived.appointment is not None and waived.appointment.late_cancel
    assert waived.fee is not None and waived.fee.amount == 0
    assert "waived" in waived.fee.note and waived.fee_invoice_id is None
    charged = missed.cancel(practice.db, second, "Sick again", now=toronto(2026, 3, 2, 18))
    assert charged.fee is not None and charged.fee.amount == Decimal("50.00")
    assert charged.fee_invoice_id is not None
    assert charged.changes == Changes.of("appointment", "invoice", client_id=practice.client_id)


def test_the_fee_is_a_draft_invoice_line_taxed_like_the_service(practice: Practice) -> None:
    book(practice, local(2026, 2, 17, 10))
    earlier = queries.client_appointments(practice.db, practice.client_id)[0]
    missed.mark_no_show(practice.db, earlier.id, now=toronto(2026, 2, 17, 10, 20), bill=False)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.mark_no_show(practice.db, appointment_id, now=toronto(2026, 2, 24, 10, 30))
    assert outcome.fee is not None and outcome.fee.amount == Decimal("100.00")  # 100 %
    invoice = billing.get_invoice(practice.db, outcome.fee_invoice_id)  # type: ignore[arg-type]
    assert invoice.status is InvoiceStatus.DRAFT
    (line,) = invoice.lines
    assert line.description.startswith("Missed appointment (no-show), Feb 24, 2026")
    assert line.net == Decimal("100.00") and line.tax == Decimal("13.00")
    assert line.visit_id is None
    shown = queries.get_appointment(practice.db, appointment_id)
    assert shown.fee_invoice_id == invoice.id and shown.state is AppointmentState.NO_SHOW


def test_the_therapist_can_waive_or_charge_any_one(practice: Practice) -> None:
    first = book(practice, local(2026, 2, 24, 10))
    charged = missed.cancel(practice.db, first, "Sick", now=toronto(2026, 2, 24, 7), charge=True)
    assert charged.fee is not None and charged.fee.amount == Decimal("50.00")
    second = book(practice, local(2026, 3, 3, 10))
    kind = missed.mark_no_show(practice.db, second, now=toronto(2026, 3, 3, 11), charge=False)
    assert kind.fee is not None and kind.fee.amount == 0 and "therapist" in kind.fee.note


def test_a_policy_without_fees_charges_nothing(practice: Practice) -> None:
    settings = get_settings(practice.db)
    save_settings(practice.db, replace(settings, fees=FeePolicy(48, 0, 0, False)))
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Sick", now=toronto(2026, 2, 23, 10))
    assert outcome.appointment is not None and outcome.appointment.late_cancel  # 48 h notice
    assert outcome.fee is None


def test_fee_decisions_round_to_the_cent() -> None:
    policy = FeePolicy(24, 33, 100, waive_first=False)
    decision = missed.fee_decision(
        AppointmentState.CANCELLED, Decimal("95.00"), policy, 0, what="60-min"
    )
    assert decision is not None and decision.amount == Decimal("31.35")
    assert decision.note == "33% of 60-min"


def test_a_no_show_before_the_start_is_refused(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    with pytest.raises(ValidationError, match="once it has started"):
        missed.mark_no_show(practice.db, appointment_id, now=NOW)


def test_a_missed_appointment_cannot_be_missed_again(practice: Practice) -> None:
    appointment_id = book(practice, local(2026, 2, 24, 10))
    missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    with pytest.raises(ValidationError, match="cancelled"):
        missed.cancel(practice.db, appointment_id, "Again", now=NOW)
    with pytest.raises(ValidationError):
        service.move(practice.db, appointment_id, local(2026, 2, 25, 10), now=NOW)


def test_billing_the_fee_again_returns_the_same_invoice(practice: Practice) -> None:
    book(practice, local(2026, 2, 10, 10))
    first = queries.client_appointments(practice.db, practice.client_id)[0]
    missed.mark_no_show(practice.db, first.id, now=toronto(2026, 2, 10, 11), bill=False)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.mark_no_show(practice.db, appointment_id, now=toronto(2026, 2, 24, 11))
    again = missed.bill_fee(practice.db, appointment_id)
    assert again.id == outcome.fee_invoice_id
    assert len(billing.list_invoices(practice.db, client_id=practice.client_id)) == 1


def test_a_fee_invoice_made_before_a_crash_is_linked_not_billed_twice(practice: Practice) -> None:
    book(practice, local(2026, 2, 10, 10))
    first = queries.client_appointments(practice.db, practice.client_id)[0]
    missed.mark_no_show(practice.db, first.id, now=toronto(2026, 2, 10, 11), bill=False)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    missed.mark_no_show(practice.db, appointment_id, now=toronto(2026, 2, 24, 11))
    from practice.schedule.models import AppointmentRow

    with practice.db.transaction() as session:  # as if Fascia stopped before linking
        row = session.get(AppointmentRow, appointment_id)
        assert row is not None
        invoice_id, row.fee_invoice_id = row.fee_invoice_id, None
    assert missed.bill_fee(practice.db, appointment_id).id == invoice_id
    assert len(billing.list_invoices(practice.db, client_id=practice.client_id)) == 1


def test_cancelling_drops_its_queued_reminders(practice: Practice) -> None:
    from practice.schedule import reminders

    appointment_id = book(practice, local(2026, 2, 21, 10))  # within the 48-hour window
    assert reminders.queue_due(practice.db, now=NOW).emails == 1
    missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    assert reminders.outbox(practice.db) == []


# ---------------------------------------------------------------- waitlist


def _wait(p: Practice, client_id: int, **kwargs: object) -> int:
    form = WaitlistForm(client_id, kwargs.pop("wants", Wants.REGULAR), 60, **kwargs)  # type: ignore[arg-type]
    return waitlist.join(p.db, form).id


def test_a_freed_slot_is_offered_in_the_order_clients_joined(practice: Practice) -> None:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    third = clients.create_client(practice.db, ClientForm(given_name="Ana", family_name="Peña")).id
    _wait(practice, practice.caller_id)
    _wait(practice, third)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Moving", now=NOW)
    names = [s.entry.client_name for s in outcome.suggestions]
    assert names == ["민지 김", "Ana Peña"]
    offer = outcome.suggestions[0]
    assert offer.ends_at - offer.starts_at == timedelta(minutes=60)


def test_the_offer_fits_the_length_days_and_hours_a_client_needs(practice: Practice) -> None:
    _wait(practice, practice.caller_id, weekdays=frozenset({3}))  # Thursdays only
    long_one = WaitlistForm(practice.caller_id, Wants.REGULAR, 240)
    waitlist.join(practice.db, long_one)
    _wait(practice, practice.caller_id, earliest=time(15))
    book(practice, local(2026, 2, 24, 9), client_id=practice.caller_id)  # before
    book(practice, local(2026, 2, 24, 11, 15), client_id=practice.caller_id)  # after
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    assert outcome.suggestions == ()  # a Tuesday, 10:15-11:00 free, no one fits


def test_an_earlier_slot_is_offered_only_before_the_clients_booking(practice: Practice) -> None:
    _wait(practice, practice.caller_id, wants=Wants.EARLIER)
    book(practice, local(2026, 2, 23, 14), client_id=practice.caller_id)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    later = missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    assert later.suggestions == ()
    sooner = book(practice, local(2026, 2, 23, 10))
    outcome = missed.cancel(practice.db, sooner, "Sick", now=NOW)
    assert [s.entry.client_id for s in outcome.suggestions] == [practice.caller_id]


def test_leaving_the_waitlist_keeps_the_entry_out_of_suggestions(practice: Practice) -> None:
    entry = _wait(practice, practice.caller_id)
    waitlist.leave(practice.db, entry, "Booked a regular slot")
    assert waitlist.waitlist(practice.db) == []
    appointment_id = book(practice, local(2026, 2, 24, 10))
    assert missed.cancel(practice.db, appointment_id, "Sick", now=NOW).suggestions == ()


def test_a_waitlist_wish_that_makes_no_sense_is_refused(practice: Practice) -> None:
    bad = WaitlistForm(practice.caller_id, Wants.REGULAR, 0, earliest=time(15), latest=time(9))
    with pytest.raises(ValidationError) as error:
        waitlist.join(practice.db, bad)
    assert set(error.value.errors) == {"duration_minutes", "latest"}


def test_suggestions_are_not_offered_in_the_past(practice: Practice) -> None:
    _wait(practice, practice.caller_id)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    late_evening = datetime(2026, 2, 24, 23, tzinfo=UTC)
    assert missed.cancel(practice.db, appointment_id, "x", now=late_evening).suggestions == ()


def test_a_changed_wish_keeps_the_clients_place_in_line(practice: Practice) -> None:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    third = clients.create_client(practice.db, ClientForm(given_name="Ana", family_name="Peña")).id
    first = _wait(practice, practice.caller_id, weekdays=frozenset({3}))
    _wait(practice, third)
    wish = WaitlistForm(practice.caller_id, Wants.REGULAR, 30, earliest=time(9), notes="Any day")
    changed = waitlist.change(practice.db, first, wish)
    assert changed.form.weekdays == frozenset() and changed.form.duration_minutes == 30
    assert [e.client_id for e in waitlist.waitlist(practice.db)] == [practice.caller_id, third]


def test_booking_an_offer_books_the_slot_and_ends_the_wait_together(practice: Practice) -> None:
    entry = _wait(practice, practice.caller_id)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Moving", now=NOW)
    offer = outcome.suggestions[0]
    booked = waitlist.book(practice.db, entry, offer.starts_at, offer.ends_at, now=NOW)
    assert booked.saved and booked.appointment is not None
    assert booked.appointment.client_id == practice.caller_id
    assert booked.appointment.starts_at == offer.starts_at
    assert waitlist.waitlist(practice.db) == []
    with pytest.raises(ValidationError, match="no longer on the waitlist"):
        waitlist.book(practice.db, entry, offer.starts_at, offer.ends_at, now=NOW)


def test_an_offer_taken_meanwhile_warns_and_the_client_keeps_waiting(practice: Practice) -> None:
    entry = _wait(practice, practice.caller_id)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    offer = missed.cancel(practice.db, appointment_id, "Moving", now=NOW).suggestions[0]
    book(practice, local(2026, 2, 24, 10))  # someone else took the time
    outcome = waitlist.book(practice.db, entry, offer.starts_at, offer.ends_at, now=NOW)
    assert not outcome.saved and outcome.warnings
    assert [e.id for e in waitlist.waitlist(practice.db)] == [entry]


def test_a_no_show_offers_what_is_left_of_the_day(practice: Practice) -> None:
    _wait(practice, practice.caller_id, wants=Wants.REGULAR)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.mark_no_show(
        practice.db, appointment_id, now=toronto(2026, 2, 24, 10, 20), bill=False
    )
    assert [s.entry.client_id for s in outcome.suggestions] == [practice.caller_id]
    offer = outcome.suggestions[0]
    assert offer.starts_at >= toronto(2026, 2, 24, 10, 30)
    booked = waitlist.book(
        practice.db,
        offer.entry.id,
        offer.starts_at,
        offer.ends_at,
        now=toronto(2026, 2, 24, 10, 20),
    )
    assert booked.saved and booked.warnings == ()  # the no-show holds no time any more


def test_the_freed_time_itself_is_offered_when_it_suits_the_client(practice: Practice) -> None:
    _wait(practice, practice.caller_id)
    _wait(practice, practice.caller_id, earliest=time(10, 30))
    appointment_id = book(practice, local(2026, 2, 24, 10))
    outcome = missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    starts = [s.starts_at for s in outcome.suggestions]
    assert starts == [toronto(2026, 2, 24, 10), toronto(2026, 2, 24, 10, 30)]


def test_a_client_wanting_an_earlier_slot_has_their_booking_moved_not_doubled(
    practice: Practice,
) -> None:
    entry = _wait(practice, practice.caller_id, wants=Wants.EARLIER)
    later = book(practice, local(2026, 3, 10, 14), client_id=practice.caller_id)
    appointment_id = book(practice, local(2026, 2, 24, 10))
    offer = missed.cancel(practice.db, appointment_id, "Sick", now=NOW).suggestions[0]
    outcome = waitlist.book(practice.db, entry, offer.starts_at, offer.ends_at, now=NOW)
    assert outcome.saved and outcome.appointment is not None
    assert outcome.appointment.id == later
    assert outcome.appointment.starts_at == toronto(2026, 2, 24, 10)
    pending = [
        a for a in queries.client_appointments(practice.db, practice.caller_id) if a.state.pending
    ]
    assert [a.id for a in pending] == [later]
    assert waitlist.waitlist(practice.db) == []
