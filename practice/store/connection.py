"""The one way to open SQLite on a practice file: live database, backups and temporary copies.

Every connection to a file that holds practice data is opened by `connect` (or joined to one by
`attach`), so that when the practice is encrypted (SQLCipher) the key is applied in this one
place: the engine, the startup reads, Alembic, the backup and restore copies and their checks
all come through here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(
    path: Path,
    *,
    read_only: bool = False,
    any_thread: bool = False,
    autocommit: bool = False,
) -> sqlite3.Connection:
    """A sqlite3 connection to `path`.

    `read_only` opens it for reading only (a backup being listed or checked is never written);
    `any_thread` lets a pool or a worker use it from another thread (one thread at a time);
    `autocommit` leaves transactions to explicit BEGIN/COMMIT statements.
    """
    target: str | Path = path
    if read_only:
        target = f"{path.resolve().as_uri()}?mode=ro"
    return sqlite3.connect(
        target,
        uri=read_only,
        check_same_thread=not any_thread,
        isolation_level=None if autocommit else "",
    )


def attach(connection: sqlite3.Connection, path: Path, schema: str) -> None:
    """Make the file at `path` readable on `connection` as `schema` (a plain identifier)."""
    if not schema.isidentifier():
        raise ValueError(f"not a schema name: {schema!r}")
    connection.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
