"""Bulk inserts for generated data (the demo): one compiled Core `insert()`, one executemany.

SQLAlchemy's own executemany builds and converts a parameter dict per row in Python, which
costs more than SQLite's insert itself once a demo writes millions of rows. Here the statement
is compiled once for the row's keys, each column's own bind processor (the same conversion the
models use: UTC datetimes, JSON, dates, booleans) is applied column by column, and the tuples go
to the driver's executemany in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Table, bindparam, insert, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from practice.store.base import UTCDateTime
from practice.store.connection import database_errors

if TYPE_CHECKING:
    from practice.store.database import Database

BATCH = 50_000  # rows per executemany: bounds the memory of the converted tuples
LOAD_CACHE_KIB = 256 * 1024  # page cache of a bulk load (SQLite's default is 2 MiB)


@contextmanager
def bulk_transaction(db: Database) -> Iterator[Session]:
    """`db.transaction()` for a bulk load: a large page cache on its connection until it has
    committed (the seals written at commit included), then the connection's own size again.
    Index pages then stay in memory instead of being spilled to the WAL and written there
    again at each change."""
    if db.on_server:  # the server's own memory settings
        with db.transaction() as session:
            yield session
        return
    connection = None
    try:
        with db.transaction() as session:
            connection = db.raw_connection(session)
            before = int(connection.execute("PRAGMA cache_size").fetchone()[0])
            connection.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
            yield session
    finally:
        if connection is not None:
            with suppress(*database_errors()):  # a connection closed by the failure
                connection.execute(f"PRAGMA cache_size = {before}")


@dataclass(frozen=True, slots=True)
class Prepared:
    """One SQLite statement and its rows as the driver takes them (converted, in order):
    made where the rows are made (a demo's forked producer), executed in the transaction."""

    table: str
    sql: str
    rows: list[tuple[Any, ...]]


def insert_rows(
    session: Session | Connection, model: Any, rows: Sequence[Mapping[str, Any]]
) -> int:
    """Insert `rows` (dicts with the same keys, in the model's Python form) into `model`'s
    table in the caller's transaction; return how many were written."""
    if not rows:
        return 0
    connection = session.connection() if isinstance(session, Session) else session
    table: Table = getattr(model, "__table__", model)
    if connection.dialect.name != "sqlite":  # a server: SQLAlchemy's own batched executemany
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), [dict(row) for row in rows[start : start + BATCH]])
        return len(rows)
    for start in range(0, len(rows), BATCH):  # bounds the memory of the converted tuples
        write_prepared(
            connection, prepare_insert(connection.dialect, table, rows[start : start + BATCH])
        )
    return len(rows)


def update_rows(
    session: Session | Connection, model: Any, rows: Sequence[Mapping[str, Any]], by: str = "id"
) -> int:
    """Set the other keys of each row on the row of `model` whose `by` column matches."""
    if not rows:
        return 0
    connection = session.connection() if isinstance(session, Session) else session
    table: Table = getattr(model, "__table__", model)
    if connection.dialect.name != "sqlite":
        keys = [key for key in rows[0] if key != by]
        statement = _update_statement(table, keys, by)
        params = [{"bulk_by": row[by], **{f"bulk_{k}": row[k] for k in keys}} for row in rows]
        connection.execute(statement, params)
        return len(rows)
    write_prepared(connection, prepare_update(connection.dialect, table, rows, by))
    return len(rows)


def prepare_insert(dialect: Dialect, model: Any, rows: Sequence[Mapping[str, Any]]) -> Prepared:
    """The SQLite INSERT of `rows` into `model`'s table, its values converted as the model's
    column types convert them (and the Python-side defaults of the columns left out)."""
    table: Table = getattr(model, "__table__", model)
    given = list(rows[0])
    # Columns left out that have a Python-side default get it, as the ORM would give it.
    defaults = {
        c.key: c.default
        for c in table.c
        if c.key not in given and c.default is not None and not c.primary_key
    }
    keys = [*given, *defaults]
    columns = [table.c[key] for key in keys]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = [keys.index(name) for name in compiled.positiontup or ()]
    processors = [_processor(column, dialect, _sample(rows, column.key)) for column in columns]
    values = [_column(rows, key, processors[i]) for i, key in enumerate(given)]
    values += [
        _defaults(len(rows), default, processors[len(given) + i])
        for i, default in enumerate(defaults.values())
    ]
    return Prepared(
        table.name, compiled.string, list(zip(*(values[i] for i in order), strict=True))
    )


