"""Appending seals: the queue of records that became final, and the HMAC chain over them."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from practice.progress import Progress
from practice.store.connection import connect, database_errors, key_for
from practice.store.engines import on_server
from practice.store.seal.content import QUEUE, content_hashes, queue_name
from practice.store.seal.kinds import KINDS

TABLE = "seal"  # models.Seal's table; named here so opening a practice needs no SQLAlchemy

# A practice without a passphrase has no secret to key the chain with: its seals show edits
# made by anyone who does not rewrite the chain, and an encrypted practice's seals are keyed
# by its database key (see practice.store.crypto).
PLAIN_KEY = hashlib.sha256(b"Fascia record seals: plain practice").digest()


def key_from(database_key: bytes) -> bytes:
    """The seals' HMAC key of an encrypted practice, derived from its database key."""
    return hmac.new(database_key, b"Fascia record seals v1", hashlib.sha256).digest()


# A clinic's server has no practice key yet: its seals use the plain practice's.
SERVER_KEY = PLAIN_KEY


def seal_key_for(db_path: Path) -> bytes:
    """The seals' HMAC key of the practice file at `db_path` (unlocked, when it is encrypted)."""
    database_key = key_for(db_path)
    return key_from(database_key) if database_key is not None else PLAIN_KEY


class Linker:
    """The chain value of a seal: HMAC-SHA256 (RFC 2104) over the previous chain value and the
    seal's fields, under `key`.

    The keyed inner and outer hash states are computed once and copied for each seal: half
    the time of `hmac.digest`, which keys OpenSSL's HMAC again on every call (verifying a
    large practice computes a million of them).
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def __call__(self, previous: str, seal_id: int, kind: str, entity_id: int, content: str) -> str:
        inner = self._inner.copy()
        inner.update(f"{previous}|{seal_id}|{kind}|{entity_id}|{content}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


_BLOCK = 64  # SHA-256's block size in bytes


def has_seal_table(conn: sqlite3.Connection) -> bool:
    if on_server(conn):
        return conn.execute("SELECT to_regclass(?) IS NOT NULL", (TABLE,)).fetchone()[0]
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    return row is not None


def server_queue_statements() -> list[str]:
    """The PostgreSQL side of `install_queue`: row triggers that note each record becoming
    final in the session's temporary queue, when the session has one (`server.py` makes it
    on each of Fascia's connections). Anyone else's session has none: nothing is queued, so
    what they made final stays unsealed and `verify` names it, as on SQLite."""
    statements = [
        "CREATE OR REPLACE FUNCTION seal_due() RETURNS trigger LANGUAGE plpgsql AS $due$ "
        "BEGIN IF to_regclass('pg_temp.seal_queue') IS NOT NULL THEN "
        "INSERT INTO pg_temp.seal_queue VALUES (TG_ARGV[0], NEW.id) ON CONFLICT DO NOTHING; "
        "END IF; RETURN NULL; END $due$"
    ]
    for kind in KINDS:
        for event, when in kind.becomes_final:
            condition = f" WHEN ({when})" if when else ""
            statements.append(
                f"CREATE TRIGGER seal_due_{kind.name}_{event.lower()} AFTER {event} "
                f"ON {kind.table} FOR EACH ROW{condition} "
                f"EXECUTE FUNCTION seal_due('{kind.name}')"
            )
    return statements


SERVER_QUEUE = (
    "CREATE TEMP TABLE IF NOT EXISTS seal_queue (kind TEXT NOT NULL, entity_id BIGINT NOT NULL,"
    " PRIMARY KEY (kind, entity_id))"
)


def install_queue(conn: sqlite3.Connection) -> None:
    """Make this connection note every record that becomes final, for `seal_queued`.

    TEMP triggers exist only on Fascia's own connections: a row made final by anyone else's
    SQL is never queued, so it stays unsealed and `verify` names it.
    """
    if not has_seal_table(conn):
        return  # before migration 0012: nothing to seal into yet
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {QUEUE} (kind TEXT NOT NULL, entity_id INTEGER NOT NULL,"
        " PRIMARY KEY (kind, entity_id)) WITHOUT ROWID"
    )
    for kind in KINDS:
        for event, when in kind.becomes_final:
            condition = f" WHEN {when}" if when else ""
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS seal_due_{kind.name}_{event.lower()} "
                f"AFTER {event} ON main.{kind.table}{condition} BEGIN "
                f"INSERT OR IGNORE INTO seal_queue VALUES ('{kind.name}', NEW.id); END"
            )


def relink(conn: sqlite3.Connection, key: bytes) -> None:
    """Link the whole chain again under `key`, in the caller's transaction (the seals' guard
    set aside by the caller). The content hashes stay as they were, so a record changed before
    is still named by the check afterwards."""
    link, previous, updates = Linker(key), "", []
    rows = conn.execute("SELECT id, kind, entity_id, content_sha256 FROM seal ORDER BY id")
    for seal_id, kind, entity_id, content in rows.fetchall():
        previous = link(previous, seal_id, kind, entity_id, content)
        updates.append((previous, seal_id))
    conn.executemany("UPDATE seal SET chain = ? WHERE id = ?", updates)


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT id, chain FROM seal ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, "")


def seal_queued(conn: sqlite3.Connection, key: bytes) -> int:
    """Seal the records queued on this connection, in its open transaction; how many."""
    queue = queue_name(conn)
    try:
        kinds = {row[0] for row in conn.execute(f"SELECT DISTINCT kind FROM {queue}")}
    except database_errors():
        return 0  # no queue on this connection (a practice before migration 0012)
    if not kinds:
        return 0
    count = _append(conn, key, [kind for kind in KINDS if kind.name in kinds], queued=True)
    conn.execute(f"DELETE FROM {queue}")
    return count


def needs_first_seals(conn: sqlite3.Connection) -> bool:
    return has_seal_table(conn) and conn.execute("SELECT 1 FROM seal LIMIT 1").fetchone() is None


def seal_all_if_new(conn: sqlite3.Connection, key: bytes, progress: Progress | None = None) -> int:
    """Start the chain on a practice that has none yet: every final record sealed as it is."""
    if not needs_first_seals(conn):
        return 0
    return _append(conn, key, list(KINDS), queued=False, progress=progress)


def first_seals_due(db_path: Path) -> bool:
    """Whether the practice has final records but no seals yet: the first open after the
    upgrade that brought them (which seals every one of them, `start_chain`)."""
    conn = connect(db_path, read_only=True)
    try:
        if not needs_first_seals(conn):
            return False
        finals = (f"SELECT 1 FROM ({kind.final_ids()}) LIMIT 1" for kind in KINDS)
        return any(conn.execute(sql).fetchone() for sql in finals)
    finally:
        conn.close()


def start_chain(db_path: Path, progress: Progress | None = None) -> int:
    """Seal every final record of a practice that has no seals yet, in one transaction."""
    conn = connect(db_path, autocommit=True)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            count = seal_all_if_new(conn, seal_key_for(db_path), progress)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return count
    finally:
        conn.close()


def _append(
    conn: sqlite3.Connection,
    key: bytes,
    kinds: list,
    *,
    queued: bool,
    progress: Progress | None = None,
) -> int:
    seal_id, chain = _head(conn)
    now = _now()
    link = Linker(key)
    rows = []
    for number, kind in enumerate(kinds):
        if progress is not None:
            progress.report(number, len(kinds), "Sealing the final records")
        for entity_id, content in content_hashes(conn, kind, queued=queued):
            seal_id += 1
            chain = link(chain, seal_id, kind.name, entity_id, content)
            rows.append((seal_id, kind.name, entity_id, content, chain, now))
    conn.executemany(
        "INSERT INTO seal (id, kind, entity_id, content_sha256, chain, sealed_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
