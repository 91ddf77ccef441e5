"""A visit's body chart: drawn at the visit, bound to it, and locked when the note is signed."""

from __future__ import annotations

from practice.bodymap import service as charts
from practice.bodymap.chart import ChartData
from practice.bodymap.service import BodyChart
from practice.errors import LockedRecordError, NotFoundError
from practice.store.database import Database
from practice.store.rows import is_id
from practice.visits.models import VisitRow
from practice.visits.service import visit_chart_id


def save_visit_chart(db: Database, visit_id: int, data: ChartData, *, note: str = "") -> BodyChart:
    """Save the chart of an unsigned visit: its first drawing, or a new version of it.

    The chart is dated the visit's day. A signed visit's chart is locked with its note.
    """
    with db.read() as session:
        visit = session.get(VisitRow, visit_id) if is_id(visit_id) else None
        if visit is None:
            raise NotFoundError(f"No visit with id {visit_id}.")
        if visit.signed_at is not None:
            raise LockedRecordError(charts.SIGNED_CHART)
        client_id, day = visit.client_id, visit.starts_at.astimezone().date()
        current = visit_chart_id(session, visit_id)
    return charts.save_chart(
        db,
        client_id,
        day,
        data,
        chart_id=current,
        source="visit",
        note=note,
        visit_id=visit_id if current is None else None,
        today=max(day, _today()),
    )


def _today():  # type: ignore[no-untyped-def]
    from datetime import date

    return date.today()
