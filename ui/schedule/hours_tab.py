"""Edit > Schedule settings, the Working hours and Fee policy tabs.

Working hours: the practice's IANA time zone (type to find), each weekday's hours and breaks,
and the buffer between sessions. Fee policy: when a cancellation is late and what late
cancellations and no-shows cost. Each tab fills itself from a `ScheduleSettings` and gives
back what was typed; the dialog saves everything in one WriteOp, and the core's checks
(`practice.schedule.hours.with_week`, `settings.checked`) decide what may be stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from practice.billing.money import format_money
from practice.dates import DEFAULT_LOCALE
from practice.schedule.hours import (
    BREAKS_EXAMPLE,
    MAX_BREAKS_TEXT,
    DayDraft,
    format_breaks,
    zone_change_note,
)
from practice.schedule.missed import fee_decision
from practice.schedule.records import (
    AppointmentState,
    FeePolicy,
    ScheduleSettings,
    WorkingDay,
)
from practice.schedule.settings import MAX_BUFFER_MINUTES, MAX_NOTICE_HOURS, is_zone
from ui import icons, theme
from ui.widgets.forms import (
    ErrorLabel,
    FormGrid,
    WrappedLabel,
    align_captions,
    muted,
    section_title,
)

EXAMPLE_PRICE = Decimal("80.00")
DEFAULT_OPEN, DEFAULT_CLOSE = time(9), time(17)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _time_edit(name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    edit.setMinimumWidth(84)
    return edit


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMaximumWidth(300)
    return box


class ZoneBox(QComboBox):
    """The IANA zones; type any part of a name ("paris", "Toronto") to find one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self.lineEdit().setMaxLength(64)
        self.lineEdit().setPlaceholderText("Type to find, e.g. Toronto or Europe/Paris")

    def set_zones(self, names: tuple[str, ...], current: str) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItems(list(names))
        completer = QCompleter(list(names), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.blockSignals(False)
        found = self.findText(current)  # the list opens on the practice's zone
        if found >= 0:
            self.setCurrentIndex(found)
        else:
            self.setCurrentText(current)

    def zone(self) -> str:
        return self.currentText().strip()


class WeekEditor(QWidget):
    """Seven rows: a weekday ticked when the practice is open, its hours and its breaks, and
    under each row the message about that day (`working_hours[weekday]`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for column, title in ((1, "Opens"), (3, "Closes"), (4, "Breaks")):
            grid.addWidget(muted(title, wrap=False), 0, column)
        grid.setColumnStretch(4, 1)
        locale = QLocale()
        self.open: list[QCheckBox] = []
        self.starts: list[QTimeEdit] = []
        self.ends: list[QTimeEdit] = []
        self.breaks: list[QLineEdit] = []
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for weekday in range(7):
            name = locale.dayName(weekday + 1, QLocale.FormatType.LongFormat)
            row = 1 + weekday * 2
            tick = QCheckBox(name)
            tick.setAccessibleName(f"{name}: open")
            start, end = _time_edit(f"{name} opens"), _time_edit(f"{name} closes")
            breaks = QLineEdit()
            breaks.setMaxLength(MAX_BREAKS_TEXT)
            breaks.setPlaceholderText(f"None, or e.g. {BREAKS_EXAMPLE}")
            breaks.setAccessibleName(f"{name} breaks")
            error = ErrorLabel()
            grid.addWidget(tick, row, 0)
            grid.addWidget(start, row, 1)
            grid.addWidget(QLabel("to"), row, 2)
            grid.addWidget(end, row, 3)
            grid.addWidget(breaks, row, 4)
            grid.addWidget(error, row + 1, 1, 1, 4)
            tick.toggled.connect(lambda on, w=weekday: self._enable(w, on))
            self.open.append(tick)
            self.starts.append(start)
            self.ends.append(end)
            self.breaks.append(breaks)
            self.fields[f"working_hours[{weekday}]"] = start
            self.errors[f"working_hours[{weekday}]"] = error
        self.load(())

    def _enable(self, weekday: int, on: bool) -> None:
        for widget in (self.starts[weekday], self.ends[weekday], self.breaks[weekday]):
            widget.setEnabled(on)

    def load(self, week: tuple[WorkingDay, ...]) -> None:
        days = {d.weekday: d for d in week}
        for weekday in range(7):
            day = days.get(weekday, WorkingDay(weekday))
            self.open[weekday].setChecked(day.open)
            self._enable(weekday, day.open)
            self.starts[weekday].setTime(_qtime(day.start or DEFAULT_OPEN))
            self.ends[weekday].setTime(_qtime(day.end or DEFAULT_CLOSE))
            self.breaks[weekday].setText(format_breaks(day.breaks))

    def drafts(self) -> tuple[DayDraft, ...]:
        return tuple(
            DayDraft(
                weekday,
                self.open[weekday].isChecked(),
                _time(self.starts[weekday].time()),
                _time(self.ends[weekday].time()),
                self.breaks[weekday].text(),
            )
            for weekday in range(7)
        )

    def show_errors(self, errors: dict[str, str]) -> QWidget | None:
        """Each day's message under it; the breaks field framed in the danger colour when the
        message is about breaks (a time field keeps its own frame: the message says which).
        Returns the first wrong day's field."""
        first: QWidget | None = None
        for weekday in range(7):
            key = f"working_hours[{weekday}]"
            message = errors.get(key, "")
            self.errors[key].set_message(message)
            about_breaks = "break" in message.lower()
            field = self.breaks[weekday]
            field.setProperty("invalid", about_breaks)
            field.style().unpolish(field)
            field.style().polish(field)
            if message and first is None:
                first = field if about_breaks else self.starts[weekday]
        return first


class HoursTab(QWidget):
    """The zone, the week and the buffer. `fields` and `show_errors` work as a FormGrid's do,
    so the dialog shows messages here as on its other tabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved_zone = ""
        self.top = FormGrid()
        self.zone = ZoneBox()
        self.top.add("time_zone", "Time &zone", self.zone)
        self.zone_note = QWidget()
        note_row = QHBoxLayout(self.zone_note)
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.setSpacing(8)
        self.zone_icon = QLabel()
        self.zone_text = WrappedLabel()
        self.zone_text.setTextFormat(Qt.TextFormat.PlainText)
        note_row.addWidget(self.zone_icon, 0, Qt.AlignmentFlag.AlignTop)
        note_row.addWidget(self.zone_text, 1)
        self.zone_note.hide()
        self.week = WeekEditor()
        self.bottom = FormGrid()
        self.buffer = _spin(0, MAX_BUFFER_MINUTES, " minutes after each session")
        self.buffer.setSingleStep(5)
        self.bottom.add("buffer_minutes", "&Buffer", self.buffer)
        align_captions((self.top, self.bottom))
        self.fields = {**self.top.fields, **self.week.fields, **self.bottom.fields}
        self.zone.currentTextChanged.connect(lambda _t: self._update_zone_note())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(self.top)
        layout.addWidget(self.zone_note)
        layout.addWidget(section_title("Working week"))
        layout.addWidget(
            muted(
                "Bookings outside these hours or in a break ask for confirmation; the week "
                "view shades them."
            )
        )
        layout.addWidget(self.week)
        layout.addSpacing(8)
        layout.addWidget(self.bottom)
        layout.addWidget(
            muted("Time kept free after each appointment for notes, laundry and the room.")
        )
        layout.addStretch(1)

    def load(self, settings: ScheduleSettings, zones: tuple[str, ...]) -> None:
        self.saved_zone = settings.time_zone
        self.zone.set_zones(zones, settings.time_zone)
        self.week.load(settings.working_hours)
        self.buffer.setValue(settings.buffer_minutes)
        self._update_zone_note()

    def value(self, settings: ScheduleSettings) -> tuple[ScheduleSettings, tuple[DayDraft, ...]]:
        """The settings with the zone and buffer typed, and the week as typed (read by the core:
        `hours.with_week`)."""
        typed = replace(settings, time_zone=self.zone.zone(), buffer_minutes=self.buffer.value())
        return typed, self.week.drafts()

    def _update_zone_note(self) -> None:
        new = self.zone.zone()
        text = ""
        if self.saved_zone and new != self.saved_zone and is_zone(new):
            text = zone_change_note(self.saved_zone, new, date.today())
        self.zone_text.setText(text)
        colour = theme.colours().warning
        self.zone_icon.setPixmap(icons.pixmap("triangle-alert", 16, colour))
        self.zone_note.setVisible(bool(text))

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Each message next to its field; focus on the first, top to bottom."""
        shown = self.bottom.show_errors(errors)
        first = self.week.show_errors(errors)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return self.top.show_errors(errors) or first is not None or shown


class FeesTab(QWidget):
    """When a cancellation is late, and the percent of the session's price charged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.money = ("USD", DEFAULT_LOCALE)  # the example's currency and locale
        self.grid = g = FormGrid()
        self.notice = _spin(0, MAX_NOTICE_HOURS, " hours' notice or less")
        g.add("late_cancel_hours", "Late if &under", self.notice)
        self.late = _spin(0, 100, "% of the session's price")
        g.add("late_cancel_percent", "Late c&ancellation", self.late)
        self.no_show = _spin(0, 100, "% of the session's price")
        g.add("no_show_percent", "&No-show", self.no_show)
        self.waive = QCheckBox("&Waive each client's first late cancellation or no-show")
        g.add("waive_first", "First miss", self.waive)
        self.example = WrappedLabel()
        self.example.setTextFormat(Qt.TextFormat.PlainText)
        for box in (self.notice, self.late, self.no_show):
            box.valueChanged.connect(lambda _v: self._update_example())
        self.waive.toggled.connect(lambda _on: self._update_example())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(
            muted(
                "A cancellation with less notice than this, or a client who does not come, "
                "is charged a share of the session's price as a line on a draft invoice. You "
                "can still waive or charge any one when you record it."
            )
        )
        layout.addWidget(g)
        layout.addWidget(self.example)
        layout.addStretch(1)

    def load(self, fees: FeePolicy, currency: str = "USD", locale: str = DEFAULT_LOCALE) -> None:
        self.money = (currency, locale)
        self.notice.setValue(fees.late_cancel_hours)
        self.late.setValue(fees.late_cancel_percent)
        self.no_show.setValue(fees.no_show_percent)
        self.waive.setChecked(fees.waive_first)
        self._update_example()

    def value(self) -> FeePolicy:
        return FeePolicy(
            self.notice.value(), self.late.value(), self.no_show.value(), self.waive.isChecked()
        )

    def _update_example(self) -> None:
        policy = replace(self.value(), waive_first=False)
        costs = []
        for kind, what in (
            (AppointmentState.CANCELLED, "a late cancellation"),
            (AppointmentState.NO_SHOW, "a no-show"),
        ):
            decided = fee_decision(kind, EXAMPLE_PRICE, policy, prior_missed=1)
            amount = decided.amount if decided else Decimal("0.00")
            costs.append(f"{what} costs {format_money(amount, *self.money)}")
        waived = " A client's first miss is free." if self.waive.isChecked() else ""
        price = format_money(EXAMPLE_PRICE, *self.money)
        self.example.setText(f"For a session priced {price}: {costs[0]} and {costs[1]}.{waived}")
