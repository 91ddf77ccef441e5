"""Sending queued reminder emails through the therapist's own mailbox (SMTP with STARTTLS).

The password is kept in the OS keyring (`keyring`), never in the database. When the computer
is offline nothing is lost: the reminders stay queued and go with the next flush.

Nothing is sent twice. Each email is marked `sending` (committed) before it is handed to the
server, with a Message-ID fixed at that moment, and `sent` once the server accepted it. A crash
or a dropped connection between the two leaves it in `sending`: it may or may not have gone
out, and the sender cannot know (SMTP has no way to ask). Such a reminder is never sent again
automatically; it is reported so the therapist can look in their Sent folder and choose
`reminders.mark_sent` or `reminders.retry` (which reuses the Message-ID, so mail programs see a
copy of the same message). The trade-off: in that rare case a client may get no reminder
until someone decides, rather than two. A server that refuses a message (a 4xx or 5xx reply)
certainly did not take it: the reminder goes back to the queue with the server's words.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy.orm import Session

from practice.changes import Changes
from practice.errors import FasciaError, ValidationError
from practice.schedule import ics, reminders
from practice.schedule.records import MailSettings
from practice.schedule.reminders import Reminder
from practice.schedule.settings import mail_errors, settings_in
from practice.store import audit
from practice.store.base import utcnow
from practice.store.database import Database
from practice.text import is_email

KEYRING_SERVICE = "Fascia reminders (SMTP)"
NO_KEYRING = (
    "This computer has no password store (keyring) Fascia can use, so the mailbox password "
    "cannot be kept. Install or unlock the system's keyring (Keychain, Windows Credential "
    "Manager, GNOME Keyring or KWallet), or type the password each time you send. The "
    "reminders wait in the queue meanwhile."
)


class MailSetupError(FasciaError):
    """The mailbox is not set up, the password is missing, or the server refused the login."""


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: int = 0
    failed: int = 0  # refused by the server: still queued, with the server's words
    held: int = 0  # not tried: offline, or the connection was lost
    uncertain: int = 0  # left in `sending` by this or an earlier run: a person decides
    offline: bool = False
    problems: tuple[str, ...] = field(default=())

    @property
    def changes(self) -> Changes:
        return Changes.of("appointment") if self.sent or self.failed else Changes()


# ---------------------------------------------------------------- the password


def store_password(username: str, password: str) -> None:
    """Keep the mailbox password in the OS keyring; MailSetupError when there is none."""
    import keyring
    from keyring.errors import KeyringError

    if not username or not password:
        raise MailSetupError("Give the mailbox user name and password.")
    try:
        keyring.set_password(KEYRING_SERVICE, username, password)
    except KeyringError:
        raise MailSetupError(NO_KEYRING) from None


def stored_password(username: str) -> str:
    import keyring
    from keyring.errors import KeyringError

    try:
        password = keyring.get_password(KEYRING_SERVICE, username)
    except KeyringError:
        raise MailSetupError(NO_KEYRING) from None
    if not password:
        raise MailSetupError(
            f"No password is stored for {username}; enter it in the reminder settings."
        )
    return password


# ---------------------------------------------------------------- sending


def send_due(
    db: Database,
    *,
    password: str | None = None,
    now: datetime | None = None,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 20.0,
) -> SendResult:
    """Send every queued email that is due. Returns what happened; raises MailSetupError only
    when the mailbox is not set up or its password is unknown (nothing is touched then)."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        mail = settings_in(session).mail
        due = reminders.due_emails(session, now)
        uncertain = reminders.uncertain_count(session)
    if not due:
        return SendResult(uncertain=uncertain, problems=_uncertain_note(uncertain))
    if not mail.configured:
        raise MailSetupError(
            f"Set up the reminder mailbox first; {len(due)} reminders wait in the queue."
        )
    secret = password if password else stored_password(mail.username)
    try:
        connection = _connect(mail, secret, ssl_context, timeout)
    except smtplib.SMTPAuthenticationError as error:
        raise MailSetupError(f"The mail server refused the login: {_words(error)}") from None
    except smtplib.SMTPException as error:
        note = f"The mail server would not start: {_words(error)}"
        _note_all(db, due, note)
        return SendResult(held=len(due), uncertain=uncertain, problems=(note,))
    except (OSError, ssl.SSLError) as error:
        note = f"Offline: {mail.host} cannot be reached ({error}). Reminders stay queued."
        return SendResult(held=len(due), uncertain=uncertain, offline=True, problems=(note,))
    try:
        return _send_each(db, connection, mail, due, uncertain)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


TEST_SUBJECT = "Fascia test message"
TEST_BODY = (
    "This message shows that Fascia can send appointment reminders through this mailbox.\n"
    "Nothing needs to be done with it.\n"
)


