"""The reminder screens driven as a therapist would, against a loopback SMTP server that wants
STARTTLS and a login (tests/smtp.py): the mailbox and its test message, the message template
and its preview, the queue with the server's words, and the printable call list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.schedule import mailer, reminders, service
from practice.schedule.records import (
    AppointmentForm,
    MailSettings,
    ScheduleSettings,
    WorkingDay,
)
from practice.schedule.settings import get_settings, save_settings
from practice.store import Database
from tests.smtp import PASSWORD, USER
from ui.ops import runner
from ui.schedule.page import SchedulePage
from ui.schedule.reminder_sender import ReminderSender
from ui.schedule.reminders import QueueModel, RemindersDialog
from ui.schedule.settings_dialog import ScheduleSettingsDialog, Tab

PATIENCE_MS = 20_000


def _until(qtbot: QtBot, condition: Callable[[], object]) -> None:
    qtbot.waitUntil(condition, timeout=PATIENCE_MS)


@pytest.fixture
def trusted(tls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The test CA trusted by the default SSL context the screens use (and nothing else is)."""
    bundle = tmp_path / "ca.pem"
    tls.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return tls


@pytest.fixture
def practice(db: Database, consent: Callable[[int], None]) -> tuple[Database, int, int]:
    """Open every day; Chloé has an email address, 민지 김 only a phone."""
    clients.save_profile(
        db,
        PracticeProfile(
            therapist_name="Jordan Rivera",
            practice_name="Riverside Medical Massage",
            address="210 King Street West",
            phone="(416) 555-0142",
        ),
    )
    save_settings(
        db,
        ScheduleSettings(
            time_zone="UTC",
            working_hours=tuple(WorkingDay(d, time(7), time(21)) for d in range(7)),
        ),
    )
    emailed = clients.create_client(
        db, ClientForm(given_name="Chloé", family_name="O'Brien", email="chloe@example.com")
    ).id
    phoned = clients.create_client(
        db, ClientForm(given_name="민지", family_name="김", phone_mobile="(416) 555-0199")
    ).id
    consent(emailed)
    consent(phoned)
    return db, emailed, phoned


def _settings(qtbot: QtBot, db: Database, tab: int = Tab.MAILBOX) -> ScheduleSettingsDialog:
    dialog = ScheduleSettingsDialog(db, tab=tab)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: runner().idle and dialog.loaded is not None)
    return dialog


def _fill_mailbox(dialog: ScheduleSettingsDialog, port: int, password: str = PASSWORD) -> None:
    dialog.host.setText("localhost")
    dialog.port.setValue(port)
    dialog.username.setText(USER)
    dialog.sender.setText(USER)
    dialog.password.setText(password)
    dialog.test_to.setText("jordan@example.com")


def _mailbox(db: Database, port: int) -> None:
    settings = get_settings(db)
    save_settings(db, ScheduleSettings(**{**_fields(settings), "mail": _mail(port)}))


def _fields(settings: ScheduleSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}


def _mail(port: int) -> MailSettings:
    return MailSettings("localhost", port, USER, USER)


def _book_tomorrow(db: Database, client_id: int, hour: int) -> int:
    day = datetime.now(UTC).date() + timedelta(days=1)
    form = AppointmentForm(client_id, datetime.combine(day, time(hour), UTC), 60)
    outcome = service.book(db, form, confirm=True)
    assert outcome.appointment is not None
    return outcome.appointment.id


# ---------------------------------------------------------------- the mailbox


def test_the_test_message_goes_through_the_mailbox_as_typed_and_save_keeps_the_password(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    controller, inbox = smtp_server
    dialog = _settings(qtbot, db)
    _fill_mailbox(dialog, controller.port)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and len(inbox.messages) == 1)
    _until(qtbot, lambda: "took the test message" in dialog.test_result.text())
    assert inbox.messages[0]["To"] == "jordan@example.com"
    assert get_settings(db).mail.host == ""  # a test saves nothing
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    assert get_settings(db).mail == _mail(controller.port)
    assert mailer.stored_password(USER) == PASSWORD
    assert PASSWORD not in str(get_settings(db))


