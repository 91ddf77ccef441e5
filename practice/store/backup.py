"""Consistent copies of the live database, taken with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

BACKUP_DIRNAME = "backups"


def backup_file(db_path: Path, *, reason: str = "manual", dest_dir: Path | None = None) -> Path:
    """Copy db_path (WAL included) to <data dir>/backups/ and return the copy's path."""
    dest_dir = dest_dir or db_path.parent / BACKUP_DIRNAME
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = dest_dir / f"{db_path.stem}-{stamp}-{reason}.db"
    counter = 1
    while dest.exists():
        counter += 1
        dest = dest_dir / f"{db_path.stem}-{stamp}-{reason}-{counter}.db"
    source = sqlite3.connect(db_path)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return dest