def prepare_update(
    dialect: Dialect, model: Any, rows: Sequence[Mapping[str, Any]], by: str = "id"
) -> Prepared:
    """The SQLite UPDATE setting the other keys of each row where its `by` column matches."""
    table: Table = getattr(model, "__table__", model)
    keys = [key for key in rows[0] if key != by]
    compiled = _update_statement(table, keys, by).compile(dialect=dialect)
    names = {f"bulk_{key}": key for key in keys} | {"bulk_by": by}
    processors = {key: _processor(table.c[key], dialect, _sample(rows, key)) for key in (*keys, by)}
    order = [names[name] for name in compiled.positiontup or ()]
    values = {key: _column(rows, key, processors[key]) for key in (*keys, by)}
    return Prepared(
        table.name, compiled.string, list(zip(*(values[key] for key in order), strict=True))
    )


def _update_statement(table: Table, keys: list[str], by: str) -> Any:
    """UPDATE table SET each key WHERE `by` matches, with the parameters bulk_KEY and bulk_by."""
    return (
        update(table)
        .where(table.c[by] == bindparam("bulk_by"))
        .values({key: bindparam(f"bulk_{key}") for key in keys})
    )


def write_prepared(connection: Connection, prepared: Prepared) -> int:
    """Execute a prepared statement's rows in the connection's transaction; how many."""
    if not prepared.rows:
        return 0
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(prepared.sql, prepared.rows)
    finally:
        cursor.close()
    return len(prepared.rows)


def _processor(column: Any, dialect: Dialect, sample: Any) -> Callable[[Any], Any] | None:
    """The column's bind processor; for UTC datetimes and JSON a quicker one giving the same
    text (checked against SQLAlchemy's on a sample value), as these make most of the cost."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    quick: Callable[[Any], Any] | None = None
    if isinstance(column.type, UTCDateTime):
        quick = _utc_text
    elif isinstance(column.type, JSON) and dialect._json_serializer is None:  # type: ignore[attr-defined]
        if process is None:
            return None
        quick = _json_text(process)
    if quick is None or process is None or sample is None:
        return process
    if quick(sample) != process(sample):
        return process
    return quick


def _sample(rows: Sequence[Mapping[str, Any]], key: str) -> Any:
    return next((row[key] for row in rows if row.get(key) is not None), None)


def _utc_text(value: datetime | None) -> str | None:
    """UTCDateTime's stored text: naive UTC, microseconds (SQLAlchemy's SQLite format)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")[:26]


def _json_text(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """JSON text as json.dumps writes it; None (JSON null or SQL NULL) as SQLAlchemy decides.

    Made for one insert: the rows hold every value while it runs, so an id names one value."""
    dumps = json.dumps
    seen: dict[int, str] = {}  # by identity: a value shared by many rows is written once

    def text(value: Any) -> Any:
        if value is None:
            return process(value)
        known = seen.get(id(value))
        if known is None:
            known = seen[id(value)] = dumps(value)
        return known

    return text


def _column(
    rows: Iterable[Mapping[str, Any]], key: str, process: Callable[[Any], Any] | None
) -> list[Any]:
    if process is None:
        return [row[key] for row in rows]
    return [process(row[key]) for row in rows]


def _defaults(count: int, default: Any, process: Callable[[Any], Any] | None) -> list[Any]:
    """A column default for `count` rows: a constant, or called once per row (a fresh list)."""
    if default.is_scalar:
        value = process(default.arg) if process else default.arg
        return [value] * count
    if not default.is_callable:
        raise ValueError(f"bulk rows cannot compute the default of {default.column}")
    made = [default.arg(None) for _ in range(count)]
    return [process(v) for v in made] if process else made
