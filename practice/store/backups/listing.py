"""Every backup of a practice: the backups folder and the second destination, newest first."""

from __future__ import annotations

from pathlib import Path

from practice.paths import DB_FILENAME
from practice.store.backups.catalog import BackupInfo, backups_dir, list_backups
from practice.store.backups.settings import read_settings
from practice.store.backups.status import read_status
from practice.store.health import NotAPractice, read_revision


def second_folder(data_dir: Path) -> str:
    """The second destination chosen in the practice's settings.

    When the practice file cannot be read (damaged), the one the last backup went to, from
    the status file: that is where the way back may be.
    """
    db_path = data_dir / DB_FILENAME
    try:
        readable = read_revision(db_path) is not None
    except NotAPractice:
        readable = False
    if readable:
        return read_settings(db_path).second_folder
    return read_status(backups_dir(data_dir)).second_folder


def all_backups(data_dir: Path) -> list[BackupInfo]:
    """The practice's backups on this computer and in the second destination, newest first."""
    found = list_backups(backups_dir(data_dir))
    second = second_folder(data_dir)
    if second:
        found += list_backups(Path(second), second_copy=True)
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def newest_verified(data_dir: Path) -> BackupInfo | None:
    return next((b for b in all_backups(data_dir) if b.verified), None)
