"""Opening the practice a feature command works on: one that exists, never a new one."""

from __future__ import annotations

from pathlib import Path

from practice.errors import ValidationError
from practice.paths import DB_FILENAME
from practice.store.database import Database


def open_practice(data_dir: Path) -> Database:
    """The practice database, refused (never created) when the folder has none."""
    from practice.store import open_database

    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    return open_database(data_dir)
