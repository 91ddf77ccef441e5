"""The content hash of final records, computed in bulk and streamed in id order."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import sqlite3
from collections.abc import Iterator

from practice.store.seal.kinds import COLUMNS, Kind, Part

QUEUE = "temp.seal_queue"
_BLOBS = {"issued_document"}  # tables with BLOB columns: hashed, not repr'd


def _part_rows(
    conn: sqlite3.Connection, kind: Kind, part: Part, queued: bool
) -> Iterator[tuple[int, str]]:
    columns = ", ".join(f"t.{c}" for c in COLUMNS[part.table])
    # Queued: driven by the few ids in the queue (through the owner's index), never a scan;
    # whether each is final is checked once, in `_final_queued`.
    owners = (
        f"SELECT entity_id FROM {QUEUE} WHERE kind = '{kind.name}'" if queued else kind.final_ids()
    )
    sql = (
        f"SELECT {part.owner}, {columns} FROM {part.table} AS t {part.join} "
        f"WHERE {part.owner} IN ({owners}) ORDER BY 1"
    )
    blobs = part.table in _BLOBS
    for row in conn.execute(sql):
        values = row[1:]
        if blobs:
            values = tuple(
                hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in values
            )
        yield row[0], f"{part.table}{values!r}"


def content_hashes(
    conn: sqlite3.Connection, kind: Kind, *, queued: bool = False
) -> Iterator[tuple[int, str]]:
    """(record id, SHA-256 of its canonical content) for every final record, by id.

    `queued` limits it to the records waiting in this connection's seal queue. The content is
    every sealed column of every row the record is made of, in an order that does not depend
    on how SQLite happens to store them.
    """
    final = _final_queued(conn, kind) if queued else None
    if len(kind.parts) == 1:  # one row per record (its id is unique): no merging to do
        for owner, line in _part_rows(conn, kind, kind.parts[0], queued):
            if final is None or owner in final:
                yield owner, _sha256(line)
        return
    streams = [_part_rows(conn, kind, part, queued) for part in kind.parts]
    merged = heapq.merge(*streams, key=_owner)
    for owner, lines in itertools.groupby(merged, key=_owner):
        if final is None or owner in final:
            yield owner, _sha256("\n".join(sorted(line for _owner, line in lines)))


def _owner(item: tuple[int, str]) -> int:
    return item[0]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _final_queued(conn: sqlite3.Connection, kind: Kind) -> set[int]:
    where = f" AND ({kind.locked_when})" if kind.locked_when else ""
    rows = conn.execute(
        f"SELECT k.id FROM {QUEUE} AS q JOIN {kind.table} AS k ON k.id = q.entity_id "
        f"WHERE q.kind = '{kind.name}'{where}"
    )
    return {row[0] for row in rows}
