"""Reminders offline first: queued, sent by STARTTLS to a loopback SMTP server, never twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import keyring
import pytest
from keyring.backends import fail

from practice.errors import ValidationError
from practice.schedule import mailer, reminders, service
from practice.schedule.records import AppointmentForm, MailSettings
from practice.schedule.settings import get_settings, save_settings
from tests.practice.schedule.conftest import NOW, Practice, local
from tests.smtp import PASSWORD, USER, client_context, free_port


def mailbox(p: Practice, port: int, host: str = "localhost") -> None:
    settings = get_settings(p.db)
    save_settings(p.db, replace(settings, mail=MailSettings(host, port, USER, USER)))


def book_soon(p: Practice, client_id: int | None = None, hour: int = 10) -> int:
    form = AppointmentForm(client_id or p.client_id, local(2026, 2, 21, hour), 60)
    outcome = service.book(p.db, form, confirm=True, now=NOW)  # a Saturday: confirmed
    assert outcome.appointment is not None
    return outcome.appointment.id


# ---------------------------------------------------------------- the queue


def test_reminders_are_queued_once_per_appointment_time(practice: Practice) -> None:
    appointment_id = book_soon(practice)
    book_soon(practice, practice.caller_id, hour=12)
    later = AppointmentForm(practice.client_id, local(2026, 3, 10, 10), 60)
    service.book(practice.db, later, now=NOW)  # outside the 48-hour window
    first = reminders.queue_due(practice.db, now=NOW)
    assert (first.emails, first.calls) == (1, 1)
    assert reminders.queue_due(practice.db, now=NOW).emails == 0  # nothing twice
    service.move(practice.db, appointment_id, local(2026, 2, 21, 14), confirm=True, now=NOW)
    assert [r.channel for r in reminders.outbox(practice.db)] == ["call"]  # the old time's went
    assert reminders.queue_due(practice.db, now=NOW).emails == 1


def test_a_reminder_says_when_where_and_the_policy_and_nothing_clinical(practice: Practice) -> None:
    form = AppointmentForm(practice.client_id, local(2026, 2, 21, 10), 60, notes="Neck pain")
    service.book(practice.db, form, confirm=True, now=NOW)
    reminders.queue_due(practice.db, now=NOW)
    (email,) = reminders.outbox(practice.db)
    assert email.subject.startswith("Reminder: your appointment on Saturday, February 21, 2026")
    assert "at 10:00" in email.subject
    assert "Hello Chloé" in email.body
    assert "210 King Street West" in email.body and "(416) 555-0142" in email.body
    assert "24 hours' notice" in email.body and "50% of the fee" in email.body
    assert "Neck" not in email.body


def test_the_call_list_is_a_printable_page_printed_once_in_the_audit_trail(
    practice: Practice, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from practice.printouts import call_list_pdf
    from practice.store import audit

    book_soon(practice, practice.caller_id)
    reminders.queue_due(practice.db, now=NOW)
    calls = reminders.call_list(practice.db, now=NOW)
    assert [c.to_address for c in calls.calls] == ["(416) 555-0199"]
    path = tmp_path / "calls.pdf"
    made = call_list_pdf(practice.db, to_file=path, now=NOW)
    assert made.records["reminder_ids"] == [calls.calls[0].id]
    text = PdfReader(path).pages[0].extract_text()
    assert "Reminder calls" in text and "김" in text and "(416) 555-0199" in text
    with practice.db.read() as session:
        entries = [e for e in audit.entries(session) if e.entity == "reminder"]
    assert [e.action for e in entries] == ["export"]
    reminders.mark_called(practice.db, calls.calls[0].id)
    assert reminders.call_list(practice.db, now=NOW).calls == ()


# ---------------------------------------------------------------- sending


def test_due_reminders_go_out_by_starttls_with_the_invitation(
    practice: Practice, smtp_server, tls, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = smtp_server
    mailbox(practice, controller.port)
    mailer.store_password(USER, PASSWORD)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    result = mailer.send_due(practice.db, now=NOW, ssl_context=client_context(tls))
    assert (result.sent, result.failed, result.held) == (1, 0, 0)
    (message,) = inbox.messages
    assert message["To"] == "chloe@example.com"
    assert "reminder" in message["Message-ID"]
    parts = {part.get_content_type() for part in message.walk()}
    assert "text/calendar" in parts
    (sent,) = reminders.outbox(practice.db, ("sent",))
    assert sent.message_id == message["Message-ID"].strip() and sent.attempts == 1
    assert mailer.send_due(practice.db, now=NOW, ssl_context=client_context(tls)).sent == 0


def test_a_refusal_leaves_the_message_queued_with_the_servers_words(
    practice: Practice, smtp_server, tls
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = smtp_server
    mailbox(practice, controller.port)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    context = client_context(tls)
    result = mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context)
    assert (result.sent, result.failed) == (0, 1)
    (queued,) = reminders.outbox(practice.db, ("queued",))
    assert queued.last_error == "550 5.1.1 Mailbox unavailable"
    again = mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context)
    assert again.sent == 1 and len(inbox.messages) == 1


def test_offline_the_reminders_are_held_in_the_queue(practice: Practice) -> None:
    mailbox(practice, free_port(), host="127.0.0.1")  # nothing listens there
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    result = mailer.send_due(practice.db, password=PASSWORD, now=NOW, timeout=2)
    assert result.offline and result.held == 1 and "Offline" in result.problems[0]
    assert [r.status for r in reminders.outbox(practice.db)] == ["queued"]


def test_a_wrong_password_is_reported_and_nothing_changes(
    practice: Practice, smtp_server, tls
) -> None:  # type: ignore[no-untyped-def]
    controller, _ = smtp_server
    mailbox(practice, controller.port)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    with pytest.raises(mailer.MailSetupError, match="refused the login"):
        mailer.send_due(practice.db, password="wrong", now=NOW, ssl_context=client_context(tls))
    assert [r.status for r in reminders.outbox(practice.db)] == ["queued"]


def test_a_dropped_connection_is_never_resent_without_a_decision(
    practice: Practice, smtp_server, tls
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = smtp_server
    mailbox(practice, controller.port)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    inbox.drop = True
    context = client_context(tls)
    result = mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context)
    assert result.uncertain == 1 and result.sent == 0
    (unsure,) = reminders.outbox(practice.db, ("sending",))
    inbox.drop = False
    assert mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context).sent == 0
    assert inbox.messages == []
    reminders.retry(practice.db, unsure.id)  # the therapist found nothing in the Sent folder
    assert mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context).sent == 1
    assert inbox.messages[0]["Message-ID"].strip() == unsure.message_id  # the same message


def test_a_crash_between_send_and_mark_leaves_the_reminder_in_sending(
    practice: Practice, smtp_server, tls, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = smtp_server
    mailbox(practice, controller.port)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)

    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies after the server took the message

    monkeypatch.setattr(mailer, "_mark_sent", crash)
    context = client_context(tls)
    with pytest.raises(KeyboardInterrupt):
        mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context)
    monkeypatch.undo()
    assert len(inbox.messages) == 1
    later = mailer.send_due(practice.db, password=PASSWORD, now=NOW, ssl_context=context)
    assert later.sent == 0 and later.uncertain == 1 and len(inbox.messages) == 1
    (unsure,) = reminders.outbox(practice.db, ("sending",))
    reminders.mark_sent(practice.db, unsure.id)  # found in the Sent folder
    assert reminders.outbox(practice.db) == []


def test_without_a_keyring_the_message_says_what_to_do(practice: Practice) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(mailer.MailSetupError) as error:
            mailer.store_password(USER, PASSWORD)
        assert "keyring" in str(error.value) and "queue" in str(error.value)
        mailbox(practice, 2525)
        book_soon(practice)
        reminders.queue_due(practice.db, now=NOW)
        with pytest.raises(mailer.MailSetupError, match="password store"):
            mailer.send_due(practice.db, now=NOW)
    finally:
        keyring.set_keyring(previous)
    assert [r.status for r in reminders.outbox(practice.db)] == ["queued"]


def test_an_unset_mailbox_keeps_everything_queued(practice: Practice) -> None:
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    with pytest.raises(mailer.MailSetupError, match="Set up the reminder mailbox"):
        mailer.send_due(practice.db, password=PASSWORD, now=NOW)


def test_reminders_for_appointments_already_past_are_not_sent(practice: Practice) -> None:
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    after = datetime(2026, 2, 22, tzinfo=UTC)
    result = mailer.send_due(practice.db, password=PASSWORD, now=after)
    assert result.sent == 0 and result.held == 0


def test_a_template_with_an_unknown_placeholder_is_refused(practice: Practice) -> None:
    from practice.errors import ValidationError

    settings = get_settings(practice.db)
    with pytest.raises(ValidationError) as error:
        save_settings(practice.db, replace(settings, reminder_body="Hi {diagnosis}"))
    assert "{diagnosis}" in error.value.errors["reminder_body"]
    with pytest.raises(ValidationError):
        save_settings(practice.db, replace(settings, reminder_subject="{name.__class__}"))
    assert timedelta(hours=get_settings(practice.db).reminder_hours) == timedelta(hours=48)


# ---------------------------------------------------------------- the screens' helpers


def test_the_queue_says_pending_held_failed_uncertain_and_sent(practice: Practice) -> None:
    book_soon(practice)
    book_soon(practice, practice.caller_id, hour=12)
    reminders.queue_due(practice.db, now=NOW)
    email, call = sorted(reminders.recent(practice.db, now=NOW), key=lambda r: r.channel != "email")
    states = reminders.QueueState
    assert reminders.queue_state(email, NOW - timedelta(hours=1)) is states.PENDING
    assert reminders.queue_state(email, NOW) is states.HELD
    assert reminders.queue_state(replace(email, last_error="550 no"), NOW) is states.FAILED
    assert reminders.queue_state(replace(email, status="sending"), NOW) is states.UNCERTAIN
    reminders.mark_called(practice.db, call.id)
    (called,) = [r for r in reminders.recent(practice.db, now=NOW) if r.id == call.id]
    assert reminders.queue_state(called, NOW) is states.SENT
    assert reminders.recent(practice.db, now=NOW + timedelta(days=40))[0].id == email.id


def test_the_preview_fills_a_template_with_the_practices_details(practice: Practice) -> None:
    subject, body = reminders.preview(
        practice.db, "See you {date}", "Hi {name}, {practice} at {address}. 안녕 🙂", now=NOW
    )
    assert subject == "See you Tuesday, February 24, 2026"
    assert body.startswith("Hi Alex, Riverside Medical Massage at 210 King Street West")
    assert body.endswith("안녕 🙂")


def test_a_preview_of_a_broken_template_names_the_field(practice: Practice) -> None:
    from practice.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        reminders.preview(practice.db, "{diagnosis}", "Open { brace")
    assert set(error.value.errors) == {"reminder_subject", "reminder_body"}


def test_a_test_message_goes_through_starttls_and_a_refusal_gives_the_servers_words(
    smtp_server, tls, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = smtp_server
    mail = MailSettings("localhost", controller.port, USER, USER)
    mailer.store_password(USER, PASSWORD)
    said = mailer.send_test(mail, "me@example.com", ssl_context=client_context(tls))
    assert "me@example.com" in said
    (message,) = inbox.messages
    assert message["Subject"] == mailer.TEST_SUBJECT and message["From"] == USER
    inbox.refuse = "550 5.7.1 Relaying denied"
    with pytest.raises(mailer.MailSetupError, match=r"550 5\.7\.1 Relaying denied"):
        mailer.send_test(mail, "me@example.com", ssl_context=client_context(tls))
    with pytest.raises(mailer.MailSetupError, match="refused the login"):
        mailer.send_test(mail, "me@example.com", password="wrong", ssl_context=client_context(tls))


def test_a_test_message_to_nowhere_or_without_a_mailbox_is_refused_by_field() -> None:
    from practice.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        mailer.send_test(MailSettings(), "not an address", password="x")
    assert set(error.value.errors) == {"smtp_host", "test_to"}


def test_automatic_sending_is_off_by_default_and_needs_a_mailbox(practice: Practice) -> None:
    assert get_settings(practice.db).send_automatically is False
    settings = get_settings(practice.db)
    for value in (True, 1, "yes", None):
        with pytest.raises(ValidationError) as error:
            save_settings(practice.db, replace(settings, send_automatically=value))  # type: ignore[arg-type]
        assert "mailbox" in error.value.errors["send_automatically"]
    assert get_settings(practice.db).send_automatically is False
    mailbox(practice, 587)
    save_settings(practice.db, replace(get_settings(practice.db), send_automatically=True))
    assert get_settings(practice.db).send_automatically is True
