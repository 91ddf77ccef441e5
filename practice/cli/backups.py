"""fascia-cli backup, backups and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_commands(commands: Any) -> None:
    commands.add_parser("backup", help="write a verified copy of the practice to backups/")
    commands.add_parser("backups", help="list the backups, newest first, and whether verified")
    restore = commands.add_parser(
        "restore", help="replace the practice with a backup (the current one is kept)"
    )
    restore.add_argument("path", type=Path, metavar="PATH", help="the backup file to restore")


def _backup(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.errors import ValidationError
    from practice.paths import DB_FILENAME
    from practice.store import schema
    from practice.store.backups.run import back_up
    from practice.store.folder import claim_folder

    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    lock = claim_folder(data_dir)  # the sqlite3 module only: no SQLAlchemy to load
    try:
        schema.prepare(data_dir / DB_FILENAME)
        outcome = back_up(data_dir, reason="manual")
    finally:
        lock.release()
    print(f"Backup written to {outcome.backup.path}, verified: {outcome.backup.contents}.")
    if outcome.second is not None:
        if outcome.second.path is not None:
            print(f"Second copy written to {outcome.second.path}.")
        else:
            print(f"fascia-cli: second copy not made: {outcome.second.error}", file=sys.stderr)
    return 0


def _backups(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.store.backups.catalog import backups_dir
    from practice.store.backups.listing import all_backups, second_folder

    found = all_backups(data_dir)
    if not found:
        print(f"No backups of {data_dir} yet (they go to {backups_dir(data_dir)}).")
        return 0
    print(f"{'made':<16}  {'reason':<24} {'size':>9}  {'contents':<44} {'status':<13} file")
    for backup in found:
        status = "verified" if backup.verified else "NOT VERIFIED"
        print(
            f"{backup.made_at.astimezone():%Y-%m-%d %H:%M}  {backup.reason[:24]:<24} "
            f"{_size(backup.size):>9}  {backup.contents:<44} {status:<13} {backup.path}"
        )
    second = second_folder(data_dir)
    if second:
        print(f"Second destination: {second}")
    return 0


def _restore(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.store.backups.catalog import describe
    from practice.store.backups.restore import restore_backup
    from practice.store.folder import claim_folder

    lock = claim_folder(data_dir)
    try:
        restored = restore_backup(data_dir, args.path)
    finally:
        lock.release()
    listed = describe(args.path)
    what = f" ({listed.made_at.astimezone():%Y-%m-%d %H:%M}: {listed.contents})" if listed else ""
    print(f"Restored {restored.source}{what}.")
    if restored.kept is not None:
        how = "set aside as" if restored.damaged else "kept in"
        print(f"The practice as it was is {how} {restored.kept}.")
    return 0


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


COMMANDS = {"backup": _backup, "backups": _backups, "restore": _restore}
