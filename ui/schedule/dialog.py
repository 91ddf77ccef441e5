"""The appointment dialog (book, change, repeat; confirm, arrive, start the visit, bill, no-show)
and the cancel dialog (a reason, the fee policy, this / following / all of a series).

Every write goes through WriteOp. A time with warnings (an overlap, the buffer, outside hours,
a break, the past) is not saved: the warnings show above the buttons and the primary button
becomes "Book anyway"; changing a field asks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service as billing
from practice.billing.money import format_money
from practice.billing.records import ServiceKind
from practice.changes import Changes
from practice.clients import service as clients
from practice.errors import ValidationError
from practice.schedule import care, ics, missed, queries, series, service
from practice.schedule.checks import MAX_TEXT
from practice.schedule.records import (
    Appointment,
    AppointmentForm,
    AppointmentState,
    Outcome,
    SlotWarning,
)
from practice.schedule.rules import WEEKDAY_NAMES, Frequency, RecurrenceRule
from practice.schedule.series import Scope, SeriesForm, SeriesOutcome
from practice.store import staff
from practice.store.database import Database
from ui import icons, theme
from ui.ops import QueryOp, WriteOp
from ui.schedule import ask
from ui.schedule.blocks import STATE_ICONS, state_colours, state_pixmap
from ui.schedule.plan_hint import PlanSeriesHint
from ui.widgets import dates
from ui.widgets.forms import FormGrid, muted

REPEATS = (
    (0, "Does not repeat"),
    (1, "Every week"),
    (2, "Every 2 weeks"),
    (3, "Every 3 weeks"),
    (4, "Every 4 weeks"),
)
SCOPES = (
    (Scope.THIS, "This appointment only"),
    (Scope.FOLLOWING, "This and the following ones"),
    (Scope.ALL, "Every one still ahead"),
)
FIELDS = {
    "client_id": "client",
    "service_id": "service",
    "starts_at": "starts",
    "ends_at": "minutes",
    "duration_minutes": "minutes",
    "notes": "notes",
    "rule": "repeat",
    "count": "repeat",
    "until": "repeat",
    "scope": "scope",
}


@dataclass(frozen=True, slots=True)
class Choices:
    clients: tuple[tuple[int, str], ...]
    services: tuple[tuple[int, str, int, str], ...]  # id, name, minutes, price as written


def load_choices(db: Database) -> Choices:
    people = clients.search_clients(db, "")
    treatments = billing.list_services(db, kind=ServiceKind.TREATMENT)
    profile = clients.get_profile(db)
    currency, locale = (profile.currency, profile.locale) if profile else ("USD", "en_US")
    return Choices(
        tuple((c.id, c.display_name) for c in people),
        tuple(
            (s.id, s.name, s.duration_minutes or 0, format_money(s.price, currency, locale))
            for s in treatments
            if s.duration_minutes
        ),
    )


def client_box() -> QComboBox:
    """The client picker, empty: typed into to find a client (filled by `fill_client_box`)."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.lineEdit().setPlaceholderText("Type a few letters of the name")
    return box


