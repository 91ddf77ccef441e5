"""Body chart use cases: save a chart version whole or not at all, list and load charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import ChartData
from practice.bodymap.metrics import ChartMetrics, summarize
from practice.bodymap.models import BodyChartRow
from practice.bounds import day_errors
from practice.clients.models import ClientRow
from practice.errors import LockedRecordError, ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import clean

SOURCES = ("chart", "intake", "visit")


@dataclass(frozen=True, slots=True)
class BodyChart:
    """One version of a chart: what was drawn, as it was saved."""

    id: int
    client_id: int
    visit_id: int | None
    charted_on: date
    source: str
    note: str
    data: ChartData
    metrics: ChartMetrics
    updated_at: datetime
    supersedes_id: int | None = None  # the version this one replaced
    superseded_by: int | None = None  # the version that replaced this one (None: current)

    @property
    def current(self) -> bool:
        return self.superseded_by is None


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
    visit_id: int | None = None
    saved_at: datetime | None = None  # when this version was saved


LOCKED_BY_TRIGGER = "signed visit notes cannot be changed"  # migration 0003's message
SIGNED_CHART = (
    "This chart belongs to a signed visit and is locked with its note. Your drawing is still "
    "open: save it as a new chart instead."
)


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
    """Save a new chart (chart_id None) or a new version of chart `chart_id`.

    An edit never overwrites a drawing: it adds a version that supersedes the one edited, so a
    comparison keeps the charts as they were. A new version keeps the visit of the one it
    replaces. A chart of a signed visit takes no new version (the database refuses it, and so
    does this, with LockedRecordError); an edit of a version already replaced is refused too.
    Binding a chart to a visit goes through `practice.visits.charts`, which checks the visit.
    """
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
        client = get_or_raise(session, ClientRow, client_id, "client")
        previous = _replaced(session, chart_id, client.id) if chart_id is not None else None
        if previous is not None and visit_id is None:
            visit_id = previous.visit_id
        elif visit_id is not None:
            _check_visit(session, visit_id, client.id)
        row = BodyChartRow(
            client_id=client.id,
            supersedes_id=previous.id if previous else None,
            charted_on=charted_on,
            source=source,
            note=clean(note),
            visit_id=visit_id,
            data=stored,
            extent_percent=metrics.extent_percent,
            region_count=metrics.region_count,
            wpi=metrics.wpi,
            max_intensity=metrics.max_intensity,
        )
        session.add(row)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError as error:
            if LOCKED_BY_TRIGGER in str(error):
                raise LockedRecordError(SIGNED_CHART) from None
            raise
        old = (
            {"charted_on": previous.charted_on, "data": previous.data, "note": previous.note}
            if previous
            else {}
        )
        audit.log(
            db,
            session,
            action="update" if previous else "create",
            entity="body_chart",
            entity_id=row.id,
            client_id=client.id,
            summary=f"Body chart of {charted_on.isoformat()} "
            f"({metrics.region_count} regions, {metrics.extent_percent:.1f}% of body)"
            + (f", new version of chart {previous.id}" if previous else ""),
            changes=audit.diff(old, {"charted_on": charted_on, "data": stored, "note": row.note}),
        )
        return _chart(session, row, data, metrics)


def _check_visit(session: Session, visit_id: int, client_id: int) -> None:
    """The visit a new chart is bound to exists and is this client's. (The visits layer sits
    above this one, so the row is read by table name; `practice.visits.charts` checks the rest.)"""
    owner = (
        session.execute(text("SELECT client_id FROM visit WHERE id = :id"), {"id": visit_id})
        .scalars()
        .first()
        if is_id(visit_id)
        else None
    )
    if owner != client_id:
        raise ValidationError({"visit_id": "This visit belongs to another client."})


def _replaced(session: Session, chart_id: int, client_id: int) -> BodyChartRow:
    """The version an edit replaces: the client's and still current."""
    row = get_or_raise(session, BodyChartRow, chart_id, "body chart")
    if row.client_id != client_id:
        raise ValidationError({"client_id": "This chart belongs to another client."})
    if _newer(session, row.id) is not None:
        raise ValidationError(
            {"chart_id": "This drawing was changed since you opened it; open the newest version."}
        )
    return row


def get_chart(db: Database, chart_id: int) -> BodyChart:
    """One version of a chart, current or not."""
    with db.read() as session:
        row = get_or_raise(session, BodyChartRow, chart_id, "body chart")
        data = ChartData.from_json(row.data)
        return _chart(session, row, data, summarize(data, load_atlas()))


def _is_current() -> Any:
    newer = aliased(BodyChartRow)
    return ~exists().where(newer.supersedes_id == BodyChartRow.id)


_SUMMARY_COLUMNS = (
    BodyChartRow.id,
    BodyChartRow.charted_on,
    BodyChartRow.source,
    BodyChartRow.extent_percent,
    BodyChartRow.region_count,
    BodyChartRow.wpi,
    BodyChartRow.max_intensity,
    BodyChartRow.visit_id,
    BodyChartRow.created_at,
)


def chart_history(db: Database, client_id: int) -> list[BodyChartSummary]:
    """A client's charts as they stand now (each chart's current version), oldest first."""
    if not is_id(client_id):
        return []
    query = (
        select(*_SUMMARY_COLUMNS)
        .where(BodyChartRow.client_id == client_id, _is_current())
        .order_by(BodyChartRow.charted_on, BodyChartRow.id)
    )
    with db.read() as session:
        return [BodyChartSummary(*r) for r in session.connection().execute(query)]


def chart_versions(db: Database, chart_id: int) -> list[BodyChartSummary]:
    """Every saved version of the chart `chart_id` belongs to, oldest first."""
    with db.read() as session:
        get_or_raise(session, BodyChartRow, chart_id, "body chart")
        chain = [chart_id]
        while (older := _older(session, chain[0])) is not None:
            chain.insert(0, older)
        while (newer := _newer(session, chain[-1])) is not None:
            chain.append(newer)
        rows = session.connection().execute(
            select(*_SUMMARY_COLUMNS).where(BodyChartRow.id.in_(chain))
        )
        by_id = {r.id: BodyChartSummary(*r) for r in rows}
    return [by_id[i] for i in chain]


def _older(session: Session, chart_id: int) -> int | None:
    return session.scalar(select(BodyChartRow.supersedes_id).where(BodyChartRow.id == chart_id))


def _newer(session: Session, chart_id: int) -> int | None:
    return session.scalar(select(BodyChartRow.id).where(BodyChartRow.supersedes_id == chart_id))


def _chart(
    session: Session, row: BodyChartRow, data: ChartData, metrics: ChartMetrics
) -> BodyChart:
    return BodyChart(
        id=row.id,
        client_id=row.client_id,
        visit_id=row.visit_id,
        charted_on=row.charted_on,
        source=row.source,
        note=row.note,
        data=data,
        metrics=metrics,
        updated_at=row.created_at,
        supersedes_id=row.supersedes_id,
        superseded_by=_newer(session, row.id),
    )
