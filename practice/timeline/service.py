"""A client's timeline: everything on record, newest first, a page at a time.

`timeline` runs one lean query per source (at most a page of rows each, older than the cursor),
merges them by moment and builds entries only for the rows on the page, so the first screen of
a twenty-year record costs what a page costs. Plans are listed from their own rows; their
figures ("7 of 12 visits", goal verdicts, an overdue re-evaluation) come from the one plan course
(`practice.plans.course`), which `with_courses` adds afterwards: the UI shows the rows first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, select

from practice.clients.models import ClientRow, PracticeProfileRow
from practice.dates import DEFAULT_LOCALE
from practice.errors import NotFoundError, ValidationError
from practice.plans.course import Course, plan_courses
from practice.plans.records import GoalStatus
from practice.progress import Progress
from practice.store import staff
from practice.store.database import Database
from practice.store.rows import is_id
from practice.timeline.records import (
    CLINICAL_KINDS,
    Cursor,
    Flag,
    Kind,
    Source,
    TimelineEntry,
    TimelinePage,
    sort_moment,
)
from practice.timeline.sources import SPECS, Context, Spec, joined, page_query, statement_for

PAGE = 200
MAX_PAGE = 5000
PLAN_SOURCES = frozenset({Source.PLAN, Source.REEVALUATION})
_SORT_KEY = itemgetter(0, 1, 2)


def timeline(
    db: Database,
    client_id: int,
    *,
    kinds: Iterable[Kind | str] | None = None,
    before: Cursor | None = None,
    limit: int = PAGE,
    today: date | None = None,
) -> TimelinePage:
    """The client's entries of `kinds` (all by default), newest first, older than `before`.

    A page holds at most `limit` entries; `page.next_before` asks for the next one. Only the
    kinds the person signed in may read are read (`readable_kinds`).
    """
    wanted = _kinds(kinds) & readable_kinds(db)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError({"limit": f"A page holds 1 to {MAX_PAGE} entries."})
    if before is not None and not _is_cursor(before):
        raise ValidationError({"before": "Continue from the cursor of the page's last entry."})
    specs = [spec for spec in SPECS if spec.source.kind in wanted]
    found: list[tuple[datetime, int, int, Spec, Any]] = []
    with db.read() as session:
        connection = session.connection()
        ctx = _context(connection, client_id, today)
        since = _page_floor(connection, specs, client_id, before, limit)
        for spec in specs:
            # One row more than a page tells whether anything older remains.
            statement, params = page_query(spec, client_id, limit + 1, before=before, since=since)
            source, rank = spec.source, spec.source.rank
            found.extend(
                (sort_moment(source, row.when), rank, row.id, spec, row)
                for row in connection.execute(statement, params)
            )
    # The key is the entries' Cursor as a plain tuple: compared in C.
    found.sort(key=_SORT_KEY, reverse=True)
    entries = tuple(spec.build(row, ctx) for *_key, spec, row in found[:limit])
    return TimelinePage(entries, more=len(found) > limit, locale=ctx.locale)


def prepare(db: Database | None = None) -> None:
    """Ready the first page of the first client opened in a session, on a worker thread.

    Builds the statements of a first page and their cache keys; with the database, also
    compiles them on its engine (reading no rows) and loads the practice locale's date and
    money formats, which would otherwise cost the first page a few hundred milliseconds.
    """
    readable = frozenset(Kind) if db is None else readable_kinds(db)
    statements = [
        (spec, lower, statement_for(spec.source, "", lower))
        for spec in SPECS
        if spec.source.kind in readable
        for lower in ("", "gt", "ge", "tie")
    ]
    for _spec, _lower, statement in statements:
        statement._generate_cache_key()
    if db is None:
        return
    today = date.today()
    moment = datetime.now().astimezone()
    with db.read() as session:
        connection = session.connection()
        _client_found(connection, 0)
        ctx = _practice_context(connection, 0, today)
        for spec, lower, statement in statements:
            # The values a page passes, no more: their names are part of the key under which
            # SQLAlchemy keeps the compiled statement, so extra ones compiled it for nothing.
            values: dict[str, Any] = {"client_id": 0, "limit": 1, "offset": 0}
            if lower:
                values |= {"floor": moment if spec.timed else today, "floor_id": 0}
            connection.execute(statement, values).all()
    # Babel reads a locale's data on first use: a date, a clock time and an amount.
    ctx.day(today)
    ctx.moment(moment)
    ctx.money(0)


def _page_floor(
    connection: Connection, specs: Sequence[Spec], client_id: int, before: Cursor | None, limit: int
) -> Cursor | None:
    """A cursor no page entry is older than: the newest of the sources' (limit + 1)th rows.

    Whichever source reaches it alone has more than a page above it, so the page ends at or
    above it; reading only rows from there on skips the older rows of every other source.
    """
    floors = []
    for spec in specs:
        statement, params = page_query(spec, client_id, 1, before=before, offset=limit)
        row = connection.execute(statement, params).first()
        if row is not None:
            floors.append(Cursor(sort_moment(spec.source, row.when), spec.source.rank, row.id))
    return max(floors, default=None)


def whole_timeline(
    db: Database,
    client_id: int,
    *,
    kinds: Iterable[Kind | str] | None = None,
    before: Cursor | None = None,
    today: date | None = None,
) -> tuple[TimelineEntry, ...]:
    """Every entry older than `before` (all by default), newest first: a search over the whole
    record reads the rest of it this way."""
    entries: list[TimelineEntry] = []
    while True:
        page = timeline(db, client_id, kinds=kinds, before=before, limit=MAX_PAGE, today=today)
        entries.extend(page.entries)
        if page.next_before is None:
            return tuple(entries)
        before = page.next_before


def with_courses(
    db: Database,
    entries: Sequence[TimelineEntry],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> tuple[TimelineEntry, ...]:
    """The plan and re-evaluation entries among `entries`, with their plan's course figures.

    Each plan's course is computed once, by `plan_courses`: the figures are the Plan tab's.
    """
    today = today or date.today()
    wanted = [e for e in entries if e.source in PLAN_SOURCES]
    plan_ids = list(dict.fromkeys(e.record_id for e in wanted))
    if not plan_ids:
        return ()
    with db.read() as session:
        ctx = _context(session.connection(), wanted[0].client_id, today)
    courses = plan_courses(db, plan_ids, today, progress)
    return tuple(_with_course(e, courses[e.record_id], ctx) for e in wanted)


def _with_course(entry: TimelineEntry, course: Course, ctx: Context) -> TimelineEntry:
    figures = course_text(course)
    if entry.source is Source.PLAN:
        return replace(entry, detail=joined(figures, entry.detail))
    plan = course.plan
    assert plan is not None  # a plan's course always has its plan
    if course.reevaluation_overdue:
        late = (ctx.today - plan.reevaluation_date).days if plan.reevaluation_date else 0
        return replace(
            entry,
            title=f"Re-evaluation overdue by {late} day{'s' if late != 1 else ''}",
            detail=joined(entry.detail, figures),
            flags=entry.flags | {Flag.OVERDUE},
        )
    return replace(entry, detail=joined(entry.detail, figures))


def course_text(course: Course) -> str:
    """'7 of 12 visits · 1 missed · goals: 1 met, 2 not met', as the Plan tab counts them."""
    planned = course.visits_planned
    visits = f"{course.visits_done} of {planned} visits" if planned else ""
    missed = f"{len(course.missed)} missed" if course.missed else ""
    drafts = len(course.drafts)
    unsigned = f"{drafts} note{'s' if drafts != 1 else ''} not signed" if drafts else ""
    counts = Counter(g.status for g in course.goals)
    verdicts = ", ".join(
        f"{counts[status]} {status.label.lower()}"
        for status in (GoalStatus.MET, GoalStatus.PARTIAL, GoalStatus.NOT_MET)
        if counts[status]
    )
    return joined(visits, missed, unsigned, f"goals: {verdicts}" if verdicts else "")


def _is_cursor(value: object) -> bool:
    """A cursor an entry could have: an aware moment within the calendar, a rank, a record id."""
    return (
        isinstance(value, Cursor)
        and isinstance(value.moment, datetime)
        and value.moment.tzinfo is not None
        and 1 < value.moment.year < 9999
        and isinstance(value.rank, int)
        and is_id(value.record_id)
    )


def readable_kinds(db: Database) -> frozenset[Kind]:
    """The kinds of entries the person signed in may read: the front desk's are not clinical."""
    if staff.sees_clinical(db):
        return frozenset(Kind)
    return frozenset(Kind) - CLINICAL_KINDS


def _kinds(kinds: Iterable[Kind | str] | None) -> frozenset[Kind]:
    if kinds is None:
        return frozenset(Kind)
    if isinstance(kinds, str):
        kinds = (kinds,)
    try:
        return frozenset(Kind(k) for k in kinds)
    except (ValueError, TypeError):
        known = ", ".join(k.value for k in Kind)
        raise ValidationError({"kinds": f"Choose kinds among {known}."}) from None


def _context(connection: Connection, client_id: int, today: date | None) -> Context:
    if not is_id(client_id) or not _client_found(connection, client_id):
        raise NotFoundError(f"No client with id {client_id}.")
    return _practice_context(connection, client_id, today)


def _client_found(connection: Connection, client_id: int) -> bool:
    client = ClientRow.__table__.c
    return connection.execute(select(client.id).where(client.id == client_id)).first() is not None


def _practice_context(connection: Connection, client_id: int, today: date | None) -> Context:
    practice = PracticeProfileRow.__table__.c
    profile = connection.execute(select(practice.currency, practice.locale).limit(1)).first()
    currency, locale = profile if profile else ("USD", DEFAULT_LOCALE)
    return Context(client_id, locale or DEFAULT_LOCALE, currency or "USD", today or date.today())
