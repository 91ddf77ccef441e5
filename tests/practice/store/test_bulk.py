"""Bulk inserts write exactly what the ORM writes: same stored text, same values read back.

The rows are of a table made for these tests with the audit trail's column types (an aware
UTC moment, texts, a number, JSON with a default): the audit trail itself is append-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Integer, String, Text, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from practice.store import Database
from practice.store.base import UTCDateTime, utcnow
from practice.store.bulk import LOAD_CACHE_KIB, bulk_transaction, insert_rows, update_rows


class _Base(DeclarativeBase):
    pass


class Entry(_Base):
    __tablename__ = "bulk_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@pytest.fixture(autouse=True)
def _sample_table(db: Database) -> None:
    with db.transaction() as session:
        _Base.metadata.create_all(session.connection())


TORONTO = timezone(timedelta(hours=-5))


def _entry(at: datetime, summary: str, changes: object) -> dict[str, object]:
    return {
        "at": at,
        "actor": "Jordan Rivera",
        "action": "create",
        "entity": "visit",
        "entity_id": 1,
        "summary": summary,
        "changes": changes,
    }


def _stored(db: Database) -> list[tuple[object, ...]]:
    """The stored text itself, as SQLite holds it."""
    with db.read() as session:
        query = text("SELECT at, summary, changes FROM bulk_sample ORDER BY id")
        return [tuple(row) for row in session.execute(query)]


def test_bulk_rows_are_stored_as_the_orm_stores_them(db: Database) -> None:
    shared: dict[str, object] = {}
    rows = [
        _entry(datetime(2024, 3, 1, 9, 30, tzinfo=TORONTO), "Visit 김현우 🌻", {"pain": [7, 5]}),
        _entry(datetime(2004, 1, 2, 0, 0, 0, 1, tzinfo=UTC), "x" * 100_000, shared),
        _entry(datetime(2024, 3, 1, 9, 30, tzinfo=UTC), "", shared),
        _entry(datetime(2024, 3, 1, 9, 30, tzinfo=UTC), "null", None),
    ]
    with db.transaction() as session:
        insert_rows(session, Entry, rows)
    bulk = _stored(db)
    with db.transaction() as session:
        session.execute(Entry.__table__.delete())
        session.add_all(Entry(**row) for row in rows)  # type: ignore[arg-type]
    assert _stored(db) == bulk
    with db.read() as session:
        back = session.scalars(select(Entry).order_by(Entry.id)).all()
        assert back[0].at == datetime(2024, 3, 1, 14, 30, tzinfo=UTC)
        assert back[0].changes == {"pain": [7, 5]} and back[1].changes == {}


def test_bulk_rows_get_the_models_python_defaults(db: Database) -> None:
    row = _entry(datetime(2024, 3, 1, tzinfo=UTC), "no changes given", {})
    del row["changes"]
    with db.transaction() as session:
        insert_rows(session, Entry, [row, dict(row)])
    with db.read() as session:
        assert [e.changes for e in session.scalars(select(Entry))] == [{}, {}]


def test_a_naive_datetime_is_refused_as_the_model_refuses_it(db: Database) -> None:
    with pytest.raises(ValueError, match="naive"), db.transaction() as session:
        insert_rows(
            session,
            Entry,
            [
                _entry(datetime(2024, 3, 1, tzinfo=UTC), "aware", {}),
                _entry(datetime(2024, 3, 1), "naive", {}),
            ],
        )
    assert _stored(db) == []


def test_bulk_updates_set_each_rows_columns(db: Database) -> None:
    rows = [_entry(datetime(2024, 3, d, tzinfo=UTC), f"day {d}", {}) for d in (1, 2, 3)]
    with db.transaction() as session:
        insert_rows(session, Entry, rows)
        ids = list(session.scalars(select(Entry.id).order_by(Entry.id)))
        update_rows(
            session,
            Entry,
            [{"id": ids[0], "summary": "first", "at": datetime(2025, 1, 1, tzinfo=UTC)}],
        )
    with db.read() as session:
        first = session.get(Entry, ids[0])
        assert first is not None and first.summary == "first"
        assert first.at == datetime(2025, 1, 1, tzinfo=UTC)
        assert session.get(Entry, ids[1]).summary == "day 2"  # type: ignore[union-attr]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.sampled_from([UTC, TORONTO])),
            st.text(max_size=40),
            st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_rows_read_back_as_written(db: Database, items: list) -> None:  # type: ignore[type-arg]
    with db.transaction() as session:
        session.execute(Entry.__table__.delete())
        insert_rows(session, Entry, [_entry(at, s, c) for at, s, c in items])
    with db.read() as session:
        back = session.scalars(select(Entry).order_by(Entry.id)).all()
    assert [(e.at, e.summary, e.changes) for e in back] == [
        (at.astimezone(UTC), s, c) for at, s, c in items
    ]


def _cache_size(connection: Any) -> int:
    return int(connection.execute("PRAGMA cache_size").fetchone()[0])


def test_a_bulk_transaction_commits_its_rows_and_gives_the_connection_its_cache_back(
    db: Database,
) -> None:
    with bulk_transaction(db) as session:
        connection = db.raw_connection(session)
        inside = _cache_size(connection)
        insert_rows(session, Entry, [_entry(datetime(2024, 3, 1, tzinfo=UTC), "kept", {})])
    assert inside == -LOAD_CACHE_KIB
    assert _cache_size(connection) == -2000  # SQLite's default, which the connection had
    assert [row[1] for row in _stored(db)] == ["kept"]


def test_a_failed_bulk_transaction_saves_nothing_and_gives_the_cache_back(db: Database) -> None:
    with pytest.raises(RuntimeError), bulk_transaction(db) as session:
        connection = db.raw_connection(session)
        insert_rows(session, Entry, [_entry(datetime(2024, 3, 1, tzinfo=UTC), "lost", {})])
        raise RuntimeError("the demo stopped")
    assert _cache_size(connection) == -2000
    assert _stored(db) == []
