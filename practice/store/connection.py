"""The one way to open SQLite on a practice file: live database, backups and temporary copies.

Every connection to a file that holds practice data is opened by `connect` (or joined to one by
`attach`), so that when the practice is encrypted (SQLCipher) the key is applied in this one
place: the engine, the startup reads, Alembic, the backup and restore copies and their checks
all come through here.

An unlocked practice's key is registered for its folder (`use_key`); files in that folder
and below (the backups) are then opened with SQLCipher and the raw key, unless the file is
plain SQLite already (its header says so), as a practice half-way through conversion is. A
plain practice never loads SQLCipher at all.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from practice.errors import PassphraseNeededError

PLAIN_HEADER = b"SQLite format 3\x00"
_keys: dict[Path, bytes] = {}
_locked: set[Path] = set()  # folders whose key was forgotten by locking


def use_key(folder: Path, key: bytes) -> None:
    """Open the files of the practice in `folder` (and its backups) with `key` from now on."""
    _keys[folder.resolve()] = bytes(key)
    _locked.discard(folder.resolve())


def forget_key(folder: Path) -> None:
    """Lock: the key is dropped, and opening the practice's files is refused until unlocked."""
    _keys.pop(folder.resolve(), None)
    _locked.add(folder.resolve())


def forget_all() -> None:
    _keys.clear()
    _locked.clear()


def _is_locked(path: Path) -> bool:
    resolved = path.resolve()
    return any(folder in _locked for folder in (resolved, *resolved.parents))


def key_for(path: Path) -> bytes | None:
    """The key the file at `path` is opened with; None for a plain file or folder."""
    if not _keys:
        return None
    resolved = path.resolve()
    for folder in (resolved, *resolved.parents):
        if folder in _keys:
            return None if is_plain_file(path) else _keys[folder]
    if len(_keys) == 1 and path.exists() and not is_plain_file(path):
        return next(iter(_keys.values()))  # a backup in the second destination
    return None


def is_plain_file(path: Path) -> bool:
    """Whether the file is readable SQLite without a key (an encrypted one has no header)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def cipher_module() -> ModuleType:
    from sqlcipher3 import dbapi2

    global _cipher_quiet
    if not _cipher_quiet:
        # SQLCipher logs a wrong key to stderr itself; Fascia says it in its own words.
        quiet = dbapi2.connect(":memory:")
        quiet.execute("PRAGMA cipher_log_level = NONE")
        quiet.close()
        _cipher_quiet = True
    return dbapi2


_cipher_quiet = False


def key_literal(key: bytes) -> str:
    """SQLCipher's raw key with its salt: `x'<key><salt>'`, no key derivation.

    The salt is derived from the key, so every file of a practice (the live one, a backup
    being written, a file attached before it has pages) is keyed identically.
    """
    salt = hmac.new(key, b"Fascia SQLCipher salt", hashlib.sha256).digest()[:16]
    return f"\"x'{key.hex()}{salt.hex()}'\""


def driver_for(path: Path) -> ModuleType:
    """The DB-API module a connection to `path` comes from (for SQLAlchemy's `module=`)."""
    return cipher_module() if key_for(path) is not None else sqlite3


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's DatabaseError, and SQLCipher's once it is loaded (for `except` clauses)."""
    import sys

    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError, cipher.DatabaseError) if cipher else (sqlite3.DatabaseError,)


def connect(
    path: Path,
    *,
    read_only: bool = False,
    any_thread: bool = False,
    autocommit: bool = False,
    key: bytes | None = None,
) -> Any:
    """A DB-API connection to `path` (sqlite3's, or SQLCipher's when the file is encrypted).

    `read_only` opens it for reading only (a backup being listed or checked is never written);
    `any_thread` lets a pool or a worker use it from another thread (one thread at a time);
    `autocommit` leaves transactions to explicit BEGIN/COMMIT statements; `key` overrides the
    key registered for the folder.
    """
    key = key if key is not None else key_for(path)
    if key is None and _locked and _is_locked(path) and not is_plain_file(path):
        raise PassphraseNeededError("The practice is locked; unlock it to continue.")
    module = cipher_module() if key is not None else sqlite3
    target: str | Path = path
    if read_only:
        target = f"{path.resolve().as_uri()}?mode=ro"
    connection = module.connect(
        target,
        uri=read_only,
        check_same_thread=not any_thread,
        isolation_level=None if autocommit else "",
    )
    if key is not None:
        apply_key(connection, key)
    return connection


def apply_key(connection: Any, key: bytes, schema: str = "main") -> None:
    """Key a SQLCipher connection with the raw key: no key derivation, so opening is cheap."""
    connection.execute(f"PRAGMA {schema}.key = {key_literal(key)}")


def attach(connection: Any, path: Path, schema: str, *, key: bytes | None = None) -> None:
    """Make the file at `path` readable on `connection` as `schema` (a plain identifier),
    keyed as `key` or, by default, as `connect` would key it."""
    if not schema.isidentifier():
        raise ValueError(f"not a schema name: {schema!r}")
    key = key if key is not None else key_for(path)
    if key is not None:
        connection.execute(f"ATTACH DATABASE ? AS {schema} KEY {key_literal(key)}", (str(path),))
    elif type(connection).__module__.startswith("sqlcipher3"):
        # SQLCipher would give an attached file the main file's key: a plain one has none.
        connection.execute(f"ATTACH DATABASE ? AS {schema} KEY ''", (str(path),))
    else:
        connection.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
