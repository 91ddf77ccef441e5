"""The few error types the core raises for the UI and CLI to show in plain words."""

from __future__ import annotations


class FasciaError(Exception):
    """Base for every error Fascia reports to a person rather than a traceback."""


class ValidationError(FasciaError):
    """Input that cannot be saved. `errors` maps field name to a plain-language message."""

    def __init__(self, errors: dict[str, str] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(self.errors.values()))

    @property
    def field(self) -> str:
        return next(iter(self.errors), "")


class NotFoundError(FasciaError):
    """A record that was asked for by id does not exist."""


class DatabaseLockedError(FasciaError):
    """Another Fascia window already has this data folder open."""


class NewerDatabaseError(FasciaError):
    """The database was written by a newer Fascia than this one."""


class LockedRecordError(FasciaError):
    """A signed or issued record that can no longer be changed."""