def test_a_refused_login_or_message_shows_the_servers_words_under_the_test(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    controller, inbox = smtp_server
    dialog = _settings(qtbot, db)
    _fill_mailbox(dialog, controller.port, password="wrong")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and "refused the login" in dialog.test_result.text())
    assert dialog.test_result.property("role") == "error"
    dialog.password.setText(PASSWORD)
    inbox.refuse = "550 5.7.1 Relaying denied"
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _until(
        qtbot, lambda: runner().idle and "550 5.7.1 Relaying denied" in dialog.test_result.text()
    )
    dialog.reject()


def test_a_wrong_sender_or_test_address_is_shown_next_to_its_field_and_nothing_saved(
    qtbot: QtBot, practice, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    dialog = _settings(qtbot, db)
    _fill_mailbox(dialog, 587)
    dialog.sender.setText("not an address")
    dialog.test_to.setText("")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: bool(runner().idle and dialog.mailbox.errors["test_to"].message()))
    assert "email address" in dialog.mailbox.errors["smtp_sender"].message()
    dialog.message.fields["reminder_subject"].setText("")
    dialog.host.setText(("메일서버" * 25_000)[:100_000])
    assert len(dialog.host.text()) == 100_000
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: bool(runner().idle and dialog.mailbox.errors["smtp_sender"].message()))
    assert "mail server's name" in dialog.mailbox.errors["smtp_host"].message()
    assert dialog.tabs.currentIndex() == Tab.MAILBOX  # the first wrong field's tab
    assert "Write the reminder" in dialog.message.errors["reminder_subject"].message()
    assert get_settings(db).mail.host == "" and memory_keyring.store == {}
    dialog.reject()


# ---------------------------------------------------------------- the message


def test_the_preview_follows_the_template_and_names_a_wrong_placeholder(
    qtbot: QtBot, practice
) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    dialog = _settings(qtbot, db, tab=Tab.MESSAGE)
    _until(qtbot, lambda: "Alex" in dialog.preview_body.toPlainText())
    dialog.body.setPlainText("Bonjour {name} — 안녕하세요 שלום مرحبا 🙂, {practice}")
    _until(qtbot, lambda: "Bonjour" in dialog.preview_body.toPlainText())
    assert dialog.preview_body.toPlainText().startswith("Bonjour Alex — 안녕하세요")
    dialog.body.setPlainText("Your {diagnosis} on {date}")
    _until(qtbot, lambda: bool(dialog.message.errors["reminder_body"].message()))
    assert "{diagnosis}" in dialog.message.errors["reminder_body"].message()
    dialog.body.setPlainText("See you {date}")
    _until(qtbot, lambda: bool(not dialog.message.errors["reminder_body"].message()))
    dialog.reject()


def test_a_100000_character_template_in_any_script_is_refused_next_to_it(
    qtbot: QtBot, practice
) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    dialog = _settings(qtbot, db, tab=Tab.MESSAGE)
    long = ("안녕 שלום مرحبا 🙂 " * 6000)[:100_000]
    dialog.body.setPlainText(long)
    dialog.subject.setText(long)
    assert dialog.subject.text() == long
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: bool(runner().idle and dialog.message.errors["reminder_body"].message()))
    assert "10,000" in dialog.message.errors["reminder_body"].message()
    assert get_settings(db).reminder_body != long.strip()
    dialog.body.setPlainText(long[:9000])
    dialog.subject.setText("Reminder {date}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    assert get_settings(db).reminder_body == long[:9000].strip()


# ---------------------------------------------------------------- the queue


def _queue(qtbot: QtBot, db: Database) -> RemindersDialog:
    dialog = RemindersDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: runner().idle)
    return dialog


def _states(dialog: RemindersDialog) -> dict[str, str]:
    model = dialog.model
    return {
        model.index(r, QueueModel.CLIENT).data(): model.index(r, QueueModel.STATE).data()
        for r in range(model.rowCount())
    }


