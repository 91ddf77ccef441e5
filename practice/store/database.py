"""Opening a data folder: one process at a time, durable SQLite settings, migrations on start."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from practice.errors import FasciaError
from practice.paths import DB_FILENAME
from practice.store import schema
from practice.store.connection import connect as open_sqlite
from practice.store.connection import driver_for
from practice.store.engines import WRITE_LOCK, ServerConnection
from practice.store.folder import claim_folder
from practice.store.seal import chain as seals

if TYPE_CHECKING:
    from practice.store.practitioners import Practitioner
    from practice.store.staff import ClinicUser


def _apply_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a save that has returned survives a crash or power cut, not only an app crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
    _apply_rules(dbapi_connection)


def _apply_load_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """A file being built aside (`practice.demo_aside`): no journal and no syncing, as a copy
    that is not whole is thrown away, never opened."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=OFF")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()
    _apply_rules(dbapi_connection)


def _apply_rules(dbapi_connection: sqlite3.Connection) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # REPLACE's implicit delete fires the DELETE triggers too (a tamperer's own connection
    # has this off: migration 0012's BEFORE INSERT guards cover that case).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()
    seals.install_queue(dbapi_connection)


def make_engine(db_path: Path, *, load: bool = False) -> Engine:
    """The engine of a practice file; with `load`, of a file built aside with no journal."""
    # A file URL keeps SQLAlchemy's pool for files; the connections come from the one opener,
    # and errors are recognised as the driver's (SQLCipher's for an encrypted practice).
    engine = create_engine(
        f"sqlite:///{db_path}",
        creator=lambda: open_sqlite(db_path, any_thread=True),
        module=driver_for(db_path),
        future=True,
    )
    event.listen(engine, "connect", _apply_load_pragmas if load else _apply_pragmas)
    return engine


HAND_OVER_WAIT_S = 60  # reads in the background end within moments; a stuck one fails the restore


