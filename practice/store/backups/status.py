"""The record of how backing up has gone, kept in `backups/status.json` beside the backups.

Kept outside the database on purpose: writing it is not a change to the practice (which would
call for another backup), a restore does not roll it back, and it can still be read when the
practice file itself is damaged (it names the second destination last used, where more backups
may be found).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from practice.store.private import make_private_dir, write_private_bytes

STATUS_FILENAME = "status.json"
SECOND_COPY_OVERDUE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class BackupStatus:
    last_backup_at: datetime | None = None
    last_backup: str = ""  # file name of the newest verified backup
    failed_at: datetime | None = None
    failure: str = ""  # the last failure, in plain words
    second_folder: str = ""  # the second destination last used
    second_reached_at: datetime | None = None
    second_failed_at: datetime | None = None
    second_failure: str = ""
    changes_since: datetime | None = None  # changes not yet in a backup, since then

    @property
    def last_failed(self) -> bool:
        """The most recent attempt failed (a later success clears it)."""
        return self.failed_at is not None and (
            self.last_backup_at is None or self.failed_at > self.last_backup_at
        )

    def second_overdue(self, folder: str, since: datetime | None, now: datetime) -> bool:
        """The second destination `folder` (chosen at `since`) not reached for 7 days."""
        if not folder:
            return False
        reached = self.second_reached_at if self.second_folder == folder else None
        start = max((m for m in (reached, since) if m is not None), default=None)
        return start is None or now - start > SECOND_COPY_OVERDUE


def read_status(folder: Path) -> BackupStatus:
    try:
        data = json.loads((folder / STATUS_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BackupStatus()
    if not isinstance(data, dict):
        return BackupStatus()
    values: dict[str, Any] = {}
    for name, default in asdict(BackupStatus()).items():
        value = data.get(name, default)
        if default is None or name.endswith("_at") or name == "changes_since":
            value = _moment(value)
        elif not isinstance(value, str):
            value = default
        values[name] = value
    return BackupStatus(**values)


def update_status(folder: Path, **changes: Any) -> BackupStatus:
    """Change some fields and write the file (durably, under a temporary name first)."""
    status = replace(read_status(folder), **changes)
    make_private_dir(folder)
    record = {
        k: v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v
        for k, v in asdict(status).items()
    }
    write_private_bytes(folder / STATUS_FILENAME, json.dumps(record, indent=2).encode())
    return status


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
