"""A copy compared with the live practice file byte for byte, in one read of each.

SQLite's backup API copies pages verbatim, so a good copy holds, byte for byte, the pages of the
snapshot it was copied from. When that snapshot is the database file itself (its write-ahead
log held no frames when the read transaction began), the file cannot change while the
transaction lasts: a checkpoint must wait for a reader of the bare file before it writes there,
and writers only ever append to the log. The copy is then compared with the live file page by
page, with plain reads (no row is decoded, no Python object made per row), and hashed on the
way. Equal pages mean equal tables *and* indexes, schema and free list: the copy is the very
database SQLite serves, which a row-by-row comparison (it reads no index) cannot say.

`settle` empties the log first (a TRUNCATE checkpoint), so this is the usual case; when a save
lands in the log before the snapshot (or the practice is encrypted, each page under a fresh
IV), the caller compares row by row instead.

Six fields of the file header are rewritten by the copy and are not compared: the file format
versions (bytes 18-19: 2 in WAL mode, 1 once the copy goes back to a rollback journal), the
change counter and its version-valid-for twin (24-27, 92-95), the page count (28-31, which the
copy sets whatever the original's said; the file sizes are compared instead), the schema cookie
(40-43, which the backup API bumps so that other connections to the copy reload its schema) and
the version of SQLite that wrote the file last (96-99: this one, for the copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from practice.store.connection import database_errors

CHUNK = 1 << 20  # bytes read at a time; a multiple of every page size SQLite allows
HEADER = 100  # the file header, at the start of page 1
REWRITTEN = frozenset((18, 19, *range(24, 32), *range(40, 44), *range(92, 100)))
SHOWN_PAGES = 5
SETTLE_WAIT_MS = 1000


def settle(live: Any) -> None:
    """Move the write-ahead log into the database file and empty it, when nobody is in the way
    (a TRUNCATE checkpoint, before the copy's read transaction). Busy is fine: the copy is then
    compared row by row."""
    (waited,) = live.execute("PRAGMA busy_timeout").fetchone()
    live.execute(f"PRAGMA busy_timeout = {SETTLE_WAIT_MS}")  # a long save: compare rows instead
    try:
        with contextlib.suppress(*database_errors()):
            live.execute("PRAGMA main.wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        live.execute(f"PRAGMA busy_timeout = {int(waited)}")


def file_is_snapshot(live: Any, source: Path) -> bool:
    """Whether the read transaction open on `live` (already past its first read) sees the
    database file itself: a plain practice whose log is empty now, so was at the snapshot.

    A log that had frames at the snapshot cannot have been emptied since: truncating it waits
    for every reader of the log, this one included."""
    if not isinstance(live, sqlite3.Connection):
        return False  # SQLCipher: the file's pages are encrypted, each under a fresh IV
    log = source.with_name(source.name + "-wal")
    try:
        return log.stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def compare_files(live: Path, copy: Path, size: int, page_size: int) -> tuple[list[str], str]:
    """What differs between the first `size` bytes of the live file and the copy (none: []),
    and the copy's SHA-256."""
    digest = hashlib.sha256()
    differing: list[int] = []
    offset = 0
    with live.open("rb", buffering=0) as theirs, copy.open("rb", buffering=0) as ours:
        while chunk := ours.read(CHUNK):
            digest.update(chunk)
            original = theirs.read(min(CHUNK, max(0, size - offset)))
            if original != chunk:
                differing += _pages_differing(original, chunk, offset, page_size)
            offset += len(chunk)
    problems = []
    if offset != size:
        problems.append(f"the copy holds {offset:,} bytes, the practice {size:,}")
    if differing:
        shown = ", ".join(str(p) for p in differing[:SHOWN_PAGES])
        extra = len(differing) - SHOWN_PAGES
        more = f" and {extra:,} more" if extra > 0 else ""
        noun, verb = ("pages", "differ") if len(differing) > 1 else ("page", "differs")
        problems.append(f"{noun} {shown}{more} of the copy {verb} from the practice's")
    return problems, digest.hexdigest()


def _pages_differing(original: bytes, chunk: bytes, offset: int, page_size: int) -> list[int]:
    """The numbers (from 1) of the pages in `chunk` that differ, the header's own fields aside."""
    found = []
    for start in range(0, len(chunk), page_size):
        theirs = original[start : start + page_size]
        ours = chunk[start : start + page_size]
        if ours == theirs or (offset + start == 0 and _same_first_page(theirs, ours)):
            continue
        found.append((offset + start) // page_size + 1)
    return found


def _same_first_page(live: bytes, copy: bytes) -> bool:
    if len(live) != len(copy) or live[HEADER:] != copy[HEADER:]:
        return False
    return all(a == b for i, (a, b) in enumerate(zip(live[:HEADER], copy[:HEADER], strict=True))
               if i not in REWRITTEN)  # fmt: skip
