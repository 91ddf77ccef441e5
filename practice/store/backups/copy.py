"""A verified copy of a practice database, taken with SQLite's online backup API.

The copy is written to a temporary name the caller chose (the final name is given only once
this has returned), then fsynced and verified against the live file *as it was when copied*:
the copy and the comparison happen inside one read transaction on the live file, so writes that
land meanwhile (the app keeps working) change neither side. The copy is compared with the
live file byte for byte when the snapshot is that file (`pages.py`), hashed in the same read,
while SQLite checks it on another thread (quick_check and foreign keys). Otherwise (an
encrypted practice, or a save in the log at the snapshot) it is compared row by row, and
integrity_check then checks its indexes.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from practice.errors import BackupError
from practice.progress import Progress
from practice.store.backups import pages, verify
from practice.store.backups.catalog import CopyFacts
from practice.store.backups.swap import discard
from practice.store.connection import attach, connect, database_errors
from practice.store.private import create_private_file, fsync_file

# What a copy is checked with. Compared page by page, every index is compared too, so SQLite's
# quick_check (each page read from the copy's file and well-formed) is enough: integrity_check's
# extra work, matching each index entry against its table row, would only say again what the
# byte comparison said. Compared row by row, no index is compared: integrity_check checks them.
PAGE_CHECKS = ("every page compared with the practice", "quick_check", "foreign_key_check")
ROW_CHECKS = ("every row compared with the practice", "integrity_check", "foreign_key_check")


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
        pages.settle(live)
        live.execute("BEGIN")
        try:
            live.execute("SELECT count(*) FROM main.sqlite_master").fetchone()  # the snapshot
            snapshot = source if pages.file_is_snapshot(live, source) else None
            _backup(live, temp)
            fsync_file(temp)
            progress.report(1, 4, "Checking the copy…")
            try:
                return _check(live, temp, snapshot, progress)
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


def _check(
    live: sqlite3.Connection, temp: Path, snapshot: Path | None, progress: Progress
) -> CopyFacts:
    """Compare the copy with the practice (its file's bytes when `snapshot` is that file, else
    its rows) while SQLite checks the copy on another thread (SQLite releases the GIL)."""
    live.execute(f"PRAGMA {verify.COPY_SCHEMA}.mmap_size={verify.MMAP_BYTES}")
    page_size = live.execute("PRAGMA main.page_size").fetchone()[0]
    page_count = live.execute("PRAGMA main.page_count").fetchone()[0]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="fascia-verify") as pool:
        checks = [
            pool.submit(
                verify.quick_check_problems if snapshot else verify.integrity_problems, temp
            ),
            pool.submit(verify.foreign_key_problems, temp),
        ]
        progress.report(2, 4, "Comparing the copy with the practice…")
        if snapshot is not None:
            size = page_size * page_count
            differences, sha256 = pages.compare_files(snapshot, temp, size, page_size)
            if differences:  # say which tables differ, when rows do
                differences = verify.compare_rows(live)[0] or differences
            tables, rows = verify.table_count(live), 0
        else:
            digest = pool.submit(verify.file_sha256, temp)
            differences, tables, rows = verify.compare_rows(live)
            sha256 = digest.result()
        schema = verify.schema_revision(live)
        counts = verify.counts(live)
        problems = [p for check in checks for p in check.result()] + differences
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
        pages=page_count if snapshot else 0,
        checks=PAGE_CHECKS if snapshot else ROW_CHECKS,
    )
