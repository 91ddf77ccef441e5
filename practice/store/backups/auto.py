"""Automatic backups of a practice in use: on close, and at most every N minutes (30 by
default) while something changed. Anki's rule, with "changed" taken from the database's own
commits, so a session that only looked at records makes no backup.

Changes not yet in a backup are also noted in the status file, so changes made in a session
that crashed before its closing backup are backed up in the next one.
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
from practice.store.backups.settings import read_settings
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
        self._seen = db.changes_made
        has_backup = any(b.verified for b in list_backups(self.folder))
        self._pending = read_status(self.folder).changes_since is not None or not has_backup
        self._last_attempt = self._now()

    @property
    def pending(self) -> bool:
        """Changes that are not in a backup yet (as of the last check)."""
        return self._pending

    def tick(self, progress: Progress | None = None) -> BackupOutcome | None:
        """Back up if something changed and the interval has passed since the last attempt."""
        with self._lock:
            self._notice_changes()
            if not self._pending:
                return None
            every = read_settings(self.db.path).every_minutes
            if self._now() - self._last_attempt < every * 60:
                return None
            return self._run("auto", progress)

    def on_close(self, progress: Progress | None = None) -> BackupOutcome | None:
        """The closing backup, if anything changed since the last one."""
        with self._lock:
            self._notice_changes()
            return self._run("close", progress) if self._pending else None

    def now(self, progress: Progress | None = None) -> BackupOutcome:
        """Back up now (File > Back up now), whether or not anything changed."""
        with self._lock:
            self._notice_changes()
            return self._run("manual", progress)

    def _notice_changes(self) -> None:
        made = self.db.changes_made
        if made == self._seen:
            return
        self._seen = made
        if not self._pending:
            self._pending = True
            update_status(self.folder, changes_since=datetime.now(UTC))

    def _run(self, reason: str, progress: Progress | None) -> BackupOutcome:
        before = self.db.changes_made
        self._last_attempt = self._now()
        outcome = back_up(self.db.data_dir, reason=reason, progress=progress)
        if self.db.changes_made == before:  # nothing was saved while the copy was taken
            self._seen = before
            self._pending = False
            update_status(self.folder, changes_since=None)
        return outcome

    def _now(self) -> float:
        return self._clock()
