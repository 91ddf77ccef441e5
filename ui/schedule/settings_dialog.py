"""Edit > Schedule settings…: working hours, fee policy, reminder mailbox and message, calendar.

The working hours and fee policy tabs are built in `ui.schedule.hours_tab`. The mailbox
password goes to the OS keyring (practice.schedule.mailer), never the database; the rest is
one row of the practice's schedule settings. "Send test message" tries the mailbox as typed,
before it is saved. Every read, write and the test message go through the ops.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practice.clients.service import get_profile
from practice.dates import DEFAULT_LOCALE
from practice.errors import ValidationError
from practice.schedule import ics, mailer, reminders
from practice.schedule.hours import DayDraft, with_week
from practice.schedule.records import MailSettings, ScheduleSettings
from practice.schedule.settings import (
    SETTINGS_CHANGED,
    TEMPLATE_FIELDS,
    checked,
    get_settings,
    zone_names,
)
from practice.store.database import Database
from ui import icons
from ui.ops import QueryOp, WriteOp
from ui.schedule.hours_tab import FeesTab, HoursTab
from ui.widgets.forms import FormGrid, WrappedLabel, line, muted, section_title, text_box
from ui.widgets.scrolling import ScrollingBody, fit_to_screen

PREVIEW_DELAY_MS = 300
LONG_TEXT = 2 * 100_000 + 2  # UTF-16 units: 100,000 characters of any script reach the core


class Tab(IntEnum):
    HOURS = 0
    FEES = 1
    MAILBOX = 2
    MESSAGE = 3
    CALENDAR = 4


@dataclass(frozen=True, slots=True)
class Loaded:
    settings: ScheduleSettings
    has_password: bool
    zones: tuple[str, ...] = ()
    currency: str = "USD"  # the fee example's, in the practice's own money and style
    locale: str = DEFAULT_LOCALE


def load(db: Database) -> Loaded:
    settings = get_settings(db)
    has_password = False
    if settings.mail.username:
        try:
            has_password = bool(mailer.stored_password(settings.mail.username))
        except mailer.MailSetupError:
            has_password = False
    profile = get_profile(db)
    money = (profile.currency, profile.locale) if profile else ("USD", DEFAULT_LOCALE)
    return Loaded(settings, has_password, tuple(zone_names()), *money)


def save(
    db: Database, settings: ScheduleSettings, password: str, week: tuple[DayDraft, ...] = ()
) -> ScheduleSettings:
    """Check everything (with the week as typed, if given), keep a new password in the
    keyring, then store the settings."""
    from practice.schedule.settings import save_settings

    settings = with_week(settings, week) if week else checked(settings)
    if settings.calendar_folder:  # written first: a folder that refuses the file changes nothing
        target = Path(settings.calendar_folder) / ics.FEED_NAME
        try:
            ics.write_feed(db, target, full_names=settings.calendar_full_names)
        except ValidationError as error:
            raise ValidationError({"calendar_folder": " ".join(error.errors.values())}) from None
    if password:
        try:
            mailer.store_password(settings.mail.username, password)
        except mailer.MailSetupError as error:
            raise ValidationError({"password": str(error)}) from None
    return save_settings(db, settings)


def try_mailbox(mail: MailSettings, to_address: str, password: str) -> tuple[bool, str]:
    """Send the test message; (worked, what happened in words)."""
    try:
        return True, mailer.send_test(mail, to_address, password=password or None)
    except mailer.MailSetupError as error:
        return False, str(error)


class ScheduleSettingsDialog(QDialog):
    status = Signal(str)

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, tab: int = Tab.HOURS
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.loaded: Loaded | None = None
        self.tested: MailSettings | None = None  # the mailbox as typed when a test went through
        self.setWindowTitle("Schedule settings")
        self.setMinimumWidth(720)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._refresh_preview)
        self.tabs = QTabWidget()
        self.working, self.fee_policy = HoursTab(), FeesTab()
        self.tabs.addTab(ScrollingBody(self.working), "Wor&king hours")
        self.tabs.addTab(self.fee_policy, "Fee po&licy")
        self.tabs.addTab(self._mailbox_tab(), "Reminder &mailbox")
        self.tabs.addTab(self._message_tab(), "Reminder m&essage")
        self.tabs.addTab(self._calendar_tab(), "&Calendar")
        self.grids = (self.working, self.fee_policy.grid, self.mailbox, self.message, self.calendar)
        self.tabs.setCurrentIndex(tab)
        self.general = QLabel()
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setEnabled(False)
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        fit_to_screen(self)
        QueryOp(self, lambda: load(db), self._on_loaded).run()

    # ---------------------------------------------------------------- building

    def _mailbox_tab(self) -> QWidget:
        page = QWidget()
        self.mailbox = FormGrid()
        g = self.mailbox
        self.host = g.add("smtp_host", "Mail &server", line("smtp.example.com", LONG_TEXT))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.port.setMaximumWidth(140)
        g.add("smtp_port", "&Port", self.port)
        security = muted("STARTTLS: the connection is encrypted before the password is sent.")
        g.add("security", "Security", security)
        self.username = g.add("smtp_username", "&User name", line("Often your address", LONG_TEXT))
        self.sender = g.add("smtp_sender", "Se&nder", line("hello@example.com", LONG_TEXT))
        self.password = line("", LONG_TEXT)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        g.add("password", "Pass&word", self.password)
        self.hours = QSpinBox()
        self.hours.setRange(1, 24 * 14)
        self.hours.setSuffix(" hours before the appointment")
        self.hours.setMaximumWidth(320)
        g.add("reminder_hours", "Remind", self.hours)
        self.test_to = line("Your own address", LONG_TEXT)
        self.test_button = QPushButton(icons.icon("send"), "Send &test message")
        test_row = QWidget()
        row = QHBoxLayout(test_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.test_to, 1)
        row.addWidget(self.test_button)
        g.add("test_to", "Test &to", test_row)
        g.fields["test_to"] = self.test_to
        self.test_result = WrappedLabel()
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.hide()
        self.auto_send = QCheckBox("Send reminders &automatically")
        self.auto_send.setEnabled(False)
        self.auto_hint = muted("")
        sending = QWidget()
        column = QVBoxLayout(sending)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.auto_send)
        column.addWidget(self.auto_hint)
        g.add("send_automatically", "Sending", sending)
        g.fields["send_automatically"] = self.auto_send
        self.test_button.clicked.connect(self._on_test_clicked)
        for edit in (self.host, self.username, self.sender):
            edit.textChanged.connect(lambda _t: self._update_auto_send())
        self.port.valueChanged.connect(lambda _v: self._update_auto_send())
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(
            muted(
                "Reminders go out from your own mailbox. Fascia keeps the password in this "
                "computer's keyring, never in the practice file."
            )
        )
        layout.addWidget(g)
        layout.addWidget(self.test_result)
        layout.addStretch(1)
        return page

    def _update_auto_send(self) -> None:
        """Automatic sending can be turned on once the mailbox as typed has sent a test message
        (or is the saved one that already sends); a changed mailbox turns it off until tested."""
        mail = self.mail()
        saved = self.loaded is not None and self.loaded.settings.mail == mail
        was_on = saved and self.loaded is not None and self.loaded.settings.send_automatically
        works = mail.configured and (self.tested == mail or was_on)
        self.auto_send.setEnabled(works)
        if not works:
            self.auto_send.setChecked(False)
        self.auto_hint.setText(
            "While Fascia is open, reminders due are queued and sent every 10 minutes; "
            "offline, they wait for the next try."
            if works
            else "Send a test message first: reminders can go out by themselves once the "
            "mailbox works."
        )

    def _message_tab(self) -> QWidget:
        page = QWidget()
        self.message = FormGrid()
        self.subject = self.message.add("reminder_subject", "&Subject", line("", LONG_TEXT))
        self.body: QPlainTextEdit = self.message.add(  # type: ignore[assignment]
            "reminder_body", "&Text", text_box("", 7)
        )
        fields = " ".join(f"{{{name}}}" for name in sorted(TEMPLATE_FIELDS))
        hint = muted(f"Placeholders: {fields}. No clinical details ever go in a reminder.")
        self.preview_subject = QLabel()
        self.preview_subject.setProperty("role", "title")
        self.preview_subject.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_subject.setWordWrap(True)
        self.preview_body = QPlainTextEdit()
        self.preview_body.setReadOnly(True)
        self.preview_body.setAccessibleName("Preview of the reminder")
        self.subject.textChanged.connect(lambda _t: self._preview_timer.start())
        self.body.textChanged.connect(self._preview_timer.start)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        layout.addWidget(section_title("Preview: an appointment next Tuesday at 10:00"))
        layout.addWidget(self.preview_subject)
        layout.addWidget(self.preview_body, 1)
        return page

    def _calendar_tab(self) -> QWidget:
        page = QWidget()
        self.calendar = FormGrid()
        self.folder = line("No folder chosen: no calendar file is kept", LONG_TEXT)
        self.choose_button = choose = QPushButton(icons.icon("folder-open"), "C&hoose…")
        choose.setAccessibleName("Choose the calendar folder")
        stop = QPushButton("Stop keeping")
        stop.setToolTip("Keep no calendar file (the one written stays where it is)")
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        row.addWidget(stop)
        self.calendar.add("calendar_folder", "&Folder", folder_row)
        self.calendar.fields["calendar_folder"] = self.folder
        self.full_names = QCheckBox("Show clients' full names (by default only their initials)")
        self.calendar.add("calendar_full_names", "Names", self.full_names)
        choose.clicked.connect(self._on_choose_folder_clicked)
        stop.clicked.connect(self.folder.clear)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(
            muted(
                f"Fascia keeps {ics.FEED_NAME} in this folder up to date with your "
                "appointments: choose a synced folder (Nextcloud, Dropbox, iCloud Drive …) and "
                "subscribe to the file from your phone's calendar. It holds times, initials "
                "and services only, never notes or diagnoses. Each appointment also has "
                "Save .ics for the client."
            )
        )
        layout.addWidget(self.calendar)
        layout.addStretch(1)
        return page

    def _on_choose_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the folder for the calendar file", self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    # ---------------------------------------------------------------- loading and previews

    def _on_loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        s = loaded.settings
        self.working.load(s, loaded.zones)
        self.fee_policy.load(s.fees, loaded.currency, loaded.locale)
        self.host.setText(s.mail.host)
        self.port.setValue(s.mail.port)
        self.username.setText(s.mail.username)
        self.sender.setText(s.mail.sender)
        self.test_to.setText(s.mail.sender)
        self.password.setPlaceholderText(
            "Kept in the keyring; type a new one to change it"
            if loaded.has_password
            else "Not stored yet"
        )
        self.hours.setValue(s.reminder_hours)
        self.subject.setText(s.reminder_subject)
        self.folder.setText(s.calendar_folder)
        self.full_names.setChecked(s.calendar_full_names)
        self.body.setPlainText(s.reminder_body)
        self._update_auto_send()
        self.auto_send.setChecked(s.send_automatically and self.auto_send.isEnabled())
        self.save_button.setEnabled(True)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        subject, body = self.subject.text(), self.body.toPlainText()

        def shown(rendered: tuple[str, str]) -> None:
            self._show_message_errors({})
            self.preview_subject.setText(rendered[0])
            self.preview_body.setPlainText(rendered[1])

        QueryOp(self, lambda: reminders.preview(self.db, subject, body), shown).on_invalid(
            lambda e: self._show_message_errors(e.errors)
        ).run(key="preview")

    def _show_message_errors(self, errors: dict[str, str]) -> None:
        for name in ("reminder_subject", "reminder_body"):
            label = self.message.errors[name]
            label.set_message(errors.get(name, ""))

    # ---------------------------------------------------------------- the mailbox

    def mail(self) -> MailSettings:
        return MailSettings(
            self.host.text(), self.port.value(), self.username.text(), self.sender.text()
        )

    def _on_test_clicked(self) -> None:
        mail, to_address, password = self.mail(), self.test_to.text(), self.password.text()
        self.tested = None
        self._update_auto_send()
        self.mailbox.clear_errors()
        self.test_button.setEnabled(False)
        self.test_result.setProperty("role", "")
        self.test_result.setText("Sending a test message…")
        self.test_result.show()
        op = QueryOp(
            self,
            lambda: try_mailbox(mail, to_address, password),
            lambda outcome: self._on_tested(mail, outcome),
        )
        op.on_invalid(self._on_test_invalid).after(lambda: self.test_button.setEnabled(True)).run()

    def _on_tested(self, mail: MailSettings, outcome: tuple[bool, str]) -> None:
        worked, words = outcome
        self.tested = mail if worked else None
        self._update_auto_send()
        self.test_result.setProperty("role", "" if worked else "error")
        self.test_result.style().unpolish(self.test_result)
        self.test_result.style().polish(self.test_result)
        self.test_result.setText(words)
        self.test_result.show()

    def _on_test_invalid(self, error: ValidationError) -> None:
        self.test_result.hide()
        self.mailbox.show_errors(error.errors)

    # ---------------------------------------------------------------- saving

    def value(self) -> tuple[ScheduleSettings, tuple[DayDraft, ...]]:
        """The settings typed, with the week as typed (the core reads its breaks)."""
        assert self.loaded is not None
        settings, week = self.working.value(self.loaded.settings)
        return replace(
            settings,
            fees=self.fee_policy.value(),
            mail=self.mail(),
            reminder_hours=self.hours.value(),
            reminder_subject=self.subject.text(),
            reminder_body=self.body.toPlainText(),
            calendar_folder=self.folder.text(),
            calendar_full_names=self.full_names.isChecked(),
            send_automatically=self.auto_send.isChecked(),
        ), week

    def _on_save_clicked(self) -> None:
        (settings, week), password = self.value(), self.password.text()

        def saved(stored: ScheduleSettings) -> None:
            kept = f"; the calendar is kept in {stored.calendar_folder}"
            self.status.emit("Schedule settings saved" + (kept if stored.calendar_folder else ""))
            self.accept()

        self.save_button.setEnabled(False)
        WriteOp(
            self, lambda: save(self.db, settings, password, week), saved, changes=SETTINGS_CHANGED
        ).on_invalid(self._show_invalid).after(lambda: self.save_button.setEnabled(True)).run()

    def _show_invalid(self, error: ValidationError) -> None:
        """Each message next to its field; the first field's tab comes to the front."""
        wrong = [
            (index, {k: m for k, m in error.errors.items() if k in grid.fields})
            for index, grid in enumerate(self.grids)
        ]
        first = next((index for index, mine in wrong if mine), None)
        if first is not None:
            self.tabs.setCurrentIndex(first)
            wrong.append(wrong.pop(first))  # shown last, so its field keeps the focus
        for index, mine in wrong:
            self.grids[index].show_errors(mine)
        known = {name for grid in self.grids for name in grid.fields}
        rest = [m for k, m in error.errors.items() if k not in known]
        self.general.setText(" ".join(rest))
        self.general.setVisible(bool(rest))
