"""The Schedule area: a week (or day, or month) of appointments, moved and booked in place.

Reads go through QueryOp (one `schedule_range` call per view), writes through WriteOp; the
page refreshes itself when any write changes appointments, visits or invoices (`Refresh`).
Keys: PgUp/PgDn or Alt+Left/Right move by a view, T is today, D/W/M switch the view, N books
at the selected slot, Enter opens, Delete cancels (asking why), Alt+PgUp/PgDn moves the
selected appointment a week earlier or later (and the view follows), L opens the waitlist and
R the reminders. A block dragged to the grid's edge and held there turns the week.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import babel.dates
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.dates import babel_locale
from practice.schedule import queries, service
from practice.schedule.records import Appointment, Outcome, ScheduleRange
from practice.store.database import Database
from ui import icons, theme
from ui.ops import QueryOp, Refresh, WriteOp
from ui.schedule import ask
from ui.schedule.dialog import AppointmentDialog, CancelDialog
from ui.schedule.grid import HOUR, TimeGrid
from ui.schedule.header import DayHeader
from ui.schedule.month import MonthView
from ui.widgets import dates
from ui.widgets.forms import section_title
from ui.widgets.shortcuts import AREA, KEYS

VIEWS = ("day", "week", "month")


def _now() -> datetime:
    return datetime.now(UTC)


class SchedulePage(QWidget):
    status = Signal(str)
    visit_started = Signal(object)  # care.VisitStart: open its note in the client's record

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.view = "week"
        self.day = _now().date()
        self.schedule: ScheduleRange | None = None
        self._scrolled = False
        self.dialog: AppointmentDialog | None = None
        self._select_when_shown: int | None = None  # an appointment the view followed

        self.title = section_title("")
        self.today_button = QPushButton(icons.icon("calendar-days"), "Today")
        self.today_button.setToolTip("Go to today (T)")
        self.previous_button = self._tool("chevron-left", "Previous (PgUp, Alt+Left)")
        self.next_button = self._tool("chevron-right", "Next (PgDn, Alt+Right)")
        self.view_buttons = QButtonGroup(self)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for name, key in zip(VIEWS, "DWM", strict=True):
            button = QPushButton(name.capitalize())
            button.setCheckable(True)
            button.setToolTip(f"{name.capitalize()} view ({key})")
            button.setAccessibleName(f"{name.capitalize()} view")
            button.clicked.connect(lambda _=False, v=name: self.show_view(v))
            self.view_buttons.addButton(button)
            switch.addWidget(button)
        self.waitlist_button = QPushButton(icons.icon("hourglass"), "Waitlist")
        self.waitlist_button.setToolTip("Clients waiting for an earlier or a regular slot (L)")
        self.reminders_button = QPushButton(icons.icon("bell"), "Reminders")
        self.reminders_button.setToolTip("Reminder emails and calls: the queue, sending (R)")
        self.new_button = QPushButton(
            icons.icon("calendar-plus", theme.colours().accent_text), "New appointment"
        )
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip("Book at the selected time (N)")

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.today_button)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(8)
        bar.addWidget(self.title, 1)
        bar.addLayout(switch)
        bar.addSpacing(16)
        bar.addWidget(self.waitlist_button)
        bar.addWidget(self.reminders_button)
        bar.addWidget(self.new_button)

        self.grid = TimeGrid()
        self.header = DayHeader(self.grid)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.grid)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.verticalScrollBar().setSingleStep(HOUR // 2)
        timed = QWidget()
        timed_layout = QVBoxLayout(timed)
        timed_layout.setContentsMargins(0, 0, 0, 0)
        timed_layout.setSpacing(0)
        timed_layout.addWidget(self.header)
        timed_layout.addWidget(self.scroll, 1)
        self.month = MonthView()
        self.stack = QStackedWidget()
        self.stack.addWidget(timed)
        self.stack.addWidget(self.month)
        self.stack.setObjectName("ScheduleFrame")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.setSpacing(12)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.today_button.clicked.connect(self.go_today)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.new_button.clicked.connect(lambda: self.new_appointment(self.grid.selected_start()))
        self.waitlist_button.clicked.connect(self.show_waitlist)
        self.reminders_button.clicked.connect(self.show_reminders)
        self.grid.create_requested.connect(self.new_appointment)
        self.grid.open_requested.connect(self.open_appointment)
        self.grid.move_requested.connect(self._on_grid_move_requested)
        self.grid.step_requested.connect(self.step)
        self.grid.resize_requested.connect(self._on_grid_resize_requested)
        self.grid.cancel_requested.connect(self.cancel_appointment)
        self.month.day_chosen.connect(self._on_month_day_chosen)
        self.header.day_clicked.connect(self._on_header_day_clicked)
        self._shortcuts()
        self.refresher = Refresh(self, ("appointment", "visit", "invoice", "settings"), self.reload)
        self._check_view_button()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.month if self.view == "month" else self.grid).setFocus()

    def _tool(self, icon: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icons.icon(icon))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setMinimumSize(32, 32)
        return button

    def _shortcuts(self) -> None:
        self.setProperty(AREA, "Schedule")
        keys = {
            "PgUp": ("Previous day, week or month", lambda: self.step(-1)),
            "PgDown": ("Next day, week or month", lambda: self.step(1)),
            "Alt+Left": ("Previous day, week or month", lambda: self.step(-1)),
            "Alt+Right": ("Next day, week or month", lambda: self.step(1)),
            "Alt+PgUp": ("Move the selected appointment a week earlier", lambda: self.shift(-1)),
            "Alt+PgDown": ("Move the selected appointment a week later", lambda: self.shift(1)),
            "T": ("Today", self.go_today),
            "D": ("Day view", lambda: self.show_view("day")),
            "W": ("Week view", lambda: self.show_view("week")),
            "M": ("Month view", lambda: self.show_view("month")),
            "L": ("Waitlist", self.show_waitlist),
            "R": ("Reminders", self.show_reminders),
        }
        for key, (does, slot) in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(does)  # listed in Help > Keyboard shortcuts
            shortcut.activated.connect(slot)
        # Keys the grid reads itself, listed in Help > Keyboard shortcuts too.
        self.setProperty(
            KEYS,
            [
                "New appointment at the selected time|N",
                "Open the selected appointment|Return",
                "Cancel the selected appointment|Delete",
                "Move the selection|Up,Down,Left,Right",
            ],
        )

    # ---------------------------------------------------------------- navigation

    def show_view(self, view: str) -> None:
        self.view = view
        self._check_view_button()
        self.stack.setCurrentIndex(1 if view == "month" else 0)
        self.reload()
        (self.month if view == "month" else self.grid).setFocus()

    def _check_view_button(self) -> None:
        for button in self.view_buttons.buttons():
            button.setChecked(button.text().lower() == self.view)

    def go_today(self) -> None:
        self.day = _now().date()
        self._scrolled = False
        self.reload()

    def go_to(self, day: date) -> None:
        self.day = day
        self.reload()

    def step(self, direction: int) -> None:
        if self.view == "day":
            self.day += timedelta(days=direction)
        elif self.view == "week":
            self.day += timedelta(days=7 * direction)
        else:
            month = self.day.month - 1 + direction
            self.day = date(self.day.year + month // 12, month % 12 + 1, 1)
        self.reload()

    def first_day(self) -> date:
        if self.view == "day":
            return self.day
        if self.view == "week":
            return self.day - timedelta(days=self.day.weekday())
        return self.day.replace(day=1)

    def reload(self) -> None:
        db, view, first = self.db, self.view, self.first_day()

        def work() -> ScheduleRange:
            if view == "month":
                return queries.month_schedule(db, first.year, first.month)
            return queries.schedule_range(db, first, 1 if view == "day" else 7)

        QueryOp(self, work, self._show).run(key="range")

    def _show(self, schedule: ScheduleRange) -> None:
        self.schedule = schedule
        now = _now()
        self.title.setText(self._title(schedule))
        if self.view == "month":
            self.month.show_range(schedule, now)
            return
        self.grid.show_range(schedule, schedule.locale, now)
        followed = self._select_when_shown
        if followed is not None and self.grid.appointment(followed) is not None:
            self._select_when_shown = None
            self.grid.select_appointment(followed)
        self.header.today = now.astimezone(self.grid.zone).date()
        self.header.update()
        if not self._scrolled:
            self._scrolled = True
            self.scroll.verticalScrollBar().setValue(
                int(self.grid.y(self.grid.first_open_minute()))
            )

    def _title(self, schedule: ScheduleRange) -> str:
        locale = babel_locale(schedule.locale)
        first, last = schedule.days[0].day, schedule.days[-1].day
        if self.view == "month":
            return babel.dates.format_date(first, "LLLL y", locale=locale)
        if self.view == "day":
            return babel.dates.format_date(first, "full", locale=locale)
        return babel.dates.format_interval(first, last, "yMMMd", locale=locale)

    def _on_header_day_clicked(self, day: date) -> None:
        self.day = day
        self.show_view("week" if self.view == "day" else "day")

    def _on_month_day_chosen(self, day: date) -> None:
        self.day = day
        self.show_view("day")

    # ---------------------------------------------------------------- booking and changing

    def new_appointment(self, start: datetime, end: datetime | None = None) -> None:
        """The appointment dialog for a new booking at `start` (and `end`, from a drag)."""
        self._open_dialog(AppointmentDialog(self.db, self, start=start, end=end))

    def open_appointment(self, appointment: Appointment) -> None:
        self._open_dialog(AppointmentDialog(self.db, self, appointment=appointment))

    def _open_dialog(self, dialog: AppointmentDialog) -> None:
        self.dialog = dialog
        dialog.status.connect(self.status)
        dialog.visit_started.connect(self.visit_started)
        dialog.slot_freed.connect(self.offer_slot)
        dialog.finished.connect(lambda _r: self.grid.setFocus())
        dialog.open()

    def cancel_appointment(self, appointment: Appointment) -> None:
        dialog = CancelDialog(self.db, appointment, self)
        dialog.status.connect(self.status)
        dialog.slot_freed.connect(self.offer_slot)
        dialog.open()

    # ---------------------------------------------------------------- the waitlist

    def show_waitlist(self) -> None:
        from ui.schedule.waitlist import WaitlistDialog

        self.waitlist = WaitlistDialog(self.db, self)
        self.waitlist.status.connect(self.status)
        self.waitlist.finished.connect(lambda _r: self.grid.setFocus())
        self.waitlist.open()

    def show_reminders(self) -> None:
        from ui.schedule.reminders import RemindersDialog

        self.reminders = RemindersDialog(self.db, self)
        self.reminders.status.connect(self.status)
        self.reminders.settings_requested.connect(self._on_reminders_settings_requested)
        self.reminders.finished.connect(lambda _r: self.grid.setFocus())
        self.reminders.open()

    def _on_reminders_settings_requested(self) -> None:
        from ui.schedule.settings_dialog import Tab

        self.show_settings(Tab.MAILBOX)

    def show_settings(self, tab: int = 0) -> None:
        """Working hours, fee policy, the reminder mailbox and message, and the calendar
        folder (also Edit > Schedule settings…)."""
        from ui.schedule.settings_dialog import ScheduleSettingsDialog

        self.settings_dialog = ScheduleSettingsDialog(self.db, self.window(), tab=tab)
        self.settings_dialog.status.connect(self.status)
        self.settings_dialog.open()

    def offer_slot(self, outcome: Outcome) -> None:
        """A cancellation or no-show freed time the waitlist could fill: offer it."""
        from ui.schedule.offers import SlotOffersDialog

        freed = outcome.appointment
        zone = freed.time_zone if freed is not None else "UTC"
        self.offers = SlotOffersDialog(self.db, outcome.suggestions, zone, self)
        self.offers.status.connect(self.status)
        self.offers.finished.connect(lambda _r: self.grid.setFocus())
        self.offers.open()

    def _on_grid_move_requested(self, appointment: Appointment, start: datetime) -> None:
        self._retime(
            appointment,
            lambda confirm: service.move(self.db, appointment.id, start, confirm=confirm),
            "Move",
        )

    def shift(self, weeks: int) -> None:
        """Move the selected appointment by whole weeks, same wall-clock time, and follow it."""
        chosen = self.grid.selected_appointment() if self.view != "month" else None
        if chosen is None or not chosen.state.pending:
            self.status.emit("Select an upcoming appointment to move it by a week")
            return
        start = chosen.local_start + timedelta(weeks=weeks)  # aware in its zone: wall clock
        self._retime(
            chosen,
            lambda confirm: service.move(self.db, chosen.id, start, confirm=confirm),
            "Move",
            follow=start.date(),
        )

    def _on_grid_resize_requested(self, appointment: Appointment, end: datetime) -> None:
        self._retime(
            appointment,
            lambda confirm: service.resize(self.db, appointment.id, ends_at=end, confirm=confirm),
            "Change",
        )

    def _retime(  # type: ignore[no-untyped-def]
        self,
        appointment: Appointment,
        write,
        verb: str,
        confirm: bool = False,
        follow: date | None = None,
    ) -> None:
        """Write; warnings ask first. `follow`: the day to show once it moved."""

        def done(outcome: Outcome) -> None:
            if outcome.saved:
                self.status.emit(f"{appointment.client_name}: moved to {self._when(outcome)}")
                if follow is not None:
                    self._select_when_shown = appointment.id
                    self.go_to(follow)
                return
            found = ask.warnings_text(outcome.warnings)
            text = f"{appointment.client_name}'s appointment:\n{found}"
            if ask.go_ahead(self, "Check the time", text, f"{verb} anyway"):
                self._retime(appointment, write, verb, confirm=True, follow=follow)
            else:
                self.reload()

        WriteOp(self, lambda: write(confirm), done, changes=lambda o: o.changes).on_failed(
            lambda _e: self.reload()
        ).run()

    def _when(self, outcome: Outcome) -> str:
        a = outcome.appointment
        return dates.moment(a.local_start) if a is not None else ""