def fill_client_box(box: QComboBox, choices: Choices, current: tuple[int, str] | None) -> None:
    """The client picker: every client, found by any part of the name, `current` (id, name)
    chosen, and kept even when archived since (so it is not lost from a record)."""
    box.blockSignals(True)
    box.addItem("", None)
    for client_id, name in choices.clients:
        box.addItem(name, client_id)
    if current is not None and box.findData(current[0]) < 0:
        box.addItem(current[1], current[0])
    completer = QCompleter([name for _id, name in choices.clients], box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setCompleter(completer)
    box.setCurrentIndex(box.findData(current[0]) if current else 0)
    box.blockSignals(False)


def usual_service(choices: Choices) -> int | None:
    """The service a new booking starts with: an hour's treatment if there is one."""
    hour = [s[0] for s in choices.services if s[2] == 60]
    return (hour or [s[0] for s in choices.services] or [None])[0]


def fee_message(outcome: Outcome) -> str:
    """What a cancellation or no-show cost, as a status line."""
    a = outcome.appointment
    name = a.client_name if a is not None else "Appointment"
    word = a.state.label.lower() if a is not None else "changed"
    if outcome.fee is None:
        return f"{name}: {word}, no fee"
    if outcome.fee.amount == 0:
        return f"{name}: {word}; {outcome.fee.note[:1].lower()}{outcome.fee.note[1:]}"
    where = " on a draft invoice" if outcome.fee_invoice_id is not None else ""
    return f"{name}: {word}; fee {outcome.fee.amount}{where}"


def waitlist_note(outcome: Outcome) -> str:
    """Who on the waitlist could take the freed time, for the status line."""
    names = list(dict.fromkeys(s.entry.client_name for s in outcome.suggestions))
    if not names:
        return ""
    return f". The waitlist could fill it: {', '.join(names[:3])}"


class AppointmentDialog(QDialog):
    status = Signal(str)
    visit_started = Signal(object)  # care.VisitStart
    slot_freed = Signal(object)  # the Outcome of a cancellation or no-show the waitlist could fill

    def __init__(
        self,
        db: Database,
        parent: QWidget,
        *,
        appointment: Appointment | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.appointment = appointment
        self.confirming = False
        self.choices: Choices | None = None
        self.setWindowTitle("Appointment" if appointment else "New appointment")
        self.setMinimumWidth(560)
        self.form = FormGrid()
        self.client = client_box()
        self.service = QComboBox()
        self.starts = QDateTimeEdit()
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd  HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 600)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(" min")
        self.repeat = QComboBox()
        for interval, text in REPEATS:
            self.repeat.addItem(text, interval)
        self.count = QSpinBox()
        self.count.setRange(2, 104)
        self.count.setValue(8)
        self.count.setSuffix(" visits")
        self.scope = QComboBox()
        for scope, text in SCOPES:
            self.scope.addItem(text, scope)
        self.plan_hint = PlanSeriesHint(db)
        self.notes = QLineEdit()
        self.notes.setMaxLength(2 * MAX_TEXT + 2)  # UTF-16 units; the core refuses over MAX_TEXT
        self.notes.setPlaceholderText("Practical notes only: parking, the door code")
        self.form.add("client", "&Client", self.client)
        self.form.add("service", "&Service", self.service)
        self.form.add("starts", "S&tarts", self.starts)
        self.form.add("minutes", "&Length", self.minutes)
        if appointment is None:
            repeats = QWidget()
            row = QHBoxLayout(repeats)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(8)
            row.addWidget(self.repeat, 1)
            row.addWidget(self.count)
            self.count.setAccessibleName("For how many visits")
            self.form.add("repeat", "&Repeats", repeats)
        elif appointment.series_id is not None:
            self.form.add("scope", "Change", self.scope)
        self.form.add("notes", "&Notes", self.notes)
        self.series_note = muted("")
        self.series_note.hide()
        self.state_icon = QLabel()
        self.state_label = QLabel()
        self.state_label.setProperty("role", "title")
        state_row = QHBoxLayout()
        state_row.setSpacing(8)
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_label, 1)
        self.warnings = QLabel()
        self.warnings.setProperty("role", "error")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.general = QLabel()
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()

        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        self.action_buttons: dict[str, QPushButton] = {}
        if appointment is not None:
            for name, text, icon in (
                ("confirm", "Confirm", "calendar-check"),
                ("arrive", "Arrived", "user-check"),
                ("visit", "Start visit", "file-pen"),
                ("bill", "Bill", "receipt"),
                ("no_show", "No-show", "user-x"),
                ("ics", "Save .ics…", "calendar-arrow-down"),
                ("cancel", "Cancel appointment…", "calendar-x"),
            ):
                button = QPushButton(icons.icon(icon), text)
                button.clicked.connect(getattr(self, f"_on_{name}_clicked"))
                self.action_buttons[name] = button
                self.actions.addWidget(button)
            # The front desk books; the note is the practitioner's to start, and billing the
            # visit reads what was acknowledged at signing (the desk bills by hand).
            for clinical in ("visit", "bill"):
                self.action_buttons[clinical].setVisible(staff.sees_clinical(db))
            self.action_buttons["cancel"].setProperty("danger", True)
            self.action_buttons["ics"].setToolTip(
                "Save the appointment as a calendar file for the client: when, where and the "
                "cancellation policy"
            )
            self.action_buttons["ics"].setAccessibleName("Save .ics for the client")
            self.actions.addStretch(1)

        self.close_button = QPushButton("Close")
        self.save_button = QPushButton("Save" if appointment else "Book")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        if appointment is not None:
            layout.addLayout(state_row)
            layout.addSpacing(8)
        layout.addWidget(self.form)
        if appointment is None:
            layout.addWidget(self.plan_hint)
        layout.addWidget(self.series_note)
        if appointment is not None:
            layout.addLayout(self.actions)
        layout.addStretch(1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.general)
        layout.addLayout(buttons)

        self.close_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.service.currentIndexChanged.connect(self._on_service_changed)
        self.repeat.currentIndexChanged.connect(self._on_repeat_changed)
        self.starts.dateChanged.connect(self._on_repeat_changed)
        self.plan_hint.toggled.connect(self._on_repeat_changed)
        if appointment is None:
            self.client.currentIndexChanged.connect(self._look_up_plan)
            self.starts.dateTimeChanged.connect(self._look_up_plan)
        for signal in (
            self.client.currentIndexChanged,
            self.starts.dateTimeChanged,
            self.minutes.valueChanged,
            self.repeat.currentIndexChanged,
            self.count.valueChanged,
            self.scope.currentIndexChanged,
            self.notes.textChanged,
        ):
            signal.connect(self._on_field_changed)
        self._fill_times(start, end)
        self._on_repeat_changed()
        self._update_actions()
        QueryOp(self, lambda: load_choices(db), self._on_choices).run()

    # ---------------------------------------------------------------- filling

    def _fill_times(self, start: datetime | None, end: datetime | None) -> None:
        a = self.appointment
        if a is not None:
            start, end = a.local_start, a.local_end
            self.notes.setText(a.notes)
        start = start or datetime.now(UTC).replace(second=0, microsecond=0)
        self.starts.setDateTime(QDateTime(start.replace(tzinfo=None)))
        self._dragged_minutes = int((end - start).total_seconds() // 60) if end else None
        self.minutes.setValue(self._dragged_minutes or 60)

    def _on_choices(self, choices: Choices) -> None:
        self.choices = choices
        a = self.appointment
        fill_client_box(self.client, choices, (a.client_id, a.client_name) if a else None)
        self.service.blockSignals(True)
        self.service.addItem("No service: type the length", None)
        for service_id, name, minutes, price in choices.services:
            self.service.addItem(f"{name} — {minutes} min · {price}", service_id)
        wanted = a.service_id if a is not None else usual_service(choices)
        self.service.setCurrentIndex(max(0, self.service.findData(wanted)))
        self.service.blockSignals(False)
        if a is None:
            self._on_service_changed()
        self.save_button.setEnabled(True)
        if a is None:
            self.client.setFocus()

    def _on_service_changed(self, *_args: object) -> None:
        """A service's length fills the length, unless a drag already gave one."""
        if self.choices is None or self._dragged_minutes is not None:
            return
        found = next((s for s in self.choices.services if s[0] == self.service.currentData()), None)
        if found is not None:
            self.minutes.setValue(found[2])

    def _look_up_plan(self, *_args: object) -> None:
        client_id = self.client.currentData() if self.client.currentIndex() > 0 else None
        self.plan_hint.look_up(client_id, self.starts.dateTime().toPython())

    def _on_repeat_changed(self, *_args: object) -> None:
        """'Every 2 weeks on Tuesday': the weekday is the start's, and follows it. The plan's
        series, when chosen, stands in for these choices."""
        planned = self.plan_hint.in_use() is not None
        self.repeat.setEnabled(not planned)
        self.count.setVisible(bool(self.repeat.currentData()) and not planned)
        day = WEEKDAY_NAMES[self.starts.dateTime().toPython().weekday()]
        for index, (interval, text) in enumerate(REPEATS):
            self.repeat.setItemText(index, f"{text} on {day}" if interval else text)

    def _on_field_changed(self, *_args: object) -> None:
        if self.confirming:
            self.confirming = False
            self.warnings.hide()
            self.save_button.setText("Save" if self.appointment else "Book")

    def _update_actions(self) -> None:
        a = self.appointment
        if a is None:
            return
        today = datetime.now(UTC).astimezone(a.local_start.tzinfo).date()
        state = a.state
        self.setWindowTitle(f"{a.client_name} · {a.state.label}")
        edge, _fill = state_colours(state)
        self.state_icon.setPixmap(state_pixmap(STATE_ICONS[state], edge))
        self.state_label.setText(
            f"{state.label} · {dates.long_day(a.local_start.date())}, {dates.clock(a.local_start)}"
        )
        self.state_label.setStyleSheet(f"color: {edge};")
        enabled = {
            "confirm": state is AppointmentState.BOOKED,
            "arrive": state.pending and a.day == today,
            "visit": a.visit_id is not None
            or ((state.pending or state is AppointmentState.ARRIVED) and a.day <= today),
            "bill": state is AppointmentState.NOTE_SIGNED,
            "no_show": state.pending and a.starts_at <= datetime.now(UTC),
            "cancel": state.pending or state is AppointmentState.ARRIVED,
            "ics": state.pending,
        }
        for name, on in enabled.items():
            self.action_buttons[name].setEnabled(on)
        self.action_buttons["visit"].setText("Open visit note" if a.visit_id else "Start visit")
        editable = state.pending
        for widget in (
            self.client,
            self.service,
            self.starts,
            self.minutes,
            self.notes,
            self.scope,
        ):
            widget.setEnabled(editable)
        self.save_button.setVisible(editable)
        if a.series_id is not None:
            self.series_note.setText("Part of a recurring series.")
            self.series_note.show()
        if a.cancel_reason or a.fee is not None:
            fee = f" Fee: {a.fee} ({a.fee_note})." if a.fee is not None else ""
            self.series_note.setText(f"{a.state.label}: {a.cancel_reason}.{fee}".replace("..", "."))
            self.series_note.show()

    # ---------------------------------------------------------------- saving

    def _values(self) -> dict[str, Any]:
        return {
            "client_id": self.client.currentData() if self.client.currentIndex() > 0 else None,
            "service_id": self.service.currentData(),
            "starts_at": self.starts.dateTime().toPython().replace(second=0, microsecond=0),
            "minutes": self.minutes.value(),
            "notes": self.notes.text(),
        }

    def _on_save_clicked(self) -> None:
        v = self._values()
        typed = self.client.currentText().strip()
        if v["client_id"] is None or typed != self.client.itemText(self.client.currentIndex()):
            self.form.show_errors({"client": "Choose the client from the list."})
            return
        confirm, db, a = self.confirming, self.db, self.appointment
        interval = self.repeat.currentData() if a is None else 0
        scope = self.scope.currentData() if a is not None and a.series_id else Scope.THIS

        proposal = self.plan_hint.in_use() if a is None else None

        def work() -> Outcome | SeriesOutcome:
            if proposal is not None:
                planned = SeriesForm(
                    v["client_id"],
                    v["starts_at"],
                    proposal.rule,
                    v["minutes"],
                    v["service_id"],
                    v["notes"],
                    plan_id=proposal.plan_id,
                )
                return series.create_series(db, planned, confirm=confirm)
            if a is None and interval:
                rule = RecurrenceRule(
                    Frequency.WEEKLY,
                    interval,
                    (v["starts_at"].weekday(),),
                    count=self.count.value(),
                )
                form = SeriesForm(
                    v["client_id"], v["starts_at"], rule, v["minutes"], v["service_id"], v["notes"]
                )
                return series.create_series(db, form, confirm=confirm)
            if a is not None and scope is not Scope.THIS:
                return series.change_series(
                    db,
                    a.id,
                    scope,
                    starts_at=v["starts_at"],
                    duration_minutes=v["minutes"],
                    service_id=v["service_id"],
                    notes=v["notes"],
                    confirm=confirm,
                )
            form = AppointmentForm(
                v["client_id"],
                v["starts_at"],
                v["minutes"],
                service_id=v["service_id"],
                notes=v["notes"],
            )
            if a is None:
                return service.book(db, form, confirm=confirm)
            return service.update(db, a.id, form, confirm=confirm)

        self.save_button.setEnabled(False)
        WriteOp(self, work, self._on_saved, changes=lambda o: o.changes).on_invalid(
            self._show_invalid
        ).after(lambda: self.save_button.setEnabled(True)).run()

    def _on_saved(self, outcome: Outcome | SeriesOutcome) -> None:
        if not outcome.saved:
            self._show_warnings(outcome.warnings)
            return
        if isinstance(outcome, SeriesOutcome):
            self.status.emit(f"{len(outcome.appointments)} appointments booked or changed")
        elif outcome.appointment is not None:
            when = dates.moment(outcome.appointment.local_start)
            self.status.emit(f"{outcome.appointment.client_name}: {when}")
        self.accept()

    def _show_warnings(self, warnings: tuple[SlotWarning, ...]) -> None:
        self.form.clear_errors()
        self.confirming = True
        self.warnings.setText(ask.warnings_text(warnings))
        self.warnings.show()
        self.save_button.setText("Save anyway" if self.appointment else "Book anyway")

    def _show_invalid(self, error: ValidationError) -> None:
        mapped = {FIELDS[k]: m for k, m in error.errors.items() if k in FIELDS}
        rest = [m for k, m in error.errors.items() if k not in FIELDS]
        self.form.show_errors({k: m for k, m in mapped.items() if k in self.form.fields})
        rest += [m for k, m in mapped.items() if k not in self.form.fields]
        self.general.setText(" ".join(rest))
        self.general.setVisible(bool(rest))

    # ---------------------------------------------------------------- the appointment's day

    def _state_write(self, work, message: str) -> None:  # type: ignore[no-untyped-def]
        WriteOp(
            self, work, lambda o: self._updated(o.appointment, message), changes=lambda o: o.changes
        ).on_invalid(self._show_invalid).run()

    def _updated(self, appointment: Appointment | None, message: str) -> None:
        if appointment is not None:
            self.appointment = appointment
            self._update_actions()
            self.status.emit(f"{appointment.client_name}: {message}")

    def _on_confirm_clicked(self) -> None:
        assert self.appointment is not None
        a_id = self.appointment.id
        self._state_write(lambda: service.confirm_appointment(self.db, a_id), "confirmed")

    def _on_arrive_clicked(self) -> None:
        assert self.appointment is not None
        a_id = self.appointment.id
        self._state_write(lambda: service.mark_arrived(self.db, a_id), "arrived")

    def _on_visit_clicked(self) -> None:
        assert self.appointment is not None
        a_id = self.appointment.id

        def started(start: care.VisitStart) -> None:
            self.visit_started.emit(start)
            self.accept()

        WriteOp(
            self, lambda: care.start_visit(self.db, a_id), started, changes=lambda s: s.changes
        ).on_invalid(self._show_invalid).run()

    def _on_bill_clicked(self) -> None:
        assert self.appointment is not None
        a = self.appointment

        def billed(invoice: Any) -> None:
            self.status.emit(f"{a.client_name}: billed on invoice {invoice.number or '(draft)'}")
            QueryOp(self, lambda: queries.get_appointment(self.db, a.id), self._refreshed).run()

        WriteOp(
            self,
            lambda: care.bill_appointment(self.db, a.id),
            billed,
            changes=Changes.of("invoice", "visit", "appointment", client_id=a.client_id),
        ).on_invalid(self._show_invalid).run()

    def _refreshed(self, appointment: Appointment) -> None:
        self.appointment = appointment
        self._update_actions()

    def _on_no_show_clicked(self) -> None:
        assert self.appointment is not None
        a = self.appointment
        text = f"Mark {a.client_name} as a no-show? The practice's fee policy applies."
        if not ask.go_ahead(self, "No-show", text, "Mark no-show"):
            return

        def done(outcome: Outcome) -> None:
            self.status.emit(fee_message(outcome))
            self._updated(outcome.appointment, "no-show")
            if outcome.suggestions:
                self.slot_freed.emit(outcome)

        WriteOp(
            self, lambda: missed.mark_no_show(self.db, a.id), done, changes=lambda o: o.changes
        ).on_invalid(self._show_invalid).run()

    def _on_ics_clicked(self) -> None:
        assert self.appointment is not None
        a = self.appointment
        suggested = str(Path.home() / ics.invitation_name(a))
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the appointment for the client", suggested, "Calendar files (*.ics)"
        )
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".ics") else f"{chosen}.ics")
        WriteOp(
            self,
            lambda: ics.write_invitation(self.db, a.id, path),
            lambda saved: self.status.emit(f"{a.client_name}: saved {saved.name}"),
        ).on_invalid(self._show_invalid).run()

    def _on_cancel_clicked(self) -> None:
        assert self.appointment is not None
        dialog = CancelDialog(self.db, self.appointment, self)
        dialog.status.connect(self.status)
        dialog.slot_freed.connect(self.slot_freed)
        dialog.accepted.connect(self.accept)
        dialog.open()


