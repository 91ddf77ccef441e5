"""A client's visit history: the list rows of the Visits tab, newest first.

Three Core queries built once (the client's id is bound at each call), read in one session and
joined in Python: the visits with their pain scores, the treatment lines, the amendment counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select

from practice.bounds import filter_day
from practice.store.database import Database
from practice.store.rows import is_id
from practice.visits.imported import imported_visit
from practice.visits.models import AmendmentRow, SoapNoteRow, TreatmentEntryRow, VisitRow
from practice.visits.records import HistoryFilter, VisitStatus, VisitSummary


def visit_history(
    db: Database, client_id: int, filters: HistoryFilter | None = None
) -> list[VisitSummary]:
    """A client's visits, newest first, as list rows (Core queries: fast on long histories)."""
    filters = filters or HistoryFilter()
    if not is_id(client_id):
        return []
    query, treatments, amendments = _history_statements()
    conditions = _history_conditions(filters)
    if conditions:
        query = query.where(*conditions)
    given = {"client_id": client_id}
    with db.read() as session:
        connection = session.connection()
        visits = connection.execute(query, given).all()
        minutes: dict[int, int] = defaultdict(int)
        names: dict[int, dict[str, None]] = defaultdict(dict)
        for visit_id, name, spent in connection.execute(treatments, given).all():
            minutes[visit_id] += spent
            names[visit_id][name] = None
        amended = dict(connection.execute(amendments, given).tuples().all())
    return [
        VisitSummary(
            id=vid,
            starts_at=starts_at,
            duration_minutes=duration,
            place_of_service=place,
            status=VisitStatus(status),
            signed_at=signed_at,
            pain_before=before,
            pain_after=after,
            treatment_minutes=minutes.get(vid, 0),
            techniques=tuple(names.get(vid, ())),
            amendments=amended.get(vid, 0),
            imported=bool(imported),
        )
        for vid, starts_at, duration, place, status, signed_at, imported, before, after in visits
    ]


@cache
def _history_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """visit_history's three queries, built once (a client's id is bound at each call): the
    visits with their pain scores, the treatment lines, the amendment counts."""
    client = bindparam("client_id", type_=Integer)
    query = (
        select(
            VisitRow.id,
            VisitRow.starts_at,
            VisitRow.duration_minutes,
            VisitRow.place_of_service,
            VisitRow.status,
            VisitRow.signed_at,
            imported_visit(),  # in SQL: no visit's acknowledgements parsed in Python
            SoapNoteRow.pain_before,
            SoapNoteRow.pain_after,
        )
        .outerjoin(SoapNoteRow, SoapNoteRow.visit_id == VisitRow.id)
        .where(VisitRow.client_id == client)
        .order_by(VisitRow.starts_at.desc(), VisitRow.id.desc())
    )
    treatments = (
        select(
            TreatmentEntryRow.visit_id, TreatmentEntryRow.technique_name, TreatmentEntryRow.minutes
        )
        .join(VisitRow, VisitRow.id == TreatmentEntryRow.visit_id)
        .where(VisitRow.client_id == client)
        .order_by(TreatmentEntryRow.visit_id, TreatmentEntryRow.seq)
    )
    amendments = (
        select(AmendmentRow.visit_id, func.count())
        .join(VisitRow, VisitRow.id == AmendmentRow.visit_id)
        .where(VisitRow.client_id == client)
        .group_by(AmendmentRow.visit_id)
    )
    return query, treatments, amendments


def _history_conditions(filters: HistoryFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.since is not None:
        conditions.append(VisitRow.starts_at >= local_midnight(filters.since))
    if filters.until is not None:
        until = filter_day(filters.until) + timedelta(days=1)
        conditions.append(VisitRow.starts_at < local_midnight(until))
    if filters.statuses:
        conditions.append(VisitRow.status.in_(sorted(str(s) for s in filters.statuses)))
    if filters.unsigned_only:
        conditions.append(VisitRow.signed_at.is_(None))
    return conditions


def local_midnight(day: date) -> datetime:
    """The start of a day where the therapist is, as an aware datetime."""
    return datetime.combine(filter_day(day), time.min).astimezone()
