"""Reminders offline first: queued, sent by STARTTLS to a loopback SMTP server, never twice."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message

import keyring
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend
from keyring.backends import fail

from practice.schedule import mailer, reminders, service
from practice.schedule.records import AppointmentForm, MailSettings
from practice.schedule.settings import get_settings, save_settings
from tests.practice.schedule.conftest import NOW, Practice, local

USER, PASSWORD = "jordan@riverside.example", "correct horse"


class Inbox:
    """What the loopback server received, and how it should answer the next message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: str | None = None  # "550 5.1.1 No such user" to refuse the next one
        self.drop = False  # close the connection instead of answering DATA

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.drop:
            server.transport.close()
            return "451 never seen"
        if self.refuse:
            answer, self.refuse = self.refuse, None
            return answer
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK queued"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class _Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server(tls: trustme.CA) -> Iterator[tuple[Controller, Inbox]]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS and a login, as a real one would."""
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        server_hostname="localhost",
        tls_context=context,
        require_starttls=True,
        authenticator=_Authenticator(),
        auth_require_tls=True,
        auth_exclude_mechanism=["CRAM-MD5"],
    )
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mailbox(p: Practice, port: int, host: str = "localhost") -> None:
    settings = get_settings(p.db)
    save_settings(p.db, replace(settings, mail=MailSettings(host, port, USER, USER)))


def client_context(tls: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    tls.configure_trust(context)
    return context


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


def test_the_call_list_is_a_printable_page(practice: Practice, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from practice.clients import service as clients
    from practice.documents.call_list import call_list_pdf

    book_soon(practice, practice.caller_id)
    reminders.queue_due(practice.db, now=NOW)
    calls = reminders.call_list(practice.db, now=NOW)
    assert [c.to_address for c in calls.calls] == ["(416) 555-0199"]
    profile = clients.get_profile(practice.db)
    assert profile is not None
    path = tmp_path / "calls.pdf"
    path.write_bytes(call_list_pdf(profile, calls))
    text = PdfReader(path).pages[0].extract_text()
    assert "Reminder calls" in text and "김" in text and "(416) 555-0199" in text
    reminders.mark_called(practice.db, calls.calls[0].id)
    assert reminders.call_list(practice.db, now=NOW).calls == ()


# ---------------------------------------------------------------- sending


def test_due_reminders_go_out_by_starttls_with_the_invitation(
    practice: Practice, server, tls, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = server
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
    practice: Practice, server, tls
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = server
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
    mailbox(practice, _free_port(), host="127.0.0.1")  # nothing listens there
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    result = mailer.send_due(practice.db, password=PASSWORD, now=NOW, timeout=2)
    assert result.offline and result.held == 1 and "Offline" in result.problems[0]
    assert [r.status for r in reminders.outbox(practice.db)] == ["queued"]


def test_a_wrong_password_is_reported_and_nothing_changes(practice: Practice, server, tls) -> None:  # type: ignore[no-untyped-def]
    controller, _ = server
    mailbox(practice, controller.port)
    book_soon(practice)
    reminders.queue_due(practice.db, now=NOW)
    with pytest.raises(mailer.MailSetupError, match="refused the login"):
        mailer.send_due(practice.db, password="wrong", now=NOW, ssl_context=client_context(tls))
    assert [r.status for r in reminders.outbox(practice.db)] == ["queued"]


def test_a_dropped_connection_is_never_resent_without_a_decision(
    practice: Practice, server, tls
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = server
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
    practice: Practice, server, tls, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    controller, inbox = server
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
