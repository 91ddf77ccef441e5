"""Claiming a practice folder before the database engine exists: cheap enough for startup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from filelock import FileLock, Timeout

from practice.errors import DatabaseLockedError
from practice.store.backups.catalog import backups_dir
from practice.store.backups.swap import sweep_temps
from practice.store.connection import connect
from practice.store.private import FILE_MODE, make_private_dir, tighten_folder

LOCK_FILENAME = "fascia.lock"


def claim_folder(data_dir: Path) -> FileLock:
    """Create the folder if needed and hold its lock; one Fascia per folder at a time.

    Holding it, tidy what a killed backup, restore or upgrade left behind, and make the folder
    and its files private to this user whatever the umask.
    """
    make_private_dir(data_dir)
    lock = FileLock(str(data_dir / LOCK_FILENAME), mode=FILE_MODE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise DatabaseLockedError(
            f"Fascia is already open on {data_dir}. Close the other window first; "
            "two programs writing one practice file could damage it."
        ) from None
    sweep_temps(data_dir)
    sweep_temps(backups_dir(data_dir))
    tighten_folder(data_dir)
    return lock


def table_has_rows(db_path: Path, table: str) -> bool:
    """A quick look with the sqlite3 module, for decisions made before SQLAlchemy loads."""
    if not db_path.exists():
        return False
    conn = connect(db_path)
    try:
        return conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
