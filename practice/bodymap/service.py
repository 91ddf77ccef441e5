"""Body chart use cases: save a chart whole or not at all, list and load a client's charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import ChartData
from practice.bodymap.metrics import ChartMetrics, summarize
from practice.bodymap.models import BodyChartRow
from practice.bounds import day_errors
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import clean
from practice.visits.models import VisitRow

SOURCES = ("chart", "intake", "visit")


@dataclass(frozen=True, slots=True)
class BodyChart:
    id: int
    client_id: int
    visit_id: int | None
    charted_on: date
    source: str
    note: str
    data: ChartData
    metrics: ChartMetrics
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BodyChartSummary:
    """One line of a client's chart history: the date and the numbers, not the drawing."""

    id: int
    charted_on: date
    source: str
    extent_percent: float
    region_count: int
    wpi: int
    max_intensity: int


def save_chart(
    db: Database,
    client_id: int,
    charted_on: date,
    data: ChartData,
    *,
    chart_id: int | None = None,
    source: str = "chart",
    note: str = "",
    visit_id: int | None = None,
    today: date | None = None,
) -> BodyChart:
    """Create (chart_id None) or replace a chart. Invalid data raises and stores nothing."""
    atlas = load_atlas()
    errors = day_errors("charted_on", charted_on, today or date.today(), what="The chart date")
    if source not in SOURCES:
        errors["source"] = f"Unknown chart source '{source}'."
    try:
        data = data.cleaned()
        data.validate(atlas)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    metrics = summarize(data, atlas)
    stored = data.to_json()
    with db.transaction() as session:
        get_or_raise(session, ClientRow, client_id, "client")
        if visit_id is not None:
            visit = session.get(VisitRow, visit_id) if is_id(visit_id) else None
            if visit is None or visit.client_id != client_id:
                raise ValidationError({"visit_id": "This visit belongs to another client."})
        if chart_id is None:
            row = BodyChartRow(client_id=client_id)
            session.add(row)
            old: dict = {}  # type: ignore[type-arg]
        else:
            row = get_or_raise(session, BodyChartRow, chart_id, "body chart")
            if row.client_id != client_id:
                raise ValidationError({"client_id": "This chart belongs to another client."})
            old = {"charted_on": row.charted_on, "data": row.data, "note": row.note}
        row.charted_on = charted_on
        row.source = source
        row.note = clean(note)
        row.visit_id = visit_id
        row.data = stored
        row.extent_percent = metrics.extent_percent
        row.region_count = metrics.region_count
        row.wpi = metrics.wpi
        row.max_intensity = metrics.max_intensity
        session.flush()
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="body_chart",
            entity_id=row.id,
            client_id=client_id,
            summary=f"Body chart of {charted_on.isoformat()} "
            f"({metrics.region_count} regions, {metrics.extent_percent:.1f}% of body)",
            changes=audit.diff(old, {"charted_on": charted_on, "data": stored, "note": row.note}),
        )
        return _chart(row, data, metrics)


def get_chart(db: Database, chart_id: int) -> BodyChart:
    with db.read() as session:
        row = get_or_raise(session, BodyChartRow, chart_id, "body chart")
        data = ChartData.from_json(row.data)
        return _chart(row, data, summarize(data, load_atlas()))


def chart_history(db: Database, client_id: int) -> list[BodyChartSummary]:
    """A client's charts, oldest first."""
    if not is_id(client_id):
        return []
    query = (
        select(
            BodyChartRow.id,
            BodyChartRow.charted_on,
            BodyChartRow.source,
            BodyChartRow.extent_percent,
            BodyChartRow.region_count,
            BodyChartRow.wpi,
            BodyChartRow.max_intensity,
        )
        .where(BodyChartRow.client_id == client_id)
        .order_by(BodyChartRow.charted_on, BodyChartRow.id)
    )
    with db.read() as session:
        return [BodyChartSummary(*r) for r in session.connection().execute(query)]


def _chart(row: BodyChartRow, data: ChartData, metrics: ChartMetrics) -> BodyChart:
    return BodyChart(
        id=row.id,
        client_id=row.client_id,
        visit_id=row.visit_id,
        charted_on=row.charted_on,
        source=row.source,
        note=row.note,
        data=data,
        metrics=metrics,
        updated_at=row.updated_at,
    )
