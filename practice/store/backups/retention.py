"""Which backups to keep: thinned the way Anki thins its own (12 daily, 10 weekly, 9 monthly).

Walking from the newest: everything from today and yesterday is kept; then the newest backup
of each earlier day until 12 days are kept, then the newest of each earlier week (weeks start
on Monday) until 10, then the newest of each earlier month until 9; the rest go. On top of
Anki's rule the 3 newest safety copies (made before an upgrade, a restore, an import ...) stay
whatever their age, so the way back from a risky step is never thinned away first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from practice.store.backups.catalog import NAME, BackupInfo, list_backups, sidecar_of

SAFETY_PREFIX = "before-"


@dataclass(frozen=True, slots=True)
class Limits:
    daily: int = 12
    weekly: int = 10
    monthly: int = 9
    safety: int = 3


def obsolete(backups: Iterable[BackupInfo], today: date, limits: Limits = Limits()) -> list[Path]:
    """The backups the thinning rule removes (paths), given the local date today."""
    ordered = sorted(backups, key=lambda b: b.made_at, reverse=True)
    safety = [b.path for b in ordered if b.reason.startswith(SAFETY_PREFIX)][: limits.safety]
    left = {"daily": limits.daily, "weekly": limits.weekly, "monthly": limits.monthly}
    last: tuple[int, int, int] | None = None  # day, week, month of the last kept backup
    removed = []
    yesterday = today - timedelta(days=1)
    for backup in ordered:
        local = _local_day(backup.made_at)
        marks = (local.toordinal(), (local.toordinal() - 1) // 7, local.year * 12 + local.month)
        stage = _stage(local, yesterday, left)
        if stage is None:
            keep = local >= yesterday
        else:
            keep = last is None or marks[_STAGE_INDEX[stage]] < last[_STAGE_INDEX[stage]]
            if keep:
                left[stage] -= 1
        if keep:
            last = marks
        elif backup.path not in safety:
            removed.append(backup.path)
    return removed


_STAGE_INDEX = {"daily": 0, "weekly": 1, "monthly": 2}


def _stage(local: date, yesterday: date, left: dict[str, int]) -> str | None:
    """Which allowance a backup of day `local` draws on; None: recent, or nothing left."""
    if local >= yesterday:
        return None
    return next((stage for stage in ("daily", "weekly", "monthly") if left[stage] > 0), None)


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def thin(folder: Path, now: datetime, limits: Limits = Limits()) -> list[Path]:
    """Delete the backups in `folder` the rule no longer keeps (with their sidecars)."""
    removed = obsolete(list_backups(folder), now.astimezone().date(), limits)
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            sidecar_of(path).unlink()
    _remove_orphan_sidecars(folder)
    return removed


def _remove_orphan_sidecars(folder: Path) -> None:
    """A sidecar whose backup is gone (a kill between removing the two) goes too."""
    with contextlib.suppress(OSError):
        for path in folder.glob("fascia-*.json"):
            backup = path.with_name(path.name[: -len(".json")])
            if NAME.match(backup.name) and not backup.exists():
                with contextlib.suppress(OSError):
                    path.unlink()
