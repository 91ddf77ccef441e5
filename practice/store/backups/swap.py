"""Putting a new practice file in place atomically, and keeping a damaged one aside.

A practice file is only ever replaced by `os.replace` of a complete, verified file written
beside it, so a kill at any moment leaves either the old file or the new one. Before the swap
the old file is *settled*: its WAL is checkpointed and it leaves WAL mode, so no -wal file of the
old database can be replayed onto the new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import datetime
from pathlib import Path

from practice.errors import BackupError
from practice.store.connection import connect, database_errors
from practice.store.private import fsync_dir, fsync_file, make_private_file

SIDE_FILES = ("-wal", "-shm", "-journal")
TEMP_PREFIX = ".fascia-"


def temp_beside(db_path: Path, purpose: str) -> Path:
    """The temporary name a replacement for `db_path` is written under (purpose: upgrade...)."""
    return db_path.with_name(f"{TEMP_PREFIX}{purpose}.tmp")


def sweep_temps(folder: Path) -> None:
    """Remove what a killed backup, restore or upgrade left: Fascia's own hidden `.….tmp`
    files (and their journals), nothing else of what a chosen folder may hold.

    Only called by the process that holds the practice folder, so nothing else is writing them.
    """
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            ours = path.name.startswith((TEMP_PREFIX, ".status.json."))
            if ours and ".tmp" in path.name and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()


def discard(path: Path) -> None:
    """Remove a temporary database and any journal, WAL or shm file beside it."""
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def settle(db_path: Path) -> None:
    """Fold the WAL into the file and leave WAL mode, so the file alone is the whole practice.

    Needs every other connection to the file closed: raises BackupError otherwise.
    """
    if not db_path.exists():
        return
    conn = connect(db_path, autocommit=True)
    try:
        conn.execute("PRAGMA busy_timeout=2000")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except database_errors() as error:
        raise BackupError(
            f"The practice file is still in use ({error}); close every other Fascia window "
            "and try again. Nothing was changed."
        ) from None
    finally:
        conn.close()
    if str(mode).lower() != "delete":
        raise BackupError("The practice file is still in use; nothing was changed.")
    with contextlib.suppress(FileNotFoundError):
        db_path.with_name(db_path.name + "-shm").unlink()


def swap_into_place(temp: Path, db_path: Path) -> None:
    """Replace `db_path` with the complete file `temp` in one atomic rename.

    The old file must be settled (or set aside) first: its -wal, -shm and -journal files are
    removed here so that none of them is applied to the new file.
    """
    make_private_file(temp)
    fsync_file(temp)
    for suffix in SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + suffix).unlink()
    os.replace(temp, db_path)
    fsync_dir(db_path.parent)


def set_aside(db_path: Path) -> Path:
    """Keep a damaged practice file (and its side files) under a dated name; never delete it.

    The file stays in place too (a hard link, or a copy where links are not possible), so a
    kill before the restored file replaces it leaves the damaged file where it was.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{counter}")
    for suffix in ("", *SIDE_FILES):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            _keep(source, aside.with_name(aside.name + suffix))
    fsync_dir(db_path.parent)
    return aside


def _keep(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        fsync_file(target)
    make_private_file(target)
