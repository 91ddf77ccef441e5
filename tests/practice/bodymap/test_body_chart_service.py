"""Saving and loading body charts through the service: data in, the same data out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

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


def test_editing_a_chart_keeps_the_earlier_drawing_as_a_version_and_is_audited(
    db: Database,
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    saved = service.save_chart(db, client.id, date.today(), _chart())
    smaller = ChartData(marks=(RegionMark("B_LOW_BACK_R", 3),))
    edited = service.save_chart(db, client.id, date.today(), smaller, chart_id=saved.id)
    assert edited.id != saved.id and edited.supersedes_id == saved.id and edited.current
    assert service.get_chart(db, saved.id).data == _chart(), "the earlier drawing is kept"
    assert service.get_chart(db, saved.id).superseded_by == edited.id
    assert service.get_chart(db, edited.id).data == smaller
    assert [h.id for h in service.chart_history(db, client.id)] == [edited.id]
    assert [v.id for v in service.chart_versions(db, saved.id)] == [saved.id, edited.id]
    assert [v.id for v in service.chart_versions(db, edited.id)] == [saved.id, edited.id]
    with db.read() as session:
        actions = [
            e.action
            for e in audit.entries(session, client_id=client.id)
            if e.entity == "body_chart"
        ]
    assert actions == ["update", "create"]


def test_an_edit_of_a_version_that_was_already_replaced_is_refused(db: Database) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    first = service.save_chart(db, client.id, date.today(), _chart())
    service.save_chart(db, client.id, date.today(), _chart(), chart_id=first.id)
    with pytest.raises(ValidationError) as raised:
        service.save_chart(db, client.id, date.today(), ChartData(), chart_id=first.id)
    assert "newest version" in raised.value.errors["chart_id"]
    assert len(service.chart_versions(db, first.id)) == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE body_chart SET data = '{}' WHERE id = :id",
        "UPDATE body_chart SET extent_percent = 0 WHERE id = :id",
        "DELETE FROM body_chart WHERE id = :id",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_saved_drawing(db: Database, statement: str) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana"))
    saved = service.save_chart(db, client.id, date.today(), _chart())
    with pytest.raises(IntegrityError, match="never changed or deleted"), db.transaction() as s:
        s.execute(text(statement), {"id": saved.id})
    assert service.get_chart(db, saved.id).data == _chart()
