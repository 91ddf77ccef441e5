"""A freed slot offered to the waitlist: the clients whose wishes fit, and one action to book.

The schedule opens this when a cancellation or a no-show leaves time that waiting clients
could take (`Outcome.suggestions`). Booking takes the client off the waitlist in the same
write; a time that was taken meanwhile comes back with its warnings to confirm or leave.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.schedule import waitlist
from practice.schedule.records import Outcome, WaitlistSuggestion, Wants
from practice.store.database import Database
from ui import icons, theme
from ui.ops import WriteOp
from ui.schedule import ask
from ui.widgets import dates
from ui.widgets.forms import muted, section_title


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The practice's wall clock (the date helpers read an aware time in the computer's zone)."""
    return moment.astimezone(zone).replace(tzinfo=None)


def moves(offer: WaitlistSuggestion) -> bool:
    """Whether taking the offer moves the client's later booking (an earlier-slot wish)."""
    return offer.entry.form.wants is Wants.EARLIER and offer.entry.next_appointment is not None


def offer_text(offer: WaitlistSuggestion, zone: ZoneInfo) -> str:
    start, end = local(offer.starts_at, zone), local(offer.ends_at, zone)
    wish = f"wants {offer.entry.form.wants.label.lower()}"
    if moves(offer):
        booked = local(offer.entry.next_appointment, zone)  # type: ignore[arg-type]
        wish = f"moves their appointment of {dates.moment(booked)} here"
    note = offer.entry.form.notes.splitlines()[0][:120] if offer.entry.form.notes else ""
    when = f"{dates.long_day(start.date())}, {dates.clock(start)}–{dates.clock(end)}"
    return f"{offer.entry.client_name}\n{when} · {wish}" + (f" · {note}" if note else "")


class SlotOffersDialog(QDialog):
    """The waiting clients who fit a freed slot, first come first; Enter books the chosen one."""

    status = Signal(str)

    def __init__(
        self,
        db: Database,
        offers: tuple[WaitlistSuggestion, ...],
        zone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.offers = offers
        self.zone = ZoneInfo(zone)
        self.confirming = False
        self.setWindowTitle("Fill the freed time")
        self.setMinimumWidth(560)
        self.list = QListWidget()
        self.list.setAccessibleName("Waiting clients who fit")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        for offer in offers:
            item = QListWidgetItem(icons.icon("hourglass"), offer_text(offer, self.zone))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.warnings = QLabel()
        self.warnings.setProperty("role", "error")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.book_button = QPushButton(
            icons.icon("calendar-plus", theme.colours().accent_text), "Book"
        )
        self.book_button.setProperty("primary", True)
        self.book_button.setDefault(True)
        later = QPushButton("Not now")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title("The waitlist could fill this time"))
        layout.addWidget(
            muted(
                "In the order they joined. Booking takes the client off the waitlist; one "
                "who wanted an earlier slot has their booking moved. Tell them by phone or "
                "email as you usually do."
            )
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        later.clicked.connect(self.reject)
        self.book_button.clicked.connect(self._on_book_clicked)
        self.list.currentRowChanged.connect(self._on_list_current_changed)
        self.list.itemActivated.connect(lambda _item: self._on_book_clicked())
        self._on_list_current_changed(0)

    def chosen(self) -> WaitlistSuggestion | None:
        row = self.list.currentRow()
        return self.offers[row] if 0 <= row < len(self.offers) else None

    def _on_list_current_changed(self, _row: int) -> None:
        offer = self.chosen()
        self.confirming = False
        self.warnings.hide()
        self.book_button.setEnabled(offer is not None)
        if offer is not None:
            verb = "Move {} here" if moves(offer) else "Book for {}"
            self.book_button.setText(verb.format(offer.entry.client_name[:40]))

    def _on_book_clicked(self) -> None:
        offer = self.chosen()
        if offer is None:
            return
        confirm, entry = self.confirming, offer.entry

        def work() -> Outcome:
            return waitlist.book(self.db, entry.id, offer.starts_at, offer.ends_at, confirm=confirm)

        def done(outcome: Outcome) -> None:
            if not outcome.saved:
                self.confirming = True
                self.warnings.setText(ask.warnings_text(outcome.warnings))
                self.warnings.show()
                self.book_button.setText("Book anyway")
                return
            when = dates.moment(local(offer.starts_at, self.zone))
            self.status.emit(f"{entry.client_name}: booked from the waitlist, {when}")
            self.accept()

        self.book_button.setEnabled(False)
        WriteOp(self, work, done, changes=lambda o: o.changes).after(
            lambda: self.book_button.setEnabled(self.chosen() is not None)
        ).run()
