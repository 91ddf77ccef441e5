"""Plain input forms and read models for the schedule: settings, appointments, warnings, outcomes.

Times are aware datetimes in UTC; each appointment carries the IANA zone it was booked in, and
`local_start` / `local_end` give its wall-clock time there. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from practice.changes import NOTHING, Changes
from practice.errors import ValidationError


class AppointmentState(StrEnum):
    """What the schedule shows. The first three and the last two are stored; completed, note
    signed and billed are read from the linked visit and its invoice (see `derive_state`)."""

    BOOKED = "booked"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    COMPLETED = "completed"  # the visit note exists, not signed yet
    NOTE_SIGNED = "note_signed"
    BILLED = "billed"  # the visit is on an issued invoice that is not void
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def pending(self) -> bool:
        """Still ahead of the visit: it can be moved, confirmed, cancelled."""
        return self in (AppointmentState.BOOKED, AppointmentState.CONFIRMED)

    @property
    def missed(self) -> bool:
        return self in (AppointmentState.CANCELLED, AppointmentState.NO_SHOW)

    @property
    def occupies_time(self) -> bool:
        """Whether it blocks its slot: a cancelled appointment frees it, a no-show does not
        (the time was kept for the client)."""
        return self is not AppointmentState.CANCELLED


STATE_LABELS = {
    AppointmentState.BOOKED: "Booked",
    AppointmentState.CONFIRMED: "Confirmed",
    AppointmentState.ARRIVED: "Arrived",
    AppointmentState.COMPLETED: "Completed",
    AppointmentState.NOTE_SIGNED: "Note signed",
    AppointmentState.BILLED: "Billed",
    AppointmentState.CANCELLED: "Cancelled",
    AppointmentState.NO_SHOW: "No-show",
}
STORED_STATES = frozenset(
    {
        AppointmentState.BOOKED,
        AppointmentState.CONFIRMED,
        AppointmentState.ARRIVED,
        AppointmentState.CANCELLED,
        AppointmentState.NO_SHOW,
    }
)


def derive_state(
    stored: str, visit_status: str | None, visit_signed: bool, billed: bool
) -> AppointmentState:
    """The state shown: a cancellation or no-show as recorded, else what the visit says.

    A linked visit marked cancelled or no-show in the note editor wins over the stored state,
    so the two records never disagree on screen.
    """
    state = AppointmentState(stored)
    if state.missed or visit_status is None:
        return state
    if visit_status in (AppointmentState.CANCELLED, AppointmentState.NO_SHOW):
        return AppointmentState(visit_status)
    if billed:
        return AppointmentState.BILLED
    return AppointmentState.NOTE_SIGNED if visit_signed else AppointmentState.COMPLETED


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# ---------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class WorkingDay:
    """One weekday's hours (0 = Monday); no start or end means a day off."""

    weekday: int
    start: time | None = None
    end: time | None = None
    breaks: tuple[tuple[time, time], ...] = ()

    @property
    def open(self) -> bool:
        return self.start is not None and self.end is not None


def default_week() -> tuple[WorkingDay, ...]:
    """Monday to Friday, 9 to 5 with an hour for lunch; the weekend off."""
    lunch = ((time(12), time(13)),)
    return tuple(
        WorkingDay(day, time(9), time(17), lunch) if day < 5 else WorkingDay(day)
        for day in range(7)
    )


@dataclass(frozen=True, slots=True)
class FeePolicy:
    """Late cancellations and no-shows (DOMAIN.md section 10): notice, percent of the fee."""

    late_cancel_hours: int = 24
    late_cancel_percent: int = 50
    no_show_percent: int = 100
    waive_first: bool = True  # a client's first late cancellation or no-show is not charged


@dataclass(frozen=True, slots=True)
class MailSettings:
    """The therapist's own mailbox for reminders. The password lives in the OS keyring."""

    host: str = ""
    port: int = 587  # submission with STARTTLS
    username: str = ""
    sender: str = ""  # the From address

    @property
    def configured(self) -> bool:
        return bool(self.host and self.username and self.sender)


DEFAULT_REMINDER_SUBJECT = "Reminder: your appointment on {date} at {time}"
DEFAULT_REMINDER_BODY = (
    "Hello {name},\n\n"
    "This is a reminder of your appointment with {therapist} at {practice} on {date} at "
    "{time}.\n\n"
    "Address: {address}\n"
    "Phone: {phone}\n\n"
    "{policy}\n\n"
    "If you cannot come, please call us or reply to this message.\n"
)


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    time_zone: str  # IANA, e.g. America/Toronto
    buffer_minutes: int = 15  # between sessions: notes, laundry, room reset, the hands
    working_hours: tuple[WorkingDay, ...] = field(default_factory=default_week)
    fees: FeePolicy = FeePolicy()
    calendar_folder: str = ""  # where the .ics feed is kept current; "" = not kept
    calendar_full_names: bool = False  # the feed shows initials unless this is set
    reminder_hours: int = 48  # reminders go out this long before the appointment
    reminder_subject: str = DEFAULT_REMINDER_SUBJECT
    reminder_body: str = DEFAULT_REMINDER_BODY
    mail: MailSettings = MailSettings()
    # The running app queues and sends due reminders itself (every few minutes, held while
    # offline); off until the therapist turns it on once the mailbox works.
    send_automatically: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return zone_info(self.time_zone)

    def day(self, weekday: int) -> WorkingDay:
        return next((d for d in self.working_hours if d.weekday == weekday), WorkingDay(weekday))

    @property
    def working_weekdays(self) -> tuple[int, ...]:
        return tuple(d.weekday for d in self.working_hours if d.open)


