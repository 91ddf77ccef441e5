"""Making a backup: a verified copy in `backups/`, the same copy in the second destination,
old ones thinned, and the outcome recorded.

`back_up` is what every caller uses: File > Back up now, the automatic backups, `fascia-cli
backup`, and `before_risky_step`, which an upgrade, a restore, an import or a passphrase change
calls first and which raises rather than let the step go ahead without a good copy.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from practice.errors import BackupError
from practice.paths import DB_FILENAME
from practice.progress import Cancelled, Progress
from practice.store.backups import catalog, retention
from practice.store.backups.catalog import BackupInfo, backups_dir
from practice.store.backups.copy import copy_verified
from practice.store.backups.settings import BackupSettings, get_backup_settings, read_settings
from practice.store.backups.status import update_status
from practice.store.backups.swap import sweep_temps
from practice.store.backups.verify import file_sha256
from practice.store.private import copy_private_file, fsync_dir, make_private_dir

if TYPE_CHECKING:
    from practice.store.database import Database

REASON = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ONE_AT_A_TIME = threading.Lock()  # a folder belongs to one process (its lock file)


@dataclass(frozen=True, slots=True)
class SecondCopy:
    """How the copy to the second destination went."""

    folder: str
    path: Path | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    backup: BackupInfo
    second: SecondCopy | None = None
    removed: list[Path] = field(default_factory=list)


def back_up(
    data_dir: Path,
    *,
    reason: str,
    progress: Progress | None = None,
    server: Database | None = None,
) -> BackupOutcome:
    """Make a verified backup of the practice in `data_dir`; with `server` (an open server
    practice, `data_dir` its local folder), a verified dump of that practice (`dump.py`).

    Raises BackupError (recorded in the status, so the app can warn) when the copy cannot be
    made or fails its check; the practice is never changed by a backup.
    """
    if not REASON.match(reason):
        raise ValueError(f"not a backup reason: {reason!r}")
    with _ONE_AT_A_TIME:
        folder = backups_dir(data_dir)
        try:
            backup = _main_copy(data_dir, folder, reason, progress, server)
        except Cancelled:
            raise
        except BackupError as error:
            update_status(folder, failed_at=datetime.now(UTC), failure=str(error))
            raise
        except OSError as error:
            message = f"The backup could not be written in {folder}: {error.strerror or error}."
            with contextlib.suppress(OSError):
                update_status(folder, failed_at=datetime.now(UTC), failure=message)
            raise BackupError(message) from None
        settings = get_backup_settings(server) if server else read_settings(data_dir / DB_FILENAME)
        second = _second_copy(settings, backup, progress)
        now = datetime.now(UTC)
        removed = retention.thin(folder, now)
        if second is not None and second.path is not None:
            removed += retention.thin(Path(second.folder), now)
        _record(folder, backup, second, now)
        return BackupOutcome(backup, second, removed)


def before_risky_step(data_dir: Path, step: str, progress: Progress | None = None) -> BackupInfo:
    """The verified backup to make before an upgrade, restore, import or passphrase change.

    `step` names it in the file name ("import" gives "…-before-import.db"). Raises
    BackupError when no good copy could be made: the step must not go ahead then.
    """
    return back_up(data_dir, reason=f"before-{step}", progress=progress).backup


def _main_copy(
    data_dir: Path, folder: Path, reason: str, progress: Progress | None, server: Database | None
) -> BackupInfo:
    make_private_dir(folder)
    sweep_temps(folder)
    made_at = datetime.now(UTC)
    name = catalog.new_name(folder, reason, made_at, ".dump" if server else ".db")
    temp = folder / catalog.temp_name(name)
    if server is not None and server.server_url is not None:
        from practice.store.backups.dump import dump_verified

        facts = dump_verified(server.server_url, temp, progress)
    else:
        facts = copy_verified(data_dir / DB_FILENAME, temp, progress)
    final = folder / name
    # The sidecar first: a backup under its final name always has its record of verification.
    catalog.write_sidecar(final, catalog.sidecar_data(facts, name=name, reason=reason,
                                                      made_at=made_at))  # fmt: skip
    os.replace(temp, final)
    fsync_dir(folder)
    return BackupInfo(
        path=final,
        made_at=made_at,
        size=facts.size,
        reason=reason,
        verified=True,
        schema=facts.schema,
        counts=facts.counts,
        sha256=facts.sha256,
    )


def _second_copy(
    settings: BackupSettings, backup: BackupInfo, progress: Progress | None
) -> SecondCopy | None:
    chosen = settings.second_folder
    if not chosen:
        return None
    folder = Path(chosen)
    if not folder.is_dir():
        return SecondCopy(chosen, error=f"{chosen} is not there (is the drive plugged in?)")
    if progress is not None:
        progress.report(3, 4, f"Copying to {chosen}…")
    temp = folder / catalog.temp_name(backup.path.name)
    try:
        sweep_temps(folder)
        copy_private_file(backup.path, temp)
        if file_sha256(temp) != backup.sha256:
            raise OSError(0, "the copy differs from the verified backup")
        final = folder / backup.path.name
        catalog.write_sidecar(final, catalog.sidecar_of(backup.path).read_bytes())
        os.replace(temp, final)
        fsync_dir(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        return SecondCopy(chosen, error=f"{chosen}: {error.strerror or error}")
    return SecondCopy(chosen, path=final)


def _record(folder: Path, backup: BackupInfo, second: SecondCopy | None, now: datetime) -> None:
    changes: dict[str, object] = {"last_backup_at": backup.made_at, "last_backup": backup.path.name}
    if second is not None:
        changes["second_folder"] = second.folder
        if second.path is not None:
            changes.update(second_reached_at=now, second_failure="", second_failed_at=None)
        else:
            changes.update(second_failed_at=now, second_failure=second.error)
    update_status(folder, **changes)
