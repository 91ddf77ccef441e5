"""fascia-cli backup, backups and restore (with --server, a clinic's server practice:
pg_dump files on this computer, restored into an empty database)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from practice.store.backups.run import BackupOutcome


def add_commands(commands: Any) -> None:
    commands.add_parser(
        "backup", help="write a verified copy of the practice to backups/ (a server's: pg_dump)"
    )
    commands.add_parser("backups", help="list the backups, newest first, and whether verified")
    restore = commands.add_parser(
        "restore",
        help="replace the practice with a backup (the current one is kept); with --server, "
        "restore a server backup into an empty database",
    )
    restore.add_argument("path", type=Path, metavar="PATH", help="the backup file to restore")


def _backup(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.cli.opening import server

    if server():
        return _backup_server(data_dir)
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
    _say_done(outcome)
    return 0


def _backup_server(data_dir: Path) -> int:
    from practice.cli.opening import open_practice
    from practice.store.backups.run import back_up

    db = open_practice(data_dir)
    try:
        outcome = back_up(db.data_dir, reason="manual", server=db)
    finally:
        db.close()
    _say_done(outcome)
    return 0


def _say_done(outcome: BackupOutcome) -> None:
    print(f"Backup written to {outcome.backup.path}, verified: {outcome.backup.contents}.")
    if outcome.second is not None:
        if outcome.second.path is not None:
            print(f"Second copy written to {outcome.second.path}.")
        else:
            print(f"fascia-cli: second copy not made: {outcome.second.error}", file=sys.stderr)


def _backups(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.cli.opening import server
    from practice.store.backups.catalog import backups_dir, list_backups
    from practice.store.backups.listing import all_backups, second_folder

    if server():
        from practice.store.server import local_folder

        url = server() or ""
        data_dir = local_folder(data_dir, url)
        found = list_backups(backups_dir(data_dir))
    else:
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
    second = "" if server() else second_folder(data_dir)
    if second:
        print(f"Second destination: {second}")
    return 0


def _restore(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.cli.opening import server

    if server():
        return _restore_server(server() or "", args.path)
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


def _restore_server(url: str, path: Path) -> int:
    from practice.store.backups.server_restore import restore_to_server

    restored = restore_to_server(url, path)
    counts = ", ".join(f"{n:,} {label}" for label, n in restored.counts.items())
    print(f"Restored {restored.source} into {restored.database}: {counts}.")
    print(restored.seals)
    if restored.missing_logins:
        print(
            "These logins are not on this server yet (create each with CREATE ROLE NAME LOGIN "
            f"IN ROLE fascia_owner / fascia_practitioner / fascia_front_desk): "
            f"{', '.join(restored.missing_logins)}."
        )
    return 0


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


COMMANDS = {"backup": _backup, "backups": _backups, "restore": _restore}
