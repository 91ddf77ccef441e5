"""What Today counts: one function per card, shared by the screen and `fascia-cli today`.

Each card lists what it counts (the client, a day, a line of detail and the record to open),
so a number on screen is always the length of a list the therapist can open. Read-only: a few
indexed queries each, no ORM objects past the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import exists, func, select

from practice.billing import reports
from practice.billing.models import InvoiceLineRow, InvoiceRow
from practice.bounds import is_day
from practice.clients.models import ClientRow, ConsentFormRow, ConsentRow, IntakeRow
from practice.errors import ValidationError
from practice.plans.models import PlanRow
from practice.schedule import queries
from practice.schedule.checks import display_name
from practice.schedule.models import AppointmentRow
from practice.schedule.records import Attendance
from practice.store.backups.overview import backup_overview
from practice.store.database import Database
from practice.visits.imported import imported_visit
from practice.visits.models import VisitRow

UNBILLED_DAYS = 90  # older unbilled visits are a billing report's matter, not the day's
REEVALUATION_AHEAD = 7  # plans whose re-evaluation falls within a week show up
PAPERWORK_AHEAD = 7  # clients booked within a week without an intake or a consent
FIRST_DAY, LAST_DAY = date(1971, 1, 2), date(2198, 12, 1)  # the schedule's calendar, and a margin


class CardKind(StrEnum):
    UNSIGNED = "unsigned"
    UNBILLED = "unbilled"
    BALANCES = "balances"
    REEVALUATIONS = "reevaluations"
    PAPERWORK = "paperwork"


CARD_TITLES = {
    CardKind.UNSIGNED: "Unsigned notes",
    CardKind.UNBILLED: "Unbilled visits",
    CardKind.BALANCES: "Balances owed",
    CardKind.REEVALUATIONS: "Plans due for re-evaluation",
    CardKind.PAPERWORK: "Missing intake or consent",
}


@dataclass(frozen=True, slots=True)
class CardItem:
    """One thing a card counts: whose, when, what, and the record that opens it."""

    client_id: int
    client_name: str
    day: date | None
    detail: str
    record_id: int | None = None  # the visit, plan or appointment; None for the client
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Card:
    kind: CardKind
    items: tuple[CardItem, ...]
    total: Decimal | None = None  # money cards: the sum

    @property
    def title(self) -> str:
        return CARD_TITLES[self.kind]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class BackupState:
    last_backup_at: datetime | None
    warning: str  # "" when all is well
    detail: str
    by_owner: bool = False  # a clinic login whose Fascia makes no backups: the owner's does

    @property
    def healthy(self) -> bool:
        return not self.warning and (self.last_backup_at is not None or self.by_owner)


@dataclass(frozen=True, slots=True)
class WeekFigures:
    first_day: date  # Monday
    last_day: date  # Sunday
    visits: int  # completed visits this week so far
    revenue: Decimal  # invoiced, net of credit notes, before tax
    currency: str
    attendance: Attendance

    @property
    def no_show_rate(self) -> float:
        return self.attendance.no_show_rate


# ---------------------------------------------------------------- the cards


def unsigned_notes(db: Database, now: datetime | None = None) -> Card:
    """Visits that took place whose note is not signed yet, oldest first."""
    now = _now(now)
    query = (
        _client_columns(VisitRow.id, VisitRow.client_id, VisitRow.starts_at)
        .join(ClientRow, ClientRow.id == VisitRow.client_id)
        .where(
            VisitRow.signed_at.is_(None),
            VisitRow.status == "completed",
            VisitRow.starts_at <= now,
        )
        .order_by(VisitRow.starts_at, VisitRow.id)
    )
    zone = queries.get_zone(db)
    with db.read() as session:
        rows = session.execute(query).all()
    items = tuple(
        CardItem(
            client_id,
            display_name(g, p, f),
            starts.astimezone(zone).date(),
            "Note not signed",
            visit_id,
        )
        for visit_id, client_id, starts, g, p, f in rows
    )
    return Card(CardKind.UNSIGNED, items)


def unbilled_visits(db: Database, now: datetime | None = None) -> Card:
    """Completed visits of the last 90 days on no invoice (issued or draft, not void); visits
    imported from another tool were billed there and are not counted."""
    now = _now(now)
    billed = exists(
        select(InvoiceLineRow.id)
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(
            InvoiceLineRow.visit_id == VisitRow.id,
            InvoiceRow.kind == "invoice",
            InvoiceRow.status != "void",
        )
    )
    query = (
        _client_columns(VisitRow.id, VisitRow.client_id, VisitRow.starts_at, VisitRow.signed_at)
        .join(ClientRow, ClientRow.id == VisitRow.client_id)
        .where(
            VisitRow.status == "completed",
            VisitRow.starts_at <= now,
            VisitRow.starts_at > now - timedelta(days=UNBILLED_DAYS),
            ~billed,
            ~imported_visit(),
        )
        .order_by(VisitRow.starts_at, VisitRow.id)
    )
    zone = queries.get_zone(db)
    with db.read() as session:
        rows = session.execute(query).all()
    items = tuple(
        CardItem(
            client_id,
            display_name(g, p, f),
            starts.astimezone(zone).date(),
            "Signed, not billed" if signed else "Not billed; note unsigned",
            visit_id,
        )
        for visit_id, client_id, starts, signed, g, p, f in rows
    )
    return Card(CardKind.UNBILLED, items)


def balances_owed(db: Database, today: date | None = None) -> Card:
    """Clients who owe on issued invoices, the largest balance first (Billing's ageing)."""
    report = reports.ageing(db, _day(today, db))
    items = tuple(
        CardItem(
            r.client_id,
            r.client_name,
            r.oldest_issued_on,
            f"{r.invoices} invoice{'s' if r.invoices != 1 else ''}",
            None,
            r.total,
        )
        for r in report.rows
    )
    return Card(CardKind.BALANCES, items, report.total)


def plans_due(db: Database, today: date | None = None) -> Card:
    """Active plans whose re-evaluation date has passed or falls within the next week."""
    today = _day(today, db)
    query = (
        _client_columns(PlanRow.id, PlanRow.client_id, PlanRow.reevaluation_date)
        .join(ClientRow, ClientRow.id == PlanRow.client_id)
        .where(
            PlanRow.status == "active",
            ClientRow.archived.is_(False),
            PlanRow.reevaluation_date.is_not(None),
            PlanRow.reevaluation_date <= today + timedelta(days=REEVALUATION_AHEAD),
        )
        .order_by(PlanRow.reevaluation_date, PlanRow.id)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    items = tuple(
        CardItem(
            client_id,
            display_name(g, p, f),
            due,
            "Overdue" if due < today else "Due today" if due == today else "Due soon",
            plan_id,
        )
        for plan_id, client_id, due, g, p, f in rows
    )
    return Card(CardKind.REEVALUATIONS, items)


def missing_paperwork(db: Database, now: datetime | None = None) -> Card:
    """Clients booked in the coming week who have no intake on file or no consent in force."""
    now = _now(now)
    zone = queries.get_zone(db)
    today = now.astimezone(zone).date()
    end = datetime.combine(today + timedelta(days=PAPERWORK_AHEAD + 1), time.min, zone)
    start = datetime.combine(today, time.min, zone)
    consent = exists(
        select(ConsentRow.id)
        .join(ConsentFormRow, ConsentFormRow.id == ConsentRow.form_id)
        .where(
            ConsentRow.client_id == AppointmentRow.client_id,
            ConsentFormRow.kind == "general",
            ConsentRow.withdrawn_at.is_(None),
        )
    )
    intake = exists(select(IntakeRow.id).where(IntakeRow.client_id == AppointmentRow.client_id))
    first = func.min(AppointmentRow.starts_at)
    query = (
        _client_columns(AppointmentRow.client_id, first, intake, consent)
        .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
        .where(
            AppointmentRow.starts_at >= start.astimezone(UTC),
            AppointmentRow.starts_at < end.astimezone(UTC),
            AppointmentRow.status.in_(("booked", "confirmed", "arrived")),
            ~(intake & consent),
        )
        .group_by(AppointmentRow.client_id, ClientRow.id)  # the client's columns: by its key
        .order_by(first, AppointmentRow.client_id)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    items = tuple(
        CardItem(
            client_id,
            display_name(g, p, f),
            starts.astimezone(zone).date(),
            _missing(has_intake, has_consent),
        )
        for client_id, starts, has_intake, has_consent, g, p, f in rows
    )
    return Card(CardKind.PAPERWORK, items)


def backup_state(db: Database, now: datetime | None = None) -> BackupState:
    """The newest verified backup and any warning (the backups' own overview)."""
    settings = None
    if db.on_server:
        from practice.store.backups.dump import backup_refusal
        from practice.store.backups.settings import get_backup_settings

        if backup_refusal(db):
            return BackupState(None, "", "Made by the owner's Fascia", by_owner=True)
        settings = get_backup_settings(db)
    overview = backup_overview(db.data_dir, settings)
    found = overview.warning(_now(now))
    last = overview.newest.made_at if overview.newest is not None else None
    if found is not None:
        return BackupState(last, found.title, found.detail)
    if last is None:
        return BackupState(None, "No backup yet", "Back up now (Ctrl+Shift+B).")
    return BackupState(last, "", "Verified")


def week_figures(db: Database, today: date | None = None) -> WeekFigures:
    """This week (Monday to Sunday) so far: visits, revenue invoiced and the no-show rate."""
    today = _day(today, db)
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    zone = queries.get_zone(db)
    start = datetime.combine(monday, time.min, zone).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=1), time.min, zone).astimezone(UTC)
    with db.read() as session:
        visits = session.scalar(
            select(func.count(VisitRow.id)).where(
                VisitRow.status == "completed",
                VisitRow.starts_at >= start,
                VisitRow.starts_at < end,
            )
        )
    revenue = reports.revenue(db, monday, sunday)
    return WeekFigures(
        monday,
        sunday,
        visits or 0,
        revenue.invoiced,
        revenue.currency,
        queries.attendance(db, monday, today),
    )


# ---------------------------------------------------------------- helpers


def _client_columns(*columns):  # type: ignore[no-untyped-def]
    return select(*columns, ClientRow.given_name, ClientRow.preferred_name, ClientRow.family_name)


def _missing(has_intake: bool, has_consent: bool) -> str:
    missing = [word for word, has in (("intake", has_intake), ("consent", has_consent)) if not has]
    return "No " + " and no ".join(missing)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError({"now": "Give the time with its time zone."})
    if not FIRST_DAY <= now.date() <= LAST_DAY:
        raise ValidationError({"now": "That time is outside the calendar Fascia keeps."})
    return now


def _day(today: date | None, db: Database) -> date:
    if today is None:
        return datetime.now(UTC).astimezone(queries.get_zone(db)).date()
    if not is_day(today) or not FIRST_DAY <= today <= LAST_DAY:
        raise ValidationError({"today": "Give a date within the calendar Fascia keeps."})
    return today