def test_send_now_queues_and_sends_emails_and_lists_calls_to_make(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, phoned = practice
    controller, inbox = smtp_server
    _mailbox(db, controller.port)
    mailer.store_password(USER, PASSWORD)
    _book_tomorrow(db, emailed, 10)
    _book_tomorrow(db, phoned, 12)
    dialog = _queue(qtbot, db)
    assert _states(dialog) == {"Chloé O'Brien": "Held", "민지 김": "To call"}  # queued on opening
    assert inbox.messages == []
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and _states(dialog)["Chloé O'Brien"] == "Sent")
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "chloe@example.com"
    assert _states(dialog) == {"Chloé O'Brien": "Sent", "민지 김": "To call"}
    call_row = next(r for r in range(2) if dialog.model.index(r, QueueModel.BY).data() == "Call")
    dialog.table.selectRow(call_row)
    assert dialog.action_buttons["called"].isEnabled()
    assert not dialog.action_buttons["sent"].isEnabled()
    qtbot.mouseClick(dialog.action_buttons["called"], Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and _states(dialog)["민지 김"] == "Sent")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle)
    assert len(inbox.messages) == 1  # nothing twice


def test_a_refused_reminder_stays_queued_with_the_servers_words_in_the_queue(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    controller, inbox = smtp_server
    _mailbox(db, controller.port)
    mailer.store_password(USER, PASSWORD)
    _book_tomorrow(db, emailed, 10)
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    dialog = _queue(qtbot, db)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.model.rowCount() == 1)
    assert dialog.model.index(0, QueueModel.STATE).data() == "Failed"
    assert dialog.model.index(0, QueueModel.WORDS).data() == "550 5.1.1 Mailbox unavailable"
    assert "550 5.1.1 Mailbox unavailable" in dialog.problems.text()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and _states(dialog)["Chloé O'Brien"] == "Sent")
    assert len(inbox.messages) == 1


def test_offline_the_reminders_are_held_and_the_reason_shown(
    qtbot: QtBot, practice, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    from tests.smtp import free_port

    db, emailed, _ = practice
    _mailbox(db, free_port())  # nothing listens there
    mailer.store_password(USER, PASSWORD)
    _book_tomorrow(db, emailed, 10)
    dialog = _queue(qtbot, db)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.model.rowCount() == 1)
    assert dialog.model.index(0, QueueModel.STATE).data() == "Held"
    assert dialog.problems.text().startswith("Offline")


def test_without_a_mailbox_the_queue_says_what_to_set_up(qtbot: QtBot, practice) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    _book_tomorrow(db, emailed, 10)
    dialog = _queue(qtbot, db)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.model.rowCount() == 1)
    assert "Set up the reminder mailbox" in dialog.problems.text()


def test_the_call_list_opens_as_a_printout_with_the_calls_to_make(qtbot: QtBot, practice) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from pypdf import PdfReader

    db, _, phoned = practice
    _book_tomorrow(db, phoned, 12)
    dialog = _queue(qtbot, db)  # opening queues the call
    qtbot.mouseClick(dialog.calls_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview
    _until(qtbot, lambda: runner().idle and preview.pdf is not None)
    text = PdfReader(BytesIO(preview.pdf)).pages[0].extract_text()
    assert "Reminder calls" in text and "(416) 555-0199" in text
    preview.close()


def test_the_queue_model_passes_the_model_checks(qtbot: QtBot, qtmodeltester, practice) -> None:  # type: ignore[no-untyped-def]
    db, emailed, phoned = practice
    _book_tomorrow(db, emailed, 10)
    _book_tomorrow(db, phoned, 12)
    reminders.queue_due(db)
    dialog = _queue(qtbot, db)
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)


def test_r_opens_the_reminders_and_their_settings_open_from_there(qtbot: QtBot, practice) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = practice
    page = SchedulePage(db)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    page.grid.setFocus()
    _until(qtbot, lambda: runner().idle)
    qtbot.keyClick(page.grid, Qt.Key.Key_R)
    _until(qtbot, lambda: getattr(page, "reminders", None) is not None)
    qtbot.mouseClick(page.reminders.settings_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and page.settings_dialog.loaded is not None)
    assert page.settings_dialog.tabs.currentIndex() == Tab.MAILBOX
    page.settings_dialog.reject()
    page.reminders.reject()


# ---------------------------------------------------------------- sent automatically


def _automatic(db: Database, port: int, on: bool = True) -> None:
    settings = get_settings(db)
    fields = {**_fields(settings), "mail": _mail(port), "send_automatically": on}
    save_settings(db, ScheduleSettings(**fields))
    mailer.store_password(USER, PASSWORD)


