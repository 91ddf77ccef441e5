"""Opening a data folder: one process at a time, durable SQLite settings, migrations on start."""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from practice.paths import DB_FILENAME
from practice.store import schema
from practice.store.folder import claim_folder


def _apply_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a save that has returned survives a crash or power cut, not only an app crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}", future=True)
    event.listen(engine, "connect", _apply_pragmas)
    return engine


@dataclass
class Database:
    """An open data folder. Services take one of these; only they open sessions on it."""

    data_dir: Path
    engine: Engine
    actor: str = field(default_factory=getpass.getuser)
    backup_path: Path | None = None
    _lock: FileLock | None = None
    _sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls everything back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def open_database(data_dir: Path, *, actor: str | None = None, migrate: bool = True) -> Database:
    """Lock the folder, create or upgrade the database, and return it ready to use.

    Raises DatabaseLockedError when another Fascia has the folder open and NewerDatabaseError
    when the file was written by a newer version; the file is left untouched in both cases.
    """
    lock = claim_folder(data_dir)
    try:
        backup = schema.prepare(data_dir / DB_FILENAME) if migrate else None
        return connect(data_dir, lock, actor=actor, backup_path=backup)
    except BaseException:
        lock.release()
        raise


def connect(
    data_dir: Path,
    lock: FileLock | None,
    *,
    actor: str | None = None,
    backup_path: Path | None = None,
) -> Database:
    """A Database on a folder already claimed (and migrated) by the caller."""
    db = Database(
        data_dir=data_dir,
        engine=make_engine(data_dir / DB_FILENAME),
        backup_path=backup_path,
        _lock=lock,
    )
    if actor:
        db.actor = actor
    return db
