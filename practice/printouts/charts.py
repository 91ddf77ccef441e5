"""Body chart printouts: one chart, two compared before and after, and a client's history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from practice.bodymap import service as charts
from practice.bodymap.service import BodyChart, BodyChartSummary
from practice.clients.records import Client
from practice.errors import NotFoundError, ValidationError
from practice.printouts import gather
from practice.printouts.output import Document, Printout, deliver, target
from practice.store.database import Database


def pain_chart_pdf(
    db: Database,
    client_id: int,
    *,
    chart_id: int | None = None,
    on: date | None = None,
    to_file: Path | None = None,
) -> Printout:
    """One body chart on a page: the chart `chart_id`, else the client's chart of the day `on`
    (the last of that day), else their latest chart."""
    from practice.documents.pain_chart import pain_chart_pdf as render

    out = target(db, to_file)
    client = gather.client(db, client_id)
    chart = _chart(db, client, chart_id) if chart_id is not None else _chart_on(db, client, on)
    made = Printout(
        document=Document.PAIN_CHART,
        title=f"Pain chart of {chart.charted_on.isoformat()}",
        file_name=gather.file_name("Pain chart", client, chart.charted_on),
        client_id=client.id,
        entity="body_chart",
        entity_id=chart.id,
        records={"chart_id": chart.id},
        data=render(gather.profile(db), client, chart),
    )
    return deliver(db, made, out)


def chart_comparison_pdf(
    db: Database,
    client_id: int,
    *,
    before_id: int | None = None,
    after_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    to_file: Path | None = None,
) -> Printout:
    """Two charts and the change between them: the charts `before_id` and `after_id`, else the
    first chart on or after `since` and the last on or before `until` (default: the client's
    first and latest)."""
    from practice.documents.pain_chart import chart_comparison_pdf as render

    out = target(db, to_file)
    client = gather.client(db, client_id)
    if before_id is not None and after_id is not None:
        before, after = _chart(db, client, before_id), _chart(db, client, after_id)
    elif before_id is None and after_id is None:
        before, after = _first_and_last(db, client, since, until)
    else:
        raise ValidationError({"chart": "A comparison needs both charts, or neither."})
    first, last = before.charted_on.isoformat(), after.charted_on.isoformat()
    made = Printout(
        document=Document.CHART_COMPARISON,
        title=f"Pain chart comparison of {first} and {last}",
        file_name=gather.file_name("Pain chart comparison", client, after.charted_on),
        client_id=client.id,
        entity="body_chart",
        entity_id=after.id,
        records={"before_chart_id": before.id, "after_chart_id": after.id},
        data=render(gather.profile(db), client, before, after),
    )
    return deliver(db, made, out)


def chart_history_pdf(db: Database, client_id: int, *, to_file: Path | None = None) -> Printout:
    """Every body chart of the client: first and latest side by side, then all in a table."""
    out = target(db, to_file)
    return deliver(db, make_chart_history(db, client_id), out)


def make_chart_history(db: Database, client_id: int) -> Printout:
    """The printout, not yet handed over (nor audited): `chart_history_pdf` delivers it."""
    from practice.documents.chart_history import chart_history_pdf as render

    client = gather.client(db, client_id)
    history = _history(db, client)
    first = charts.get_chart(db, history[0].id)
    latest = charts.get_chart(db, history[-1].id) if len(history) > 1 else None
    made = Printout(
        document=Document.CHART_HISTORY,
        title=f"Body chart history ({len(history)} chart{'s' * (len(history) != 1)})",
        file_name=gather.file_name("Body chart history", client, date.today()),
        client_id=client.id,
        entity="client",
        entity_id=client.id,
        records={"chart_ids": [h.id for h in history]},
        data=render(gather.profile(db), client, history, first, latest),
    )
    return made


def _history(db: Database, client: Client) -> list[BodyChartSummary]:
    history = charts.chart_history(db, client.id)
    if not history:
        raise ValidationError({"client": f"{client.legal_name} has no body charts yet."})
    return history


def _chart(db: Database, client: Client, chart_id: int) -> BodyChart:
    """The chart (any saved version of it) with this id, which must be the client's."""
    try:
        chart = charts.get_chart(db, chart_id)
    except NotFoundError:
        raise ValidationError({"chart": f"No body chart with id {chart_id}."}) from None
    if chart.client_id != client.id:
        raise ValidationError({"chart": f"Chart {chart_id} belongs to another client."})
    return chart


def _chart_on(db: Database, client: Client, day: date | None) -> BodyChart:
    history = _history(db, client)
    if day is None:
        return charts.get_chart(db, history[-1].id)
    same_day = [h for h in history if h.charted_on == day]
    if not same_day:
        days = ", ".join(sorted({h.charted_on.isoformat() for h in history}))
        raise ValidationError(
            {"date": f"No body chart on {day.isoformat()}; there are charts on {days}."}
        )
    return charts.get_chart(db, same_day[-1].id)


def _first_and_last(
    db: Database, client: Client, since: date | None, until: date | None
) -> tuple[BodyChart, BodyChart]:
    if since is not None and until is not None and since > until:
        raise ValidationError({"from": "The first day is after the last day."})
    history = _history(db, client)
    first = next((h for h in history if since is None or h.charted_on >= since), None)
    last = next((h for h in reversed(history) if until is None or h.charted_on <= until), None)
    if first is None or last is None or first.charted_on >= last.charted_on:
        raise ValidationError(
            {"client": "A comparison needs two charts on different days in that period."}
        )
    return charts.get_chart(db, first.id), charts.get_chart(db, last.id)
