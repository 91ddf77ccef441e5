"""A verified copy of a practice database, taken with SQLite's online backup API.

The copy is written to a temporary name the caller chose (the final name is given only once
this has returned), then fsynced and verified against the live file *as it was when copied*:
the copy and the comparison happen inside one read transaction on the live file, so writes that
land meanwhile (the app keeps working) change neither side. The three checks run side by side
(SQLite and hashlib release the GIL): integrity and foreign keys on the copy, its SHA-256, and
the row-by-row comparison.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from practice.errors import BackupError
from practice.progress import Progress
from practice.store.backups import verify
from practice.store.backups.catalog import CopyFacts
from practice.store.backups.swap import discard
from practice.store.connection import attach, connect, database_errors
from practice.store.private import create_private_file, fsync_file


def copy_verified(source: Path, temp: Path, progress: Progress | None = None) -> CopyFacts:
    """Copy `source` to `temp` (a new file), fsync and verify it; remove it if anything fails.

    Raises BackupError saying what did not match; Cancelled if `progress` was cancelled.
    """
    progress = progress or Progress()
    progress.report(0, 4, "Copying the practice file…")
    create_private_file(temp)
    try:
        return _copy_and_check(source, temp, progress)
    except BaseException:
        discard(temp)
        raise


def _copy_and_check(source: Path, temp: Path, progress: Progress) -> CopyFacts:
    live = connect(source, any_thread=True, autocommit=True)
    try:
        live.execute(f"PRAGMA mmap_size={verify.MMAP_BYTES}")
        attach(live, temp, verify.COPY_SCHEMA)
        live.execute("BEGIN")
        try:
            live.execute("SELECT count(*) FROM main.sqlite_master").fetchone()  # the snapshot
            _backup(live, temp)
            fsync_file(temp)
            progress.report(1, 4, "Checking the copy…")
            try:
                return _check(live, temp, progress)
            except database_errors() as error:
                raise BackupError(f"The copy failed its check: SQLite says {error}.") from None
        finally:
            live.execute("ROLLBACK")
    except database_errors() as error:
        raise BackupError(f"The practice file could not be copied: {error}.") from None
    except OSError as error:
        raise BackupError(f"The copy could not be written: {error.strerror or error}.") from None
    finally:
        live.close()


def _backup(live: sqlite3.Connection, temp: Path) -> None:
    target = connect(temp, autocommit=True)
    try:
        live.backup(target)
        # The copy inherits WAL mode from the page it copied; a backup is one self-contained
        # file, so it goes back to a rollback journal (no -wal or -shm beside it).
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _check(live: sqlite3.Connection, temp: Path, progress: Progress) -> CopyFacts:
    live.execute(f"PRAGMA {verify.COPY_SCHEMA}.mmap_size={verify.MMAP_BYTES}")
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="fascia-verify") as pool:
        integrity = pool.submit(verify.integrity_problems, temp)
        digest = pool.submit(verify.file_sha256, temp)
        references = pool.submit(verify.foreign_key_problems, temp)
        progress.report(2, 4, "Comparing every record with the practice…")
        differences, tables, rows = verify.compare_rows(live)
        schema = verify.schema_revision(live)
        counts = verify.counts(live)
        problems = integrity.result() + references.result() + differences
        sha256 = digest.result()
    progress.report(3, 4, "Copy checked")
    if problems:
        raise BackupError("The copy failed its check: " + "; ".join(problems[:3]) + ".")
    return CopyFacts(
        schema=schema,
        counts=counts,
        size=temp.stat().st_size,
        sha256=sha256,
        tables=tables,
        rows=rows,
    )
