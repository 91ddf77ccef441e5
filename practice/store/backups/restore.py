"""Restoring a backup: checked first, the current practice kept, then swapped in atomically.

1. The chosen file is copied beside `fascia.db` under a temporary name and checked there
   (its SHA-256 against its sidecar when it has one, SQLite's integrity and foreign-key checks,
   and that it is a Fascia practice this version can open). A file that fails is refused and
   nothing changes.
2. The current practice is kept: a verified backup of it ("…-before-restore.db"), or, when it
   is damaged, the file itself set aside under a dated name. Never deleted.
3. The current file is settled (no WAL left to replay) and the checked copy replaces it in one
   atomic rename. A restored practice from an older Fascia is upgraded when it is next opened.

The caller holds the practice folder (its lock) and has closed its own connections.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from practice.errors import BackupError
from practice.paths import DB_FILENAME, expand_home
from practice.progress import Progress
from practice.store.backups import catalog, verify
from practice.store.backups.run import before_risky_step
from practice.store.backups.swap import (
    discard,
    set_aside,
    settle,
    swap_into_place,
    temp_beside,
)
from practice.store.health import NotAPractice, read_revision
from practice.store.private import copy_private_file


@dataclass(frozen=True, slots=True)
class Restored:
    source: Path
    kept: Path | None  # the practice as it was: a backup, or the damaged file set aside
    damaged: bool  # `kept` is a damaged file set aside rather than a backup


def restore_backup(data_dir: Path, source: Path, progress: Progress | None = None) -> Restored:
    """Replace the practice in `data_dir` with the backup at `source` (see the module doc).

    Raises BackupError with one plain sentence when `source` cannot be restored.
    """
    progress = progress or Progress()
    db_path = data_dir / DB_FILENAME
    source = expand_home(source)
    if source.resolve() == db_path.resolve():
        raise BackupError(f"{source} is the practice file itself, not a backup of it.")
    progress.report(0, 4, "Checking the backup…")
    temp = temp_beside(db_path, "restore")
    discard(temp)
    try:
        _checked_copy(source, temp)
        progress.report(1, 4, "Keeping the practice as it is now…")
        kept, damaged = _keep_current(data_dir, db_path, progress)
        progress.report(3, 4, "Putting the backup in place…")
        swap_into_place(temp, db_path)
    except BaseException:
        discard(temp)
        raise
    progress.report(4, 4, "Restored")
    return Restored(source, kept, damaged)


def _checked_copy(source: Path, temp: Path) -> None:
    """Copy `source` to `temp` and check the copy; BackupError (temp removed) if it fails."""
    sidecar = catalog.describe(source)
    if not source.is_file():
        raise BackupError(f"{source} cannot be restored: there is no such file.")
    try:
        copy_private_file(source, temp)
    except OSError as error:
        raise BackupError(f"{source} cannot be restored: {error.strerror or error}.") from None
    if sidecar is not None and sidecar.sha256 and verify.file_sha256(temp) != sidecar.sha256:
        raise BackupError(
            f"{source} cannot be restored: it has changed since it was verified (damaged?)."
        )
    try:
        revision = read_revision(temp)
        settle(temp)  # a copy made by an older Fascia may still be marked as in WAL mode
    except NotAPractice as problem:
        raise BackupError(f"{source} cannot be restored: {problem.reason}.") from None
    from practice.store import schema

    if revision not in schema.known_revisions():
        raise BackupError(
            f"{source} cannot be restored: it was made by a newer Fascia (schema {revision})."
        )
    problems = verify.sqlite_checks(temp)
    if problems:
        raise BackupError(f"{source} cannot be restored: it failed its check ({problems[0]}).")


def _keep_current(data_dir: Path, db_path: Path, progress: Progress) -> tuple[Path | None, bool]:
    try:
        present = read_revision(db_path) is not None
    except NotAPractice:
        return set_aside(db_path), True
    if not present:
        return None, False
    settle(db_path)
    kept = before_risky_step(data_dir, "restore", progress)
    return kept.path, False
