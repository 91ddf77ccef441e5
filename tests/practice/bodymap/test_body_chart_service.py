"""Saving and loading body charts through the service: data in, the same data out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from practice.bodymap import service
from practice.bodymap.chart import ChartData, PointSymbol, Quality, RegionMark, SymbolKind
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import ValidationError
from practice.store import Database, audit


def _chart() -> ChartData:
    return ChartData(
        marks=(
            RegionMark("B_LOW_BACK_R", 7, frozenset({Quality.ACHE})),
            RegionMark("B_BUTTOCK_R", 4, frozenset({Quality.SHARP})),
        ),
        symbols=(
            PointSymbol(
                SymbolKind.TRIGGER_POINT_ACTIVE, "back", 780, 470, muscle="Quadratus lumborum"
            ),
        ),
    )


def test_saved_chart_loads_back_exactly_with_its_metrics(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    saved = service.save_chart(db, client.id, date.today(), _chart())
    loaded = service.get_chart(db, saved.id)
    assert loaded.data == _chart()
    assert loaded.metrics.region_count == 2
    assert loaded.metrics.max_intensity == 7
    assert [h.id for h in service.chart_history(db, client.id)] == [saved.id]


def test_history_is_in_date_order(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    later = service.save_chart(db, client.id, date.today(), _chart())
    earlier = service.save_chart(db, client.id, date.today() - timedelta(days=14), _chart())
    assert [h.id for h in service.chart_history(db, client.id)] == [earlier.id, later.id]


def test_bad_chart_is_refused_and_nothing_is_stored(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    bad = ChartData(marks=(RegionMark("B_LOW_BACK_R", 11), RegionMark("NOWHERE", 3)))
    with pytest.raises(ValidationError) as error:
        service.save_chart(db, client.id, date.today(), bad)
    assert len(error.value.errors) == 2
    assert service.chart_history(db, client.id) == []


def test_future_chart_date_is_refused(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    with pytest.raises(ValidationError) as error:
        service.save_chart(db, client.id, date.today() + timedelta(days=1), _chart())
    assert "future" in error.value.errors["charted_on"]


def test_editing_a_chart_replaces_it_whole_and_is_audited(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    saved = service.save_chart(db, client.id, date.today(), _chart())
    smaller = ChartData(marks=(RegionMark("B_LOW_BACK_R", 3),))
    service.save_chart(db, client.id, date.today(), smaller, chart_id=saved.id)
    assert service.get_chart(db, saved.id).data == smaller
    with db.read() as session:
        actions = [
            e.action
            for e in audit.entries(session, client_id=client.id)
            if e.entity == "body_chart"
        ]
    assert actions == ["update", "create"]
