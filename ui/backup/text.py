"""How backups are described on screen: when, why, how big, what they hold."""

from __future__ import annotations

from datetime import datetime

from practice.store.backups.catalog import BackupInfo
from ui.widgets import dates

REASONS = {
    "close": "When Fascia closed",
    "auto": "Automatic",
    "manual": "Back up now",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "before-passphrase-change": "Before a passphrase change",
}


def reason_text(reason: str) -> str:
    if reason in REASONS:
        return REASONS[reason]
    if reason.startswith("before-upgrade"):
        return "Before an upgrade"
    if reason.startswith("before-"):
        return "Before " + reason.removeprefix("before-").replace("-", " ")
    return reason.replace("-", " ").capitalize()


def when_text(moment: datetime, now: datetime | None = None) -> str:
    """'14:02' today, else the day and the time ('Dec 3, 2026 18:30')."""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    clock = dates.clock(local)
    return clock if local.date() == today else f"{dates.day(local)} {clock}"


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def status_text(newest: BackupInfo | None, *, failed: bool = False) -> str:
    """The status bar's note: 'Backed up 14:02, verified'."""
    if newest is None:
        return "Backup failed" if failed else "Not backed up yet"
    text = f"Backed up {when_text(newest.made_at)}, verified"
    return f"{text}; the last attempt failed" if failed else text
