"""Claiming a practice folder before the database engine exists: cheap enough for startup."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from practice.errors import DatabaseLockedError
from practice.paths import DB_FILENAME
from practice.store.backups.catalog import backups_dir
from practice.store.backups.swap import sweep_temps
from practice.store.connection import connect, database_errors
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
    tighten_folder(data_dir, _own_files(data_dir))
    return lock


def _own_files(data_dir: Path) -> list[Path]:
    """What Fascia keeps in a practice folder (a folder chosen by hand may hold other things)."""
    names = [DB_FILENAME + s for s in ("", "-wal", "-shm", "-journal")] + [LOCK_FILENAME]
    names.append("fascia.key")
    own = [data_dir / name for name in names]
    own += data_dir.glob(f"{DB_FILENAME}.damaged-*")
    return [*own, backups_dir(data_dir)]


def table_has_rows(db_path: Path, table: str) -> bool:
    """A quick look with the sqlite3 module, for decisions made before SQLAlchemy loads."""
    if not db_path.exists():
        return False
    conn = connect(db_path)
    try:
        return conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
    except database_errors():
        return False
    finally:
        conn.close()
