"""Creating and upgrading a practice file on a copy, swapped in only once it is verified.

Migrations on SQLite are not all transactional (a batch table rebuild commits as it goes), so
a kill in the middle of one run on the practice file itself could leave it half upgraded
("table body_chart already exists"). Here the migrations run on a copy beside the file; the
copy is checked (integrity, foreign keys, schema at head) and replaces the file in one atomic
rename. A kill at any moment leaves the old practice or the new one, and both open.
"""

from __future__ import annotations

from pathlib import Path

from practice.errors import BackupError
from practice.store import schema
from practice.store.backups import verify
from practice.store.backups.copy import copy_verified
from practice.store.backups.run import back_up
from practice.store.backups.swap import discard, settle, swap_into_place, temp_beside
from practice.store.health import NotAPractice, read_revision
from practice.store.private import create_private_file


def create_practice(db_path: Path) -> None:
    """A new, empty practice at the current schema (there was no file at all)."""
    temp = temp_beside(db_path, "new")
    discard(temp)
    create_private_file(temp)
    _migrate_and_swap(temp, db_path)


def upgrade_practice(db_path: Path) -> Path:
    """Upgrade to the current schema; returns the verified backup made first."""
    settle(db_path)
    backup = back_up(db_path.parent, reason=f"before-upgrade-to-{schema.head_revision()}")
    temp = temp_beside(db_path, "upgrade")
    discard(temp)
    copy_verified(db_path, temp)
    _migrate_and_swap(temp, db_path)
    return backup.backup.path


def _migrate_and_swap(temp: Path, db_path: Path) -> None:
    try:
        schema.upgrade(temp)
        _check_upgraded(temp)
        swap_into_place(temp, db_path)
    except BaseException:
        discard(temp)
        raise


def _check_upgraded(temp: Path) -> None:
    check_at_head(temp, verify.sqlite_checks(temp), "The upgraded copy")


def check_at_head(temp: Path, problems: list[str], what: str) -> None:
    """Raise BackupError when `problems` were found in the file written aside, or its schema is
    not this Fascia's: `what` ("The upgraded copy") failed its check."""
    problems = list(problems)
    try:
        revision = read_revision(temp)
    except NotAPractice as problem:
        problems.append(problem.reason)
        revision = None
    if revision != schema.head_revision():
        problems.append(f"its schema is {revision}, not {schema.head_revision()}")
    if problems:
        raise BackupError(
            f"{what} failed its check (" + "; ".join(problems[:3]) + "). "
            "The practice file was not changed."
        )
