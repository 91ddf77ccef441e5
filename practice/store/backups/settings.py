"""Backup settings: the second destination and how often to back up while the practice is open.

Stored in the practice database (one row), not in QSettings: they belong to the practice, not
to the computer's user account. So `fascia-cli backup` sends its copies to the same second
destination the app does, the demo practice never sends made-up records to the therapist's USB
drive, and moving the practice folder to another computer keeps them. The read side uses the
sqlite3 module only, so listing and backing up never need SQLAlchemy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.errors import ValidationError
from practice.paths import expand_home
from practice.store.connection import connect, database_errors

if TYPE_CHECKING:
    from practice.store.database import Database

EVERY_MINUTES = (5, 240)
DEFAULT_EVERY_MINUTES = 30
PATH_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class BackupSettings:
    second_folder: str = ""
    second_folder_since: datetime | None = None
    every_minutes: int = DEFAULT_EVERY_MINUTES


def read_settings(db_path: Path) -> BackupSettings:
    """The settings stored in the practice file (defaults when there are none yet)."""
    if not db_path.exists():
        return BackupSettings()
    conn = connect(db_path)
    try:
        row = conn.execute(
            "SELECT second_folder, second_folder_since, every_minutes FROM backup_settings "
            "ORDER BY id LIMIT 1"
        ).fetchone()
    except database_errors():  # an older schema (before 0011), or no practice yet
        row = None
    finally:
        conn.close()
    if row is None:
        return BackupSettings()
    since = _utc(row[1])
    every = row[2] if isinstance(row[2], int) else DEFAULT_EVERY_MINUTES
    return BackupSettings(row[0] or "", since, every)


def get_backup_settings(db: Database) -> BackupSettings:
    """The open practice's settings (on a server, the practice's row there: the schedule
    belongs to the practice, whichever computer backs it up)."""
    if not db.on_server:
        return read_settings(db.path)
    from sqlalchemy import select

    from practice.store.backups.models import BackupSettingsRow

    with db.read() as session:
        row = session.scalar(select(BackupSettingsRow).order_by(BackupSettingsRow.id).limit(1))
        if row is None:
            return BackupSettings()
        return BackupSettings(row.second_folder or "", row.second_folder_since, row.every_minutes)


def save_backup_settings(db: Database, second_folder: str, every_minutes: int) -> BackupSettings:
    """Validate and store the settings; the change is in the audit trail."""
    from sqlalchemy import select

    from practice.store import audit
    from practice.store.backups.models import BackupSettingsRow

    folder = _valid_folder(db.data_dir, second_folder)
    every = _valid_every(every_minutes)
    with db.transaction() as session:
        row = session.scalar(select(BackupSettingsRow).order_by(BackupSettingsRow.id).limit(1))
        old = _fields(row) if row else {}
        if row is None:
            row = BackupSettingsRow(second_folder="", every_minutes=DEFAULT_EVERY_MINUTES)
            session.add(row)
        if folder != row.second_folder:
            row.second_folder_since = datetime.now(UTC) if folder else None
        row.second_folder = folder
        row.every_minutes = every
        session.flush()
        new = _fields(row)
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="backup_settings",
            entity_id=row.id,
            summary="Backup settings saved",
            changes=audit.diff(old, new),
        )
        return BackupSettings(folder, row.second_folder_since, every)


def _fields(row: Any) -> dict[str, object]:
    return {"second_folder": row.second_folder, "every_minutes": row.every_minutes}


def _valid_every(value: object) -> int:
    low, high = EVERY_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({"every_minutes": f"Back up every {low} to {high} minutes."})
    return value


def _valid_folder(data_dir: Path, text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError({"second_folder": "Choose a folder."})
    text = text.strip()
    if not text:
        return ""
    if len(text) > PATH_LIMIT or "\x00" in text:
        raise ValidationError({"second_folder": "That is not a folder path."})
    folder = expand_home(text)
    if not folder.is_absolute():
        raise ValidationError({"second_folder": "Give the folder's full path."})
    if not folder.is_dir():
        raise ValidationError(
            {"second_folder": "That folder is not there. Is the drive plugged in?"}
        )
    if not os.access(folder, os.W_OK):
        raise ValidationError({"second_folder": "Fascia cannot write to that folder."})
    resolved, practice = folder.resolve(), data_dir.resolve()
    if resolved == practice or practice in resolved.parents:
        raise ValidationError(
            {"second_folder": "That folder is inside the practice folder; choose one on a USB "
             "drive or a synced folder, so a second copy survives losing this one."}
        )  # fmt: skip
    return str(folder)


def _utc(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