def send_test(
    mail: MailSettings,
    to_address: str,
    *,
    password: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 20.0,
) -> str:
    """Send one test message through the mailbox as given (saved or not). Returns what
    happened in a sentence; MailSetupError carries the server's words when it fails."""
    errors = mail_errors(mail)
    if not mail.configured:
        errors.setdefault(
            "smtp_host", "Give the mail server, the user name and the sender address."
        )
    to_address = to_address.strip() if isinstance(to_address, str) else ""
    if not is_email(to_address) or len(to_address) > 255:
        errors["test_to"] = "Send the test to an email address, such as your own."
    if errors:
        raise ValidationError(errors)
    secret = password if password else stored_password(mail.username)
    try:
        connection = _connect(mail, secret, ssl_context, timeout)
    except smtplib.SMTPAuthenticationError as error:
        raise MailSetupError(f"The mail server refused the login: {_words(error)}") from None
    except smtplib.SMTPException as error:
        raise MailSetupError(f"The mail server would not start: {_words(error)}") from None
    except (OSError, ssl.SSLError) as error:
        raise MailSetupError(f"{mail.host}:{mail.port} cannot be reached ({error}).") from None
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail.sender, to_address, TEST_SUBJECT
    message["Date"] = format_datetime(datetime.now(UTC))
    message.set_content(TEST_BODY)
    try:
        result, words = _hand_over(connection, message)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
    if result != "sent":
        raise MailSetupError(f"The mail server did not take the test message: {words}")
    return f"The mail server took the test message for {to_address}; look for it in that inbox."


def _send_each(
    db: Database,
    connection: smtplib.SMTP,
    mail: MailSettings,
    due: list[Reminder],
    uncertain: int,
) -> SendResult:
    sent = failed = 0
    problems: list[str] = []
    for index, reminder in enumerate(due):
        message = _message(db, reminder, mail)
        message["Message-ID"] = _mark_sending(db, reminder, mail)
        result, words = _hand_over(connection, message)
        if result == "sent":
            _mark_sent(db, reminder)
            sent += 1
        elif result == "refused":
            _refused(db, reminder, words)
            failed += 1
            problems.append(f"{reminder.to_address}: {words}")
        else:
            uncertain += 1
            problems.append(
                f"Sending to {reminder.to_address} stopped midway ({words}); check your Sent "
                "folder, then mark it sent or send it again."
            )
            held = len(due) - index - 1
            return SendResult(sent, failed, held, uncertain, False, tuple(problems))
    problems += _uncertain_note(uncertain)
    return SendResult(sent, failed, 0, uncertain, False, tuple(problems))


def _hand_over(connection: smtplib.SMTP, message: EmailMessage) -> tuple[str, str]:
    """'sent'; 'refused' with the server's words (it certainly did not take the message); or
    'uncertain' when the connection failed midway (it may have)."""
    try:
        connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        return "refused", "; ".join(_words(e) for e in _refusals(error))
    except smtplib.SMTPResponseException as error:
        return "refused", _words(error)
    except (smtplib.SMTPException, OSError) as error:
        return "uncertain", str(error) or type(error).__name__
    return "sent", ""


def _connect(
    mail: MailSettings, password: str, context: ssl.SSLContext | None, timeout: float
) -> smtplib.SMTP:
    connection = smtplib.SMTP(mail.host, mail.port, timeout=timeout)
    try:
        connection.ehlo()
        connection.starttls(context=context or ssl.create_default_context())
        connection.ehlo()
        connection.login(mail.username, password)
    except BaseException:
        connection.close()
        raise
    return connection


def _message(db: Database, reminder: Reminder, mail: MailSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = reminder.to_address
    message["Subject"] = reminder.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message.set_content(reminder.body)
    invitation = ics.invitation(db, reminder.appointment_id)
    message.add_attachment(
        invitation, maintype="text", subtype="calendar", filename="appointment.ics"
    )
    return message


def _mark_sending(db: Database, reminder: Reminder, mail: MailSettings) -> str:
    """Commit `sending` and the Message-ID before the server sees the message."""
    domain = mail.sender.rpartition("@")[2] or "localhost"
    message_id = reminder.message_id or make_msgid(f"reminder{reminder.id}", domain)
    with db.transaction() as session:
        reminders.set_outcome(
            session,
            reminder.id,
            status="sending",
            message_id=message_id,
            sending_at=utcnow(),
            attempts=reminder.attempts + 1,
        )
    return message_id


def _mark_sent(db: Database, reminder: Reminder) -> None:
    with db.transaction() as session:
        reminders.set_outcome(session, reminder.id, status="sent", sent_at=utcnow(), last_error="")
        _log(db, session, reminder, "Reminder email sent", {"to": [None, reminder.to_address]})


def _refused(db: Database, reminder: Reminder, words: str) -> None:
    with db.transaction() as session:
        reminders.set_outcome(session, reminder.id, status="queued", last_error=words)
        _log(
            db, session, reminder, "Reminder email refused by the server", {"error": [None, words]}
        )


def _note_all(db: Database, due: list[Reminder], words: str) -> None:
    with db.transaction() as session:
        for reminder in due:
            reminders.set_outcome(session, reminder.id, last_error=words)


def _log(
    db: Database, session: Session, reminder: Reminder, summary: str, changes: dict[str, Any]
) -> None:
    audit.log(
        db,
        session,
        action="reminder",
        entity="reminder",
        entity_id=reminder.id,
        client_id=reminder.client_id,
        summary=summary,
        changes=changes,
    )


def _words(error: BaseException) -> str:
    """The server's reply ('550 5.1.1 No such user'), as it said it."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}".strip()
    return str(error)


def _refusals(error: smtplib.SMTPRecipientsRefused) -> list[BaseException]:
    return [smtplib.SMTPResponseException(code, text) for code, text in error.recipients.values()]


def _uncertain_note(count: int) -> tuple[str, ...]:
    if not count:
        return ()
    return (
        f"{count} reminder(s) may have gone out before a connection dropped; check your Sent "
        "folder, then mark each sent or send it again.",
    )
