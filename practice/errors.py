"""The few error types the core raises for the UI and CLI to show in plain words."""

from __future__ import annotations

from pathlib import Path


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


class ConflictError(FasciaError):
    """Someone else saved the record after this person opened it: their save was refused
    rather than overwrite it silently (`practice.store.versions`)."""


class LockedRecordError(FasciaError):
    """A signed or issued record that can no longer be changed."""


class DamagedDatabaseError(FasciaError):
    """The practice file exists but is not a usable Fascia database: empty, cut short, garbage
    or another program's file. It is left exactly as it is; `newest_backup` is the newest
    verified backup found (or None), which the message offers as the way out."""

    def __init__(self, path: Path, reason: str, newest_backup: Path | None = None) -> None:
        self.path = path
        self.reason = reason
        self.newest_backup = newest_backup
        way_out = (
            f" Restore the newest verified backup with: fascia-cli restore {newest_backup}"
            if newest_backup is not None
            else " No verified backup was found beside it."
        )
        super().__init__(f"The practice file {path} cannot be opened: {reason}.{way_out}")


class ServerGoneError(FasciaError):
    """A clinic's server stopped answering during a unit of work: none of it was saved
    (PostgreSQL keeps a transaction only once it has committed), so it can be tried again."""


class BackupError(FasciaError):
    """A backup could not be made or verified, or a file cannot be restored; nothing changed."""


class PassphraseNeededError(FasciaError):
    """The practice is encrypted and no passphrase (or recovery code) was given."""


class WrongPassphraseError(FasciaError):
    """The passphrase or recovery code does not unlock this practice; nothing changed."""


class KeyFileError(FasciaError):
    """The practice's key file is missing, damaged, or belongs to another practice."""
