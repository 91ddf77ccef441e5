"""Automatic backups of a practice in use: on close, and at most every N minutes (30 by
default) while something changed. Anki's rule, with "changed" taken from the database's own
commits, so a session that only looked at records makes no backup.

Changes not yet in a backup are also noted in the status file, so changes made in a session
that crashed before its closing backup are backed up in the next one.

On a clinic's server the schedule is the practice's (its settings row on the server) and the
backups are made by the Fascia of a login that may make them (an owner's: `dump.py`); the
others' make none. "Changed" is then anyone's write, seen in the audit trail every write adds
to: its newest entry, against the one seen last, and at the start against the newest backup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from practice.progress import Progress
from practice.store.backups.catalog import backups_dir, list_backups
from practice.store.backups.run import BackupOutcome, back_up
from practice.store.backups.settings import get_backup_settings
from practice.store.backups.status import read_status, update_status

if TYPE_CHECKING:
    from practice.store.database import Database


class AutoBackup:
    """Decides when the open practice `db` is backed up; each call may run from any thread."""

    def __init__(self, db: Database, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.folder = backups_dir(db.data_dir)
        self._clock = clock
        self._lock = threading.Lock()
        self.refusal = _refusal(db)  # why this login makes no backups (None: it does)
        self._seen = self._changes_made()
        newest = next((b for b in list_backups(self.folder) if b.verified), None)
        self._pending = read_status(self.folder).changes_since is not None or newest is None
        if db.on_server and newest is not None:
            last_write = _last_server_write(db)[1]
            self._pending |= last_write is not None and last_write > newest.made_at
        self._last_attempt = self._now()

    @property
    def pending(self) -> bool:
        """Changes that are not in a backup yet (as of the last check)."""
        return self._pending

    def tick(self, progress: Progress | None = None) -> BackupOutcome | None:
        """Back up if something changed and the interval has passed since the last attempt."""
        with self._lock:
            self._notice_changes()
            if not self._pending or self.refusal:
                return None
            every = get_backup_settings(self.db).every_minutes
            if self._now() - self._last_attempt < every * 60:
                return None
            return self._run("auto", progress)

    def on_close(self, progress: Progress | None = None) -> BackupOutcome | None:
        """The closing backup, if anything changed since the last one."""
        with self._lock:
            self._notice_changes()
            return self._run("close", progress) if self._pending and not self.refusal else None

    def now(self, progress: Progress | None = None) -> BackupOutcome:
        """Back up now (File > Back up now), whether or not anything changed."""
        with self._lock:
            self._notice_changes()
            return self._run("manual", progress)

    def _changes_made(self) -> int:
        return _last_server_write(self.db)[0] if self.db.on_server else self.db.changes_made

    def _notice_changes(self) -> None:
        made = self._changes_made()
        if made == self._seen:
            return
        self._seen = made
        if not self._pending:
            self._pending = True
            update_status(self.folder, changes_since=datetime.now(UTC))

    def _run(self, reason: str, progress: Progress | None) -> BackupOutcome:
        before = self._changes_made()
        self._last_attempt = self._now()
        server = self.db if self.db.on_server else None
        outcome = back_up(self.db.data_dir, reason=reason, progress=progress, server=server)
        if self._changes_made() == before:  # nothing was saved while the copy was taken
            self._seen = before
            self._pending = False
            update_status(self.folder, changes_since=None)
        return outcome

    def _now(self) -> float:
        return self._clock()


def _refusal(db: Database) -> str | None:
    if not db.on_server:
        return None
    from practice.store.backups.dump import backup_refusal

    return backup_refusal(db)


def _last_server_write(db: Database) -> tuple[int, datetime | None]:
    """The newest audit entry's id and time (every write adds one)."""
    from sqlalchemy import func, select

    from practice.store.audit import AuditEntry

    with db.read() as session:
        found = session.execute(select(func.max(AuditEntry.id), func.max(AuditEntry.at))).one()
        return int(found[0] or 0), found[1]
