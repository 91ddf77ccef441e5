"""Optimistic concurrency: two people editing one record never overwrite each other silently.

A record a person edits (a client's details, a draft note, a plan, a draft invoice) has a
`version` that grows with every save (signing a note and changing a plan's status count too).
Its read model carries the version that was on screen; the save passes it back as
`expected_version`, and a save made from an older version than the stored one is refused with a
`ConflictError` that says so, changing nothing. The check runs in the write transaction, after
its lock (BEGIN IMMEDIATE on a file, the write lock on a server), so no save slips in between
the check and the write. The same on both engines: two Database objects on one practice file
conflict like two clinic computers on one server. A note's autosave and a client's new intake
are checked the same way (`check`), without a version of their own.
"""

from __future__ import annotations

from typing import Any

from practice.errors import ConflictError


def claim(row: Any, expected_version: int | None, what: str) -> None:
    """Refuse a save made from an older version of `row` than the stored one; else count it.
    (`expected_version` None: the caller did not start from a screen, as in the CLI.)"""
    check(row.version, expected_version, what)
    bump(row)


def check(stored: int, expected: int | None, what: str) -> None:
    """Refuse a write made from `expected` when `stored` is what the record is at now.
    (The version of a record that is never edited in place, such as a client's intakes, is
    the id of its newest row.)"""
    if expected is not None and stored != expected:
        raise ConflictError(
            f"Someone else saved {what} after you opened it, so your changes were not saved "
            "(nothing was overwritten). Reopen it to see theirs, then make yours again."
        )


def bump(row: Any) -> None:
    """One more saved version of `row` (every write to a versioned record counts)."""
    row.version = (row.version or 0) + 1