@dataclass
class Database:
    """An open practice: a data folder (SQLite), or a clinic's PostgreSQL server when
    `server_url` is set (`practice.store.server`; `data_dir` is then this computer's own folder
    for that server). Services take one of these; only they open sessions on it.

    `signer` is the practitioner at the keyboard: every signature and audit entry names them.
    `actor` overrides it with a fixed name (tests, and the demo generator's own writes).
    `clinic_user` is the clinic login signed in on a server (`practice.store.staff`): what the
    screens offer follows its role.
    """

    data_dir: Path
    engine: Engine
    signer: Practitioner | None = None
    actor_override: str | None = None
    backup_path: Path | None = None
    _lock: FileLock | None = None
    server_url: str | None = field(default=None, repr=False)  # may hold a password
    clinic_user: ClinicUser | None = None
    # The file itself when it is not the folder's practice file (a demo built aside).
    file: Path | None = None
    _sessions: sessionmaker[Session] = field(init=False)

    _changes_made: int = field(init=False, default=0)
    # Sessions open now, and whether the file is handed over (a restore is replacing it):
    # `hand_over` waits for the open ones and refuses new ones, so no read in the background
    # (the warm-up, a view's refresh) has the file open while it is swapped.
    _gate: threading.Condition = field(init=False, default_factory=threading.Condition)
    _in_use: int = field(init=False, default=0)
    _handed_over: bool = field(init=False, default=False)
    _closed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.on_server:
            from practice.store import server

            server.watch_changes(self)
        else:
            event.listen(self.engine, "commit", self._on_commit)
        event.listen(self._sessions, "before_commit", self._seal_before_commit)

    @property
    def on_server(self) -> bool:
        """Whether this practice lives on a PostgreSQL server (clinic mode)."""
        return self.server_url is not None

    def counted_change(self) -> None:
        """One more commit that changed rows (`changes_made`)."""
        self._changes_made += 1

    def _seal_before_commit(self, session: Session) -> None:
        """Seal what this transaction made final (a signed note, an issued invoice ...)."""
        self.seal_made_final(session)

    def seal_made_final(self, session: Session) -> int:
        """Seal what the transaction has made final so far (the commit seals the rest): a bulk
        load seals each batch while its rows are still in the cache. How many were sealed."""
        session.flush()
        return seals.seal_queued(self.raw_connection(session), self.seal_key)

    @property
    def seal_key(self) -> bytes:
        """The record seals' HMAC key: derived from the database key once it is encrypted.
        (A server's seals use the plain practice's key until clinic keys exist.)"""
        return seals.SERVER_KEY if self.on_server else seals.seal_key_for(self.path)

    def reopen_engine(self) -> None:
        """New connections the way the file now needs them (after it was encrypted)."""
        self.engine.dispose()
        self.engine = make_engine(self.path)
        self.__post_init__()

    @staticmethod
    def raw_connection(session: Session) -> sqlite3.Connection:
        """The sqlite3 connection under `session`, in its transaction (on a server, its psycopg
        connection answering the same calls: `engines.ServerConnection`)."""
        connection = session.connection()
        driver = connection.connection.driver_connection
        if connection.dialect.name == "sqlite":
            return driver  # type: ignore[return-value]
        return ServerConnection(driver)  # type: ignore[return-value]

    def start_seals(self) -> None:
        """Seal every final record of a practice that has no seals yet (the first open)."""
        with self.read() as session:
            if not seals.needs_first_seals(self.raw_connection(session)):
                return
        with self.transaction() as session:
            seals.seal_all_if_new(self.raw_connection(session), self.seal_key)

    @property
    def changes_made(self) -> int:
        """Grows with every commit that changed rows (automatic backups watch it)."""
        return self._changes_made

    def _on_commit(self, connection: Any) -> None:
        record = connection.connection  # the pooled DBAPI connection and its info dict
        total = record.driver_connection.total_changes
        if total != record.info.get("fascia_total_changes", 0):
            record.info["fascia_total_changes"] = total
            self._changes_made += 1

    @property
    def path(self) -> Path:
        return self.file or self.data_dir / DB_FILENAME

    @property
    def actor(self) -> str:
        """The signature written into records and the audit trail: never the computer's login."""
        from practice.store.practitioners import SETUP_ACTOR

        if self.actor_override:
            return self.actor_override
        return self.signer.signature if self.signer is not None else SETUP_ACTOR

    @property
    def practitioner_id(self) -> int | None:
        return self.signer.id if self.signer is not None else None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls everything back on error.

        A write transaction takes SQLite's write lock up front (BEGIN IMMEDIATE): a deferred
        one that reads and then writes fails with "database is locked" when another connection
        wrote in between, whereas this one waits its turn (busy_timeout). Numbering that reads
        the last number and writes the next is therefore gapless and unique. On a server the
        same lock is a transaction-scoped advisory lock (why: `practice.store.server`).
        """
        with self._session(saving=write) as session:
            connection = session.connection()
            if write and connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            elif write:
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session() as session:
            yield session

    @property
    def replacing(self) -> bool:
        """The file is handed over (a restore or an encryption is replacing it) or closed."""
        return self._handed_over or self._closed

    @contextmanager
    def _session(self, *, saving: bool = False) -> Iterator[Session]:
        """A session, counted; while the file is handed over a worker thread's waits for it
        to come back."""
        with self._gate:
            if threading.current_thread() is not threading.main_thread():
                self._gate.wait_for(
                    lambda: not self._handed_over or self._closed, timeout=HAND_OVER_WAIT_S
                )
            # The main (GUI) thread never waits: what would hand the file back (a restore's
            # or an encryption's ending) needs it.
            if self._handed_over:  # still away, or closed away (a restore replaced it)
                raise FasciaError(
                    "The practice file was replaced or closed (a restore); it is read again "
                    "once it has opened."
                )
            self._in_use += 1
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as error:
            lost = self._lost(error, saving)
            if lost is None:
                raise
            raise lost from error
        finally:
            with self._gate:
                self._in_use -= 1
                self._gate.notify_all()

    def _lost(self, error: DBAPIError, saving: bool) -> FasciaError | None:
        """A server that went away (`server.ServerGoneError`), or that refused this login what
        its role may not do (`server.AccessRefusedError`), in plain words."""
        if self.server_url is None:
            return None
        from practice.store.server import gone, refusal

        return gone(error, self.server_url, saving=saving) or refusal(error)

    def sign_in(self, practitioner_id: int | None = None) -> Practitioner | None:
        """Make a practitioner the signer (the first active one when no id is given)."""
        from practice.store.practitioners import first_active, get_practitioner

        if practitioner_id is not None:
            self.signer = get_practitioner(self, practitioner_id)
        else:
            with self.read() as session:
                self.signer = first_active(session)
        return self.signer

    def close(self) -> None:
        with self._gate:
            self._closed = True
            self._gate.notify_all()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def hand_over(self) -> FileLock | None:
        """Close every connection but keep the folder claimed; the caller now holds the lock.

        Used to replace the practice file (restore) and open it again without letting another
        Fascia in between. Waits for the sessions still open (reads in the background) to
        end; new ones wait for `take_back` (or `close`, which refuses them).
        """
        with self._gate:
            self._handed_over = True
            if not self._gate.wait_for(lambda: self._in_use == 0, timeout=HAND_OVER_WAIT_S):
                self._handed_over = False
                raise FasciaError("The practice is busy; try the restore again in a moment.")
        self.engine.dispose()
        lock, self._lock = self._lock, None
        return lock

    def take_back(self, lock: FileLock | None) -> None:
        """Hold the folder's lock again after `hand_over` (the replacement did not happen)."""
        with self._gate:
            self._handed_over = False
            self._gate.notify_all()
        self._lock = lock


def open_database(data_dir: Path, *, actor: str | None = None, migrate: bool = True) -> Database:
    """Lock the folder, create or upgrade the database, and return it ready to use.

    Raises DatabaseLockedError when another Fascia has the folder open and NewerDatabaseError
    when the file was written by a newer version; the file is left untouched in both cases.
    """
    from practice.store.encryption import require_unlocked

    require_unlocked(data_dir)
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
        actor_override=actor or None,
        backup_path=backup_path,
        _lock=lock,
    )
    db.start_seals()
    db.sign_in()
    return db