class CancelDialog(QDialog):
    """Cancel with a reason; late ones follow the fee policy unless the fee is waived here."""

    status = Signal(str)
    slot_freed = Signal(object)  # the Outcome, when the waitlist could fill the time

    def __init__(self, db: Database, appointment: Appointment, parent: QWidget) -> None:
        super().__init__(parent)
        self.db = db
        self.appointment = appointment
        self.setWindowTitle("Cancel appointment")
        self.setMinimumWidth(480)
        start = appointment.local_start
        when = f"{dates.long_day(start.date())}, {dates.clock(start)}"
        self.form = FormGrid()
        self.reason = QLineEdit()
        self.reason.setMaxLength(2 * MAX_TEXT + 2)  # UTF-16 units; the core refuses over MAX_TEXT
        self.reason.setPlaceholderText("Sick, car trouble, schedule change…")
        self.form.add("reason", "&Reason", self.reason)
        self.scope = QComboBox()
        for scope, text in SCOPES:
            self.scope.addItem(text, scope)
        if appointment.series_id is not None:
            self.form.add("scope", "Cancel", self.scope)
        self.waive = QCheckBox("Waive any late-cancellation fee for this one")
        note = muted(
            f"{appointment.client_name}, {when}. A cancellation inside the practice's notice "
            "period follows its fee policy: the fee becomes a line on a draft invoice."
        )
        cancel = QPushButton(icons.icon("calendar-x", theme.colours().danger), "Cancel appointment")
        cancel.setProperty("danger", True)
        cancel.setDefault(True)
        keep = QPushButton("Keep it")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(keep)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(self.waive)
        layout.addLayout(buttons)
        keep.clicked.connect(self.reject)
        cancel.clicked.connect(self._on_cancel_clicked)
        self.cancel_button = cancel

    def _on_cancel_clicked(self) -> None:
        a, reason = self.appointment, self.reason.text()
        charge = False if self.waive.isChecked() else None
        scope = self.scope.currentData() if a.series_id is not None else Scope.THIS

        def work() -> Outcome | SeriesOutcome:
            if scope is not Scope.THIS:
                return series.cancel_series(self.db, a.id, scope, reason, charge=charge)
            return missed.cancel(self.db, a.id, reason, charge=charge)

        def done(outcome: Outcome | SeriesOutcome) -> None:
            if isinstance(outcome, SeriesOutcome):
                self.status.emit(f"{len(outcome.appointments)} appointments cancelled")
            else:
                self.status.emit(fee_message(outcome) + waitlist_note(outcome))
            self.accept()
            if isinstance(outcome, Outcome) and outcome.suggestions:
                self.slot_freed.emit(outcome)

        changes = Changes.of("appointment", "invoice", client_id=a.client_id)
        WriteOp(self, work, done, changes=changes).on_invalid(
            lambda e: self.form.show_errors(
                {FIELDS.get(k, "reason"): m for k, m in e.errors.items()}
            )
        ).run()
