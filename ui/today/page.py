"""Today, the home screen: the day's appointments with each client's alerts, the cards of what
is waiting (each opens the list it counts), the backup and the week's figures.

The day's list is read first and shown at once; the cards and the week's figures follow in two
more QueryOps (the same functions `fascia-cli today` prints). The page reads again whenever a
write touches anything it counts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import babel.dates
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from practice.dates import babel_locale, format_time
from practice.schedule.queries import TodayItem
from practice.schedule.records import zone_info
from practice.store.database import Database
from practice.today.figures import CARD_TITLES, CardKind
from practice.today.overview import (
    TodayOverview,
    backup_text,
    card_kinds,
    figure_text,
    today_head,
    week_texts,
    with_cards,
    with_week,
)
from ui import icons, theme
from ui.ops import QueryOp, Refresh
from ui.schedule.blocks import STATE_ICONS, state_colours
from ui.schedule.dialog import AppointmentDialog
from ui.today.cards import CARD_ICONS, CardDialog, FigureButton, OpenButton, card_detail
from ui.widgets.alerts import chips_for
from ui.widgets.chips import Chip
from ui.widgets.elided import ElidedLabel
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import muted, section_title

KINDS = (
    "appointment",
    "visit",
    "invoice",
    "payment",
    "plan",
    "intake",
    "consent",
    "client",
    "backup",
    "settings",
)


APPOINTMENTS_MIN_WIDTH = 300


class AppointmentRow(OpenButton):
    """One appointment of the day: time, client with alert chips, service, state. Enter or a
    click opens it."""

    def __init__(
        self, item: TodayItem, locale: str, parent: QWidget | None = None, *, next_up: bool = False
    ) -> None:
        super().__init__(parent)
        a = item.appointment
        self.item = item
        self.setObjectName("TodayRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        start = format_time(a.local_start.replace(tzinfo=None), locale)
        end = format_time(a.local_end.replace(tzinfo=None), locale)
        when = QLabel(f"{start}\n{end}")
        when.setProperty("muted", True)
        when.setFixedWidth(when.fontMetrics().horizontalAdvance("00:00 p.m.") + 8)
        # Narrow (125% on a laptop), the chips go under the name and long text ends in "…".
        name = ElidedLabel(a.client_name)
        name.setProperty("role", "title")
        service = ElidedLabel(a.service_name or "No service")
        service.setProperty("muted", True)
        middle = QVBoxLayout()
        middle.setSpacing(2)
        top = FlowLayout(spacing=6)
        top.addWidget(name)
        if next_up:
            top.addWidget(Chip("Next", "success"))  # not an alert's blue
        for chip in chips_for(list(item.alerts)):
            top.addWidget(chip)
        middle.addLayout(top)
        # The state ends the service's line, so a narrow day column keeps it in view: the row
        # is no wider than its time, and its widest chip or the state.
        edge, _fill = state_colours(a.state)
        state_icon = QLabel()
        state_icon.setPixmap(icons.pixmap(STATE_ICONS[a.state], 16, edge))
        state = QLabel(a.state.label)
        state.setStyleSheet(f"color: {edge}; font-weight: 600;")
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        bottom.addWidget(service, 1)
        bottom.addWidget(state_icon)
        bottom.addWidget(state)
        middle.addLayout(bottom)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        layout.addWidget(when)
        layout.addLayout(middle, 1)
        for label in self.findChildren(QLabel):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        alerts = "; ".join(x.title for x in item.alerts)
        self.setAccessibleName(f"{start} {a.client_name}, {a.service_name}, {a.state.label}")
        self.setAccessibleDescription(f"Alerts: {alerts}" if alerts else "No alerts")

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(QSize(200, 56))

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize().expandedTo(QSize(200, 56))


class TodayPage(QWidget):
    status = Signal(str)
    record_requested = Signal(object, object)  # CardKind, CardItem: open it in the record
    schedule_requested = Signal(object)  # date: the schedule on that day's week
    reports_requested = Signal()
    backup_requested = Signal()
    visit_started = Signal(object)  # care.VisitStart, from an appointment's dialog
    slot_freed = Signal(object)  # the Outcome of a cancellation or no-show the waitlist could fill

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.overview: TodayOverview | None = None
        self.dialog: QWidget | None = None

        self.title = section_title("Today")
        self.date_label = muted("", wrap=False)
        schedule = QPushButton(icons.icon("calendar"), "Schedule")
        schedule.setToolTip("The week's schedule (Ctrl+2)")
        schedule.clicked.connect(lambda: self.schedule_requested.emit(self._day()))
        self.new_button = QPushButton(
            icons.icon("calendar-plus", theme.colours().accent_text), "New appointment"
        )
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.title)
        head.addWidget(self.date_label, 1, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(schedule)
        head.addWidget(self.new_button)

        self.day_title = section_title("Appointments")
        self.rows = QVBoxLayout()
        self.rows.setSpacing(6)
        rows_holder = QWidget()
        rows_holder.setLayout(self.rows)
        self.rows_scroll = QScrollArea()
        self.rows_scroll.setWidget(rows_holder)
        self.rows_scroll.setWidgetResizable(True)
        self.rows_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.rows_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The day keeps a readable column when the cards' words would take all the width.
        self.rows_scroll.setMinimumWidth(APPOINTMENTS_MIN_WIDTH)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.day_title)
        left.addWidget(self.rows_scroll, 1)

        self.cards: dict[CardKind, FigureButton] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for index, kind in enumerate(card_kinds(db)):
            button = FigureButton(CARD_ICONS[kind], CARD_TITLES[kind])
            button.clicked.connect(lambda _=False, k=kind: self.open_card(k))
            self.cards[kind] = button
            grid.addWidget(button, index // 2, index % 2)
        self.backup = FigureButton("archive", "Backup")
        self.backup.clicked.connect(self.backup_requested)
        grid.addWidget(self.backup, 2, 1)
        self.week_title = section_title("This week")
        self.week: dict[str, FigureButton] = {}
        week_row = QHBoxLayout()
        week_row.setSpacing(12)
        for name, icon in (
            ("Visits", "stethoscope"),
            ("Revenue", "chart-column"),
            ("No-show rate", "user-x"),
        ):
            button = FigureButton(icon, name)
            self.week[name] = button
            week_row.addWidget(button)
        self.week["Visits"].clicked.connect(lambda: self.schedule_requested.emit(self._day()))
        self.week["No-show rate"].clicked.connect(lambda: self.schedule_requested.emit(self._day()))
        self.week["Revenue"].clicked.connect(self.reports_requested)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(section_title("Waiting for you"))
        right.addLayout(grid)
        right.addSpacing(8)
        right.addWidget(self.week_title)
        right.addLayout(week_row)
        right.addStretch(1)

        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(left, 5)
        body.addLayout(right, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        self.refresher = Refresh(self, KINDS, self.reload)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.overview is not None and self.overview.day != self._now_day():
            self.reload()  # the app stayed open past midnight

    def reload(self) -> None:
        """The day's list first (quick), then the cards and the week, each shown as it comes."""
        db = self.db
        QueryOp(self, lambda: today_head(db), self._show_head).run(key="today")

    @property
    def loaded(self) -> bool:
        return self.overview is not None and self.overview.complete

    def _show_head(self, head: TodayOverview) -> None:
        self.overview = head
        self._show_day(head)
        # Posted after the day's repaint, so the list is on screen before the cards' reads
        # (seconds of Python on a large practice) share the interpreter with it.
        QTimer.singleShot(0, self, lambda: self._read_cards(head))

    def _read_cards(self, head: TodayOverview) -> None:
        if self.overview is None or self.overview.appointments is not head.appointments:
            return  # a newer read began meanwhile
        db = self.db
        QueryOp(self, lambda: with_cards(db, head), self._show_cards).run(key="cards")
        QueryOp(self, lambda: with_week(db, head), self._show_week).run(key="week")

    def _merge(self, part: TodayOverview, **fields: object) -> TodayOverview | None:
        """Keep a part only if it belongs to the day shown (a newer read may have begun)."""
        if self.overview is None or self.overview.appointments is not part.appointments:
            return None
        self.overview = replace(self.overview, **fields)
        return self.overview

    def _now_day(self) -> date | None:
        if self.overview is None:
            return None
        zone = self.overview.appointments.time_zone
        return datetime.now(UTC).astimezone(zone_info(zone)).date()

    def _day(self) -> date:
        return self.overview.day if self.overview is not None else datetime.now(UTC).date()

    # ---------------------------------------------------------------- showing

    def _show_day(self, overview: TodayOverview) -> None:
        locale = overview.locale
        self.date_label.setText(
            babel.dates.format_date(overview.day, "full", locale=babel_locale(locale))
        )
        self._show_appointments(overview)

    def _show_cards(self, part: TodayOverview) -> None:
        overview = self._merge(part, cards=part.cards, backup=part.backup)
        if overview is None or overview.backup is None:
            return
        locale = overview.locale
        for card in overview.cards:
            self.cards[card.kind].show_figure(
                figure_text(card, overview.currency, locale),
                card_detail(card),
                attention=bool(card.count),
            )
        backup = overview.backup
        self.backup.show_figure(
            "Owner" if backup.by_owner else "OK" if backup.healthy else "Check",
            backup_text(backup, locale),
            attention=not backup.healthy,
        )

    def _show_week(self, part: TodayOverview) -> None:
        overview = self._merge(part, week=part.week)
        if overview is None or overview.week is None:
            return
        locale = overview.locale
        span = babel.dates.format_interval(
            overview.week.first_day, overview.week.last_day, "MMMd", locale=babel_locale(locale)
        )
        self.week_title.setText(f"This week, {span}")
        a = overview.week.attendance
        details = {
            "Visits": f"{a.booked} booked",
            "Revenue": "Invoiced, before tax",
            "No-show rate": f"{a.no_shows} of {a.booked} appointments",
        }
        for name, text in week_texts(overview.week, locale).items():
            self.week[name].show_figure(text, details[name])

    def _show_appointments(self, overview: TodayOverview) -> None:
        while self.rows.count():
            child = self.rows.takeAt(0)
            if child.widget() is not None:
                child.widget().deleteLater()
        items = overview.appointments.items
        shown = [i for i in items if i.appointment.state.occupies_time]
        cancelled = len(items) - len(shown)
        more = f" ({cancelled} cancelled)" if cancelled else ""
        self.day_title.setText(f"Appointments · {len(shown)}{more}")
        next_up = overview.appointments.next_up
        for item in items:
            row = AppointmentRow(item, overview.locale, next_up=item is next_up)
            row.clicked.connect(lambda _=False, i=item: self.open_appointment(i))
            self.rows.addWidget(row)
        if not items:
            empty = muted(
                "No appointments today. Book one with New appointment, or look at "
                "the week in the Schedule (Ctrl+2)."
            )
            empty.setProperty("role", "empty")
            self.rows.addWidget(empty)
        self.rows.addStretch(1)

    # ---------------------------------------------------------------- opening

    def open_card(self, kind: CardKind) -> None:
        if self.overview is None or not self.overview.cards:
            return
        dialog = CardDialog(
            self.overview.card(kind), self.overview.currency, self.overview.locale, self
        )
        dialog.chosen.connect(self.record_requested)
        self.dialog = dialog
        dialog.open()

    def open_appointment(self, item: TodayItem) -> None:
        self._open(AppointmentDialog(self.db, self, appointment=item.appointment))

    def _on_new_clicked(self) -> None:
        self._open(AppointmentDialog(self.db, self))

    def _open(self, dialog: AppointmentDialog) -> None:
        dialog.status.connect(self.status)
        dialog.visit_started.connect(self.visit_started)
        dialog.slot_freed.connect(self.slot_freed)
        self.dialog = dialog
        dialog.open()
