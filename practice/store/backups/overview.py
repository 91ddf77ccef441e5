"""How backing up stands, in one read: the newest backup, the last failure, the second copy.

What the status bar says ("Backed up 14:02, verified") and whether the app shows a warning:
the last backup failed its check, or the second destination has not been reached for 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from practice.paths import DB_FILENAME
from practice.store.backups.catalog import BackupInfo, backups_dir, list_backups
from practice.store.backups.settings import BackupSettings, read_settings
from practice.store.backups.status import BackupStatus, read_status


@dataclass(frozen=True, slots=True)
class BackupWarning:
    kind: str  # "failed" or "second_overdue"
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class BackupOverview:
    newest: BackupInfo | None  # the newest verified backup on this computer
    status: BackupStatus
    settings: BackupSettings

    def warning(self, now: datetime) -> BackupWarning | None:
        status = self.status
        if status.last_failed:
            return BackupWarning(
                "failed",
                "The last backup failed its check",
                f"{status.failure} The practice file was not changed and the earlier backups "
                "are kept. Fascia tries again later; you can also back up now.",
            )
        folder = self.settings.second_folder
        if status.second_overdue(folder, self.settings.second_folder_since, now):
            reached = status.second_reached_at if status.second_folder == folder else None
            when = f"since {reached.astimezone():%d %b %Y}" if reached else "yet"
            why = f" Last attempt: {status.second_failure}" if status.second_failure else ""
            return BackupWarning(
                "second_overdue",
                f"No backup has reached {folder} {when}",
                "Connect that drive (or the synced folder), then back up now, so a copy of the "
                f"practice exists away from this computer.{why}",
            )
        return None


def backup_overview(data_dir: Path, settings: BackupSettings | None = None) -> BackupOverview:
    """How backing up the practice in `data_dir` stands (`settings`: a server practice's,
    which are not in a file there)."""
    newest = next((b for b in list_backups(backups_dir(data_dir)) if b.verified), None)
    settings = settings or read_settings(data_dir / DB_FILENAME)
    return BackupOverview(newest, read_status(backups_dir(data_dir)), settings)
