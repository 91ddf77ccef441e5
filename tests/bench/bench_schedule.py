"""Schedule figures: conflict check, a week's range query over 20 years, 2-year series expansion.

A practice with about 50,000 appointments over 20 years (some ten a working day) is written in
bulk. Each figure is printed beside a floor measured in the same run: the same question put as
raw SQL through sqlite3 on the same file, or, for the series, dateutil's bare rrule.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from tests.bench.common import Figure, median_ms

YEARS = 20
PER_DAY = 10  # appointment slots a working day; most are filled
FILL = 0.96
CLIENTS = 400
ZONE = "America/Toronto"

RAW_OVERLAP = """
SELECT a.id, c.given_name, c.preferred_name, c.family_name, a.starts_at, a.ends_at
FROM appointment a JOIN client c ON c.id = a.client_id
WHERE a.starts_at > ? AND a.starts_at < ? AND a.ends_at > ? AND a.status != 'cancelled'
ORDER BY a.starts_at
"""
RAW_WEEK = """
SELECT a.id, a.client_id, c.given_name, c.preferred_name, c.family_name, a.starts_at,
       a.ends_at, a.time_zone, a.service_id, s.name, a.status, a.visit_id
FROM appointment a JOIN client c ON c.id = a.client_id LEFT JOIN service s ON s.id = a.service_id
WHERE a.starts_at >= ? AND a.starts_at < ?
ORDER BY a.starts_at
"""


def run_all() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        return _figures(Path(folder))


def _figures(folder: Path) -> list[Figure]:
    from practice.schedule import queries, rules, service
    from practice.schedule.records import ScheduleSettings
    from practice.schedule.settings import save_settings
    from practice.store import open_database

    db = open_database(folder, actor="bench")
    try:
        save_settings(db, ScheduleSettings(time_zone=ZONE))
        count = _fill(db)
        conn = sqlite3.connect(db.path)
        # A busy Tuesday ten years back, at 10:30 local, 60 minutes long.
        day = _monday(date.today() - timedelta(days=365 * 10)) + timedelta(days=1)
        start = datetime.combine(day, time(10, 30), _zone())
        check_ms = median_ms(lambda: service.check_slot(db, start, duration_minutes=60), 300)
        lower = _stamp(start - timedelta(minutes=15 + 480))
        params = (
            lower,
            _stamp(start + timedelta(minutes=75)),
            _stamp(start - timedelta(minutes=15)),
        )
        raw_check_ms = median_ms(lambda: conn.execute(RAW_OVERLAP, params).fetchall(), 300)

        weeks = [_monday(day) + timedelta(weeks=k) for k in range(-20, 20)]
        cursor = iter(weeks * 20)
        week_ms = median_ms(lambda: queries.week_schedule(db, next(cursor)), 300, warmup=3)
        shown = len(queries.week_schedule(db, weeks[0]).appointments)
        bounds = [
            (_stamp(datetime.combine(w, time.min, _zone())),
             _stamp(datetime.combine(w + timedelta(days=7), time.min, _zone())))
            for w in weeks
        ]  # fmt: skip
        raw_cursor = iter(bounds * 20)
        raw_week_ms = median_ms(lambda: conn.execute(RAW_WEEK, next(raw_cursor)).fetchall(), 300)
        conn.close()

        rule = rules.RecurrenceRule(weekdays=(0, 3), count=208)  # twice a week for two years
        first = datetime(2026, 3, 2, 10)
        expand_ms = median_ms(lambda: rules.expand(rule, first, ZONE), 200)
        floor_ms = median_ms(lambda: _bare_rrule(first), 200)
        occurrences = len(rules.expand(rule, first, ZONE))
        today_ms = median_ms(lambda: queries.today(db, day), 50)
    finally:
        db.close()
    print(
        f"schedule of {count} appointments over {YEARS} years: conflict check {check_ms:.3f} ms "
        f"(raw {raw_check_ms:.3f}); week of {shown} appointments {week_ms:.2f} ms "
        f"(raw {raw_week_ms:.2f}); {occurrences}-occurrence series {expand_ms:.2f} ms "
        f"(bare rrule {floor_ms:.2f}); Today {today_ms:.1f} ms"
    )
    return [
        Figure("conflict check (service, one slot)", check_ms, raw_check_ms, "ms", "< 1 ms"),
        Figure(f"week range query, {count} appointments", week_ms, raw_week_ms, "ms", "< 16 ms"),
        Figure(
            f"expand a 2-year series ({occurrences} dates, DST)",
            expand_ms,
            floor_ms,
            "ms",
            "< 5 ms",
        ),
        Figure("Today's list with alert chips (service)", today_ms, raw_week_ms, "ms", "< 100 ms"),
    ]


def _zone():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONE)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _stamp(moment: datetime) -> str:
    """As SQLAlchemy stores a UTC time in SQLite."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _bare_rrule(first: datetime) -> list[datetime]:
    from dateutil.rrule import MO, TH, WEEKLY, rrule

    return list(rrule(WEEKLY, dtstart=first, byweekday=(MO, TH), count=208))


def _fill(db) -> int:  # type: ignore[no-untyped-def]
    """Clients, one service and about 50,000 appointments, written in bulk."""
    from decimal import Decimal

    from practice.billing import service as billing
    from practice.billing.records import ServiceForm

    rng = random.Random(14)
    service_id = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("110.00"), 60)
    ).id
    now = _stamp(datetime.now(UTC))
    conn = sqlite3.connect(db.path)
    try:
        conn.executemany(
            "INSERT INTO client (given_name, family_name, preferred_name, pronouns, sex, "
            "phone_mobile, phone_other, email, address, occupation, emergency_contact_name, "
            "emergency_contact_phone, emergency_contact_relation, referral_source, found_us, "
            "notes, archived, search_text, sort_key, created_at, updated_at) VALUES "
            "(?, ?, '', '', '', '', '', '', '', '', '', '', '', '', '', '', 0, '', '', ?, ?)",
            [(f"Client{k}", f"Family{k}", now, now) for k in range(CLIENTS)],
        )
        rows = []
        zone = _zone()
        day = date.today() - timedelta(days=365 * YEARS)
        end = date.today() + timedelta(days=60)
        while day < end:
            if day.weekday() < 5:
                for k in range(PER_DAY):
                    if rng.random() > FILL:
                        continue
                    minute = 8 * 60 + k * 60
                    start = datetime.combine(day, time(minute // 60, minute % 60), zone)
                    status = rng.choices(
                        ["arrived", "cancelled", "no_show", "booked"], [90, 6, 3, 1]
                    )[0]
                    rows.append(
                        (
                            rng.randint(1, CLIENTS),
                            _stamp(start),
                            _stamp(start + timedelta(minutes=50)),
                            ZONE,
                            service_id,
                            status,
                            now,
                            now,
                        )
                    )
            day += timedelta(days=1)
        conn.executemany(
            "INSERT INTO appointment (client_id, starts_at, ends_at, time_zone, service_id, "
            "status, notes, cancel_reason, late_cancel, fee_note, created_at, created_by, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, '', '', 0, '', ?, 'bench', ?)",
            rows,
        )
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return len(rows)
