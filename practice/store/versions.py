"""Optimistic concurrency: two people editing one record never overwrite each other silently.

A record a person edits (a client's details, a draft note, a plan, a draft invoice) has a
`version` that grows with every save. Its read model carries the version that was on screen;
the save passes it back as `expected_version`, and a save made from an older version than the
stored one is refused with a `ConflictError` that says so, changing nothing. The check runs in
the write transaction, after its lock (BEGIN IMMEDIATE on a file, the write lock on a server),
so no save slips in between the check and the write. The same on both engines: two Database
objects on one practice file conflict like two clinic computers on one server.
"""

from __future__ import annotations

from typing import Any

from practice.errors import ConflictError


def claim(row: Any, expected_version: int | None, what: str) -> None:
    """Refuse a save made from an older version of `row` than the stored one; else count it.
    (`expected_version` None: the caller did not start from a screen, as in the CLI.)"""
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"Someone else saved {what} after you opened it, so your changes were not saved "
            "(nothing was overwritten). Reopen it to see theirs, then make yours again."
        )
    bump(row)


def bump(row: Any) -> None:
    """One more saved version of `row` (every write to a versioned record counts)."""
    row.version = (row.version or 0) + 1