def _sender(qtbot: QtBot, db: Database, every_ms: int = 150) -> tuple[ReminderSender, list[str]]:
    holder = QWidget()  # closed and deleted after the test, and the sender's timer with it
    qtbot.addWidget(holder)
    sender = ReminderSender(db, holder, every_ms=every_ms)
    sender.holder = holder  # type: ignore[attr-defined]  # kept as long as the sender is
    said: list[str] = []
    sender.status.connect(said.append)
    return sender, said


def _runs(qtbot: QtBot, sender: ReminderSender, more: int) -> None:
    target = sender.runs + more
    _until(qtbot, lambda: runner().idle and sender.runs >= target)


def test_with_automatic_sending_on_a_due_reminder_goes_out_once_and_is_said(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    controller, inbox = smtp_server
    _automatic(db, controller.port)
    _book_tomorrow(db, emailed, 10)
    sender, said = _sender(qtbot, db)
    _until(qtbot, lambda: runner().idle and len(inbox.messages) == 1)
    _runs(qtbot, sender, 3)  # the timer keeps trying: nothing goes twice
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "chloe@example.com"
    assert [r.status for r in reminders.recent(db) if r.channel == "email"] == ["sent"]
    assert said == ["Reminders: 1 sent"]  # once, and quiet after


def test_with_automatic_sending_off_nothing_is_queued_or_sent(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    controller, inbox = smtp_server
    _automatic(db, controller.port, on=False)
    _book_tomorrow(db, emailed, 10)
    sender, said = _sender(qtbot, db)
    _runs(qtbot, sender, 3)
    assert inbox.messages == [] and reminders.recent(db) == [] and said == []


def test_offline_an_automatic_reminder_is_held_quietly_and_goes_when_the_server_is_back(
    qtbot: QtBot, practice, tls, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    from tests.smtp import free_port, running_server

    db, emailed, _ = practice
    port = free_port()
    _automatic(db, port)  # the mail server is down (or the laptop offline)
    _book_tomorrow(db, emailed, 10)
    sender, said = _sender(qtbot, db)
    _runs(qtbot, sender, 2)
    (held,) = [r for r in reminders.recent(db) if r.channel == "email"]
    assert reminders.queue_state(held, datetime.now(UTC)) == reminders.QueueState.HELD
    assert said == []  # offline is no news
    with running_server(tls, port) as (_controller, inbox):  # back
        _until(qtbot, lambda: runner().idle and len(inbox.messages) == 1)
        _runs(qtbot, sender, 2)
    assert len(inbox.messages) == 1 and said == ["Reminders: 1 sent"]


def test_a_refused_automatic_reminder_is_said_and_stays_queued_with_the_servers_words(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    controller, inbox = smtp_server
    _automatic(db, controller.port)
    _book_tomorrow(db, emailed, 10)
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    sender, said = _sender(qtbot, db, every_ms=60_000)
    _runs(qtbot, sender, 1)
    (refused,) = [r for r in reminders.recent(db) if r.channel == "email"]
    assert refused.status == "queued" and refused.last_error == "550 5.1.1 Mailbox unavailable"
    assert said == ["Reminders: 1 refused by the server (still queued)"]


def test_automatic_sending_is_offered_once_the_test_message_went_and_sends_on_saving(
    qtbot: QtBot, practice, smtp_server, trusted, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    db, emailed, _ = practice
    controller, inbox = smtp_server
    _book_tomorrow(db, emailed, 10)
    _kept, said = _sender(qtbot, db, every_ms=600_000)  # only the save can start it now
    dialog = _settings(qtbot, db)
    assert not dialog.auto_send.isEnabled() and not dialog.auto_send.isChecked()
    _fill_mailbox(dialog, controller.port)
    assert not dialog.auto_send.isEnabled()  # not before the mailbox worked
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.auto_send.isEnabled())
    dialog.auto_send.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and len(inbox.messages) == 2)  # the test, the reminder
    assert get_settings(db).send_automatically is True
    assert inbox.messages[1]["To"] == "chloe@example.com" and said == ["Reminders: 1 sent"]
    again = _settings(qtbot, db)  # saved and sending: still offered, still on
    assert again.auto_send.isEnabled() and again.auto_send.isChecked()
    again.port.setValue(controller.port + 1)  # another mailbox: test it first
    assert not again.auto_send.isEnabled() and not again.auto_send.isChecked()
    again.reject()
