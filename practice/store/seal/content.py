"""The content hash of final records, computed in bulk and streamed in id order.

Verifying a large practice hashes a million records, so the loops here stay flat: one SELECT
per table with tuple rows, the canonical line made by the C `repr` of the row, and sub-rows
(a note's treatment log ...) gathered by walking their id-ordered streams alongside the
record's own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime

from practice.store.engines import on_server
from practice.store.seal.kinds import COLUMNS, Kind, Part

QUEUE = "temp.seal_queue"
SERVER_QUEUE = "pg_temp.seal_queue"


def queue_name(conn: object) -> str:
    """The connection's own queue of records due for a seal (a temporary table)."""
    return SERVER_QUEUE if on_server(conn) else QUEUE


_BLOBS = {"issued_document"}  # tables with BLOB columns: hashed, not repr'd


def _part_sql(kind: Kind, part: Part, queued: bool, queue: str = QUEUE) -> str:
    columns = ", ".join(f"t.{c}" for c in COLUMNS[part.table])
    if queued:
        # Driven by the few ids in the queue (through the owner's index), never a scan;
        # whether each is final is checked once, in `_final_queued`.
        where = f"WHERE {part.owner} IN (SELECT entity_id FROM {queue} WHERE kind = '{kind.name}')"
    elif part is kind.parts[0]:
        # The record's own row: a scan in id order (an IN list would search the table per id).
        where = f"WHERE {kind.locked_when}" if kind.locked_when else ""
    else:
        where = f"WHERE {part.owner} IN ({kind.final_ids()})"
    return f"SELECT {part.owner}, {columns} FROM {part.table} AS t {part.join} {where} ORDER BY 1"


def _part_lines(
    conn: sqlite3.Connection, kind: Kind, part: Part, queued: bool
) -> Iterator[tuple[int, str]]:
    """(owner id, canonical line) for each row of one part, by owner."""
    table = part.table
    rows = conn.execute(_part_sql(kind, part, queued, queue_name(conn)))
    if on_server(conn):
        rows = (tuple(map(_as_stored, row)) for row in rows)
    if table in _BLOBS:
        for row in rows:
            values = tuple(
                hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in row[1:]
            )
            yield row[0], f"{table}{values!r}"
    else:
        for row in rows:
            yield row[0], f"{table}{row[1:]!r}"


def _as_stored(value: object) -> object:
    """A server's value as the practice file holds it (SQLAlchemy's SQLite text forms), so a
    record's content hash is the same on both engines and seals move with their records."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def content_hashes(
    conn: sqlite3.Connection, kind: Kind, *, queued: bool = False
) -> Iterator[tuple[int, str]]:
    """(record id, SHA-256 of its canonical content) for every final record, by id.

    `queued` limits it to the records waiting in this connection's seal queue. The content is
    every sealed column of every row the record is made of, in an order that does not depend
    on how SQLite happens to store them: the lines of all its rows, sorted.
    """
    final = _final_queued(conn, kind) if queued else None
    sha256 = hashlib.sha256
    own = _part_lines(conn, kind, kind.parts[0], queued)
    others = [_part_lines(conn, kind, part, queued) for part in kind.parts[1:]]
    if not others:  # one row per record: no gathering to do
        for owner, line in own:
            if final is None or owner in final:
                yield owner, sha256(line.encode("utf-8", "surrogatepass")).hexdigest()
        return
    pending = [next(stream, None) for stream in others]
    for owner, line in own:
        lines = [line]
        for number, stream in enumerate(others):
            item = pending[number]
            while item is not None and item[0] < owner:  # rows whose record is not final
                item = next(stream, None)
            while item is not None and item[0] == owner:
                lines.append(item[1])
                item = next(stream, None)
            pending[number] = item
        if final is None or owner in final:
            lines.sort()
            text = "\n".join(lines)
            yield owner, sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _final_queued(conn: sqlite3.Connection, kind: Kind) -> set[int]:
    where = f" AND ({kind.locked_when})" if kind.locked_when else ""
    rows = conn.execute(
        f"SELECT k.id FROM {queue_name(conn)} AS q JOIN {kind.table} AS k ON k.id = q.entity_id "
        f"WHERE q.kind = '{kind.name}'{where}"
    )
    return {row[0] for row in rows}
