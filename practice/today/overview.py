"""Today in one read, and the words its figures are written in (the screen and the CLI alike).

`today_overview` calls each card's own function once; `figure_text` and `week_text` are the
one way a figure is written, so what the Today screen shows and what `fascia-cli today` prints
are the same words from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from practice.billing.money import format_money
from practice.clients import service as clients
from practice.dates import DEFAULT_LOCALE, format_day, format_moment
from practice.schedule import queries
from practice.schedule.queries import TodayList
from practice.store import staff
from practice.store.database import Database
from practice.today.figures import (
    BackupState,
    Card,
    CardKind,
    WeekFigures,
    backup_state,
    balances_owed,
    missing_paperwork,
    plans_due,
    unbilled_visits,
    unsigned_notes,
    week_figures,
)


@dataclass(frozen=True, slots=True)
class TodayOverview:
    """The day's list first; the cards and the week come in with `with_cards` and `with_week`
    (the screen shows each part as it arrives; `today_overview` reads them all)."""

    day: date
    locale: str
    currency: str
    appointments: TodayList
    cards: tuple[Card, ...] = ()
    backup: BackupState | None = None
    week: WeekFigures | None = None

    @property
    def complete(self) -> bool:
        return bool(self.cards) and self.backup is not None and self.week is not None

    def card(self, kind: CardKind) -> Card:
        return next(c for c in self.cards if c.kind is kind)


def today_head(db: Database, now: datetime | None = None) -> TodayOverview:
    """The day, the practice's locale and currency, and today's appointments with alerts."""
    now = now or datetime.now(UTC)
    day = now.astimezone(queries.get_zone(db)).date()
    profile = clients.get_profile(db)
    return TodayOverview(
        day=day,
        locale=profile.locale if profile else DEFAULT_LOCALE,
        currency=profile.currency if profile else "USD",
        appointments=queries.today(db, day),
    )


# The cards the front desk is shown: the others read clinical records the server refuses them
# (notes, plans, intakes, and what was acknowledged at signing, which marks imported visits).
FRONT_DESK_CARDS = (CardKind.BALANCES,)


def card_kinds(db: Database) -> tuple[CardKind, ...]:
    """The cards for the person signed in, in order."""
    return tuple(CardKind) if staff.sees_clinical(db) else FRONT_DESK_CARDS


def with_cards(db: Database, head: TodayOverview, now: datetime | None = None) -> TodayOverview:
    """Each card from its own function (those `card_kinds` offers), and the backup."""
    now = now or datetime.now(UTC)
    read = {
        CardKind.UNSIGNED: lambda: unsigned_notes(db, now),
        CardKind.UNBILLED: lambda: unbilled_visits(db, now),
        CardKind.BALANCES: lambda: balances_owed(db, head.day),
        CardKind.REEVALUATIONS: lambda: plans_due(db, head.day),
        CardKind.PAPERWORK: lambda: missing_paperwork(db, now),
    }
    cards = tuple(read[kind]() for kind in card_kinds(db))
    return replace(head, cards=cards, backup=backup_state(db, now))


def with_week(db: Database, head: TodayOverview) -> TodayOverview:
    return replace(head, week=week_figures(db, head.day))


def today_overview(db: Database, now: datetime | None = None) -> TodayOverview:
    """Every figure of the Today screen, each from its own function."""
    now = now or datetime.now(UTC)
    return with_week(db, with_cards(db, today_head(db, now), now))


def figure_text(card: Card, currency: str, locale: str) -> str:
    """'3', or '8 · $1,234.00' for a money card."""
    if card.total is None:
        return str(card.count)
    return f"{card.count} · {format_money(card.total, currency, locale)}"


def week_texts(week: WeekFigures, locale: str) -> dict[str, str]:
    """The week's figures: visits, revenue invoiced, no-show rate."""
    return {
        "Visits": str(week.visits),
        "Revenue": format_money(week.revenue, week.currency, locale),
        "No-show rate": f"{week.no_show_rate:.0%}",
    }


def backup_text(backup: BackupState, locale: str) -> str:
    if backup.warning:
        return backup.warning
    if backup.by_owner:
        return "Backed up by the owner's Fascia"
    assert backup.last_backup_at is not None
    return f"Backed up {format_moment(backup.last_backup_at, locale)}, verified"


def summary_lines(overview: TodayOverview) -> list[str]:
    """What `fascia-cli today` prints: the day's list, every card, the backup and the week."""
    o = overview
    assert o.backup is not None and o.week is not None, "a whole overview (today_overview)"
    lines = [f"Today, {format_day(o.day, o.locale)}: {len(o.appointments.items)} appointment(s)"]
    for item in o.appointments.items:
        a = item.appointment
        alerts = f"  [{', '.join(x.title for x in item.alerts)}]" if item.alerts else ""
        span = f"{a.local_start:%H:%M}-{a.local_end:%H:%M}"
        lines.append(f"  {span}  {a.client_name}  {a.service_name or '-'}  {a.state.label}{alerts}")
    for card in o.cards:
        lines.append(f"{card.title}: {figure_text(card, o.currency, o.locale)}")
    lines.append(f"Backup: {backup_text(o.backup, o.locale)}")
    week = ", ".join(f"{k} {v}" for k, v in week_texts(o.week, o.locale).items())
    first, last = format_day(o.week.first_day, o.locale), format_day(o.week.last_day, o.locale)
    lines.append(f"This week ({first} to {last}): {week}")
    return lines