# ---------------------------------------------------------------- appointments


@dataclass(frozen=True, slots=True)
class AppointmentForm:
    """A booking as typed or dragged. A naive `starts_at` is wall-clock time in the practice's
    zone; give `duration_minutes` or `ends_at`, or neither to take the service's length."""

    client_id: int
    starts_at: datetime
    duration_minutes: int | None = None
    ends_at: datetime | None = None
    service_id: int | None = None
    notes: str = ""  # practical notes only (parking, the door code); never clinical


@dataclass(frozen=True, slots=True)
class Appointment:
    id: int
    client_id: int
    client_name: str  # preferred name first, as the client list shows it
    client_initials: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    time_zone: str
    service_id: int | None
    service_name: str
    state: AppointmentState
    series_id: int | None
    visit_id: int | None
    notes: str
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    late_cancel: bool = False
    fee: Decimal | None = None  # decided for a late cancellation or no-show; 0 when waived
    fee_note: str = ""
    fee_invoice_id: int | None = None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(zone_info(self.time_zone))

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(zone_info(self.time_zone))

    @property
    def day(self) -> date:
        """The appointment's date where the practice is."""
        return self.local_start.date()

    @property
    def changes(self) -> Changes:
        return Changes.of("appointment", client_id=self.client_id)


class WarningKind(StrEnum):
    OVERLAP = "overlap"
    BUFFER = "buffer"
    OUTSIDE_HOURS = "outside_hours"
    BREAK = "break"
    PAST = "past"


@dataclass(frozen=True, slots=True)
class SlotWarning:
    """Something to confirm before booking a time; `other_id` is the appointment in the way,
    `occurrence` the series date it concerns (None for a single appointment)."""

    kind: WarningKind
    message: str
    other_id: int | None = None
    occurrence: datetime | None = None


class ScheduleConflict(ValidationError):
    """Raised instead of returning warnings when the caller asks for strictness."""

    def __init__(self, warnings: tuple[SlotWarning, ...]) -> None:
        self.warnings = warnings
        super().__init__({"starts_at": " ".join(w.message for w in warnings)})


@dataclass(frozen=True, slots=True)
class FeeDecision:
    """What the fee policy says about one late cancellation or no-show."""

    amount: Decimal  # 0 when waived
    percent: int
    note: str  # "50% of 60-min medical massage", "First missed appointment: waived"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer of every appointment write. Unsaved (`saved` False) when there were warnings
    to confirm: call again with confirm=True to go ahead."""

    saved: bool
    appointment: Appointment | None  # as saved; as it was when not saved (None: a new one)
    warnings: tuple[SlotWarning, ...] = ()
    fee: FeeDecision | None = None
    fee_invoice_id: int | None = None
    suggestions: tuple[WaitlistSuggestion, ...] = ()  # who could take a freed slot

    @property
    def changes(self) -> Changes:
        if not self.saved or self.appointment is None:
            return NOTHING
        changes = self.appointment.changes
        if self.fee_invoice_id is not None:
            changes = changes | Changes.of("invoice", client_id=self.appointment.client_id)
        return changes


# ---------------------------------------------------------------- ranges and Today


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of a schedule view: its working hours and breaks in UTC, and its appointments."""

    day: date
    opens_at: datetime | None  # None on a day off
    closes_at: datetime | None
    breaks: tuple[tuple[datetime, datetime], ...]
    appointments: tuple[Appointment, ...]


@dataclass(frozen=True, slots=True)
class ScheduleRange:
    """What a day, week or month view draws, in one call."""

    first_day: date
    days: tuple[DayPlan, ...]
    time_zone: str
    buffer_minutes: int
    locale: str = "en_US"  # the practice's, for the times a view writes

    @property
    def appointments(self) -> tuple[Appointment, ...]:
        return tuple(a for d in self.days for a in d.appointments)


@dataclass(frozen=True, slots=True)
class Attendance:
    """How a period went: for the week's figures on Today."""

    booked: int  # appointments that were not cancelled early
    attended: int
    no_shows: int
    late_cancellations: int
    cancellations: int

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.booked if self.booked else 0.0


# ---------------------------------------------------------------- waitlist


class Wants(StrEnum):
    EARLIER = "earlier"  # an earlier slot than the one booked
    REGULAR = "regular"  # a regular weekly slot

    @property
    def label(self) -> str:
        return {"earlier": "An earlier slot", "regular": "A regular slot"}[self]


@dataclass(frozen=True, slots=True)
class WaitlistForm:
    client_id: int
    wants: Wants
    duration_minutes: int
    service_id: int | None = None
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; empty: any working day
    earliest: time | None = None  # local wall clock
    latest: time | None = None  # the latest the appointment may end
    notes: str = ""


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    id: int
    client_id: int
    client_name: str
    form: WaitlistForm
    joined_at: datetime
    next_appointment: datetime | None  # the booked appointment an "earlier" wish improves on


@dataclass(frozen=True, slots=True)
class WaitlistSuggestion:
    entry: WaitlistEntry
    starts_at: datetime  # the time to offer (UTC)
    ends_at: datetime


def minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)
