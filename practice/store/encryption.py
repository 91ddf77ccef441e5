"""Protecting a practice with a passphrase: unlocking it, converting a plain one, re-wrapping.

Converting exports the plain file into a new SQLCipher file (`sqlcipher_export`), compares
every row of the two, moves the record seals onto the new key, and only then writes the key
file and renames the encrypted file over the plain one. A kill before the key file is written
leaves the plain practice; a kill after it, a key file beside a still-plain file, which the
next unlock converts again with the same key. Backups already made are converted the same way.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from practice.errors import BackupError, KeyFileError, PassphraseNeededError, ValidationError
from practice.paths import DB_FILENAME
from practice.progress import Progress
from practice.store import keyfile
from practice.store.backups import verify
from practice.store.backups.catalog import read_sidecar, write_sidecar
from practice.store.backups.listing import all_backups
from practice.store.backups.swap import discard, settle, swap_into_place, temp_beside
from practice.store.connection import (
    attach,
    cipher_module,
    connect,
    database_errors,
    is_plain_file,
    use_key,
)
from practice.store.private import fsync_file
from practice.store.seal import chain as seals


def is_encrypted(data_dir: Path) -> bool:
    """Whether opening the practice needs its passphrase (a key file beside it)."""
    return keyfile.is_protected(data_dir)


def require_unlocked(data_dir: Path) -> None:
    if keyfile.needs_unlock(data_dir):
        raise PassphraseNeededError(
            f"The practice in {data_dir} is protected by a passphrase; unlock it first."
        )


def unlock_practice(data_dir: Path, *, passphrase: str = "", recovery_code: str = "") -> bytes:
    """Check the passphrase (or recovery code) and open the practice's files with its key.

    Raises WrongPassphraseError, or KeyFileError for a missing, damaged or foreign key file.
    """
    key = keyfile.unlock(data_dir, passphrase=passphrase, recovery_code=recovery_code)
    db_path = data_dir / DB_FILENAME
    if is_plain_file(db_path):
        convert(data_dir, key)  # a conversion stopped after its key file was written
    elif db_path.exists():
        _check_key(db_path, key)
    use_key(data_dir, key)
    return key


def _check_key(db_path: Path, key: bytes) -> None:
    conn = connect(db_path, read_only=True, key=key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except database_errors():
        raise KeyFileError(
            f"The key file beside {db_path} does not belong to this practice file "
            "(it opens another practice). Put back this practice's own fascia.key."
        ) from None
    finally:
        conn.close()


def protect_practice(data_dir: Path, passphrase: str, progress: Progress | None = None) -> str:
    """Encrypt the practice in `data_dir` (every connection to it closed); returns the recovery
    code, to be shown once. Its backups are encrypted too."""
    passphrase = keyfile.check_passphrase(passphrase)
    if is_encrypted(data_dir):
        raise ValidationError({"passphrase": "This practice is already protected."})
    key, code = keyfile.new_key(), keyfile.new_recovery_code()
    convert(data_dir, key, keyfile.create(key, passphrase, code), progress)
    use_key(data_dir, key)
    return code


def change_passphrase(data_dir: Path, current: str, new: str) -> None:
    """Re-wrap the key with a new passphrase; the database is not rewritten."""
    new = keyfile.check_passphrase(new, "new_passphrase")
    key = keyfile.unlock(data_dir, passphrase=current)
    keyfile.rewrap_passphrase(data_dir, key, new)


def convert(
    data_dir: Path,
    key: bytes,
    key_file: keyfile.KeyFile | None = None,
    progress: Progress | None = None,
) -> None:
    """Replace the plain practice file by an encrypted copy verified row by row."""
    progress = progress or Progress()
    db_path = data_dir / DB_FILENAME
    if db_path.exists():
        progress.report(0, 4, "Checking the records…")
        settle(db_path)
        _refuse_broken_chain(db_path)
        progress.report(1, 4, "Encrypting the practice…")
        temp = temp_beside(db_path, "encrypting")
        encrypt_copy(db_path, temp, key)
    if key_file is not None:
        keyfile.write(data_dir, key_file)
    if db_path.exists():
        swap_into_place(temp, db_path)
    progress.report(3, 4, "Encrypting the backups…")
    for backup in all_backups(data_dir):
        if is_plain_file(backup.path):
            _encrypt_backup(backup.path, key)
    progress.report(4, 4, "Practice encrypted")


def _refuse_broken_chain(db_path: Path) -> None:
    # Here, not at the top: the seal check loads SQLAlchemy, which unlocking never needs.
    from practice.store.seal.verify import chain_problems

    conn = connect(db_path, read_only=True)
    try:
        problems = chain_problems(conn, seals.PLAIN_KEY)
    finally:
        conn.close()
    if problems:
        raise BackupError(
            "The record seals are broken (" + "; ".join(problems[:2]) + "), so they cannot be "
            "carried over to the encrypted practice. Run fascia-cli check; nothing was changed."
        )


def encrypt_copy(source: Path, temp: Path, key: bytes) -> None:
    """Write `temp`: `source` (plain) encrypted with `key`, every row compared, seals re-keyed."""
    discard(temp)
    try:
        conn = cipher_module().connect(str(source), isolation_level=None)
        try:
            attach(conn, temp, "encrypted", key=key)
            conn.execute("SELECT sqlcipher_export('encrypted')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            conn.execute("DETACH DATABASE encrypted")
            _compare(conn, temp, key)
        finally:
            conn.close()
        _rechain(temp, key)
        fsync_file(temp)
    except BaseException:
        discard(temp)
        raise


def _compare(conn: Any, temp: Path, key: bytes) -> None:
    attach(conn, temp, verify.COPY_SCHEMA, key=key)
    try:
        conn.execute("BEGIN")
        problems, _tables, _rows = verify.compare_rows(conn)
        check = [r[0] for r in conn.execute(f"PRAGMA {verify.COPY_SCHEMA}.integrity_check(5)")]
        conn.execute("ROLLBACK")
    finally:
        conn.execute(f"DETACH DATABASE {verify.COPY_SCHEMA}")
    if check != ["ok"]:
        problems.append("integrity check: " + "; ".join(check))
    if problems:
        raise BackupError("The encrypted copy failed its check: " + "; ".join(problems[:3]))


def _rechain(temp: Path, key: bytes) -> None:
    """Re-link the seal chain under the key derived from the new database key.

    The content hashes are kept as they were, so a record changed before the conversion is
    still named by the check afterwards.
    """
    conn = connect(temp, key=key, autocommit=True)
    try:
        if not seals.has_seal_table(conn):
            return
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            ("seal_append_only_update",),
        ).fetchone()
        conn.execute("BEGIN IMMEDIATE")
        if trigger:
            conn.execute("DROP TRIGGER seal_append_only_update")
        seals.relink(conn, seals.key_from(key))
        if trigger:
            conn.execute(trigger[0])
        conn.execute("COMMIT")
    finally:
        conn.close()


def _encrypt_backup(path: Path, key: bytes) -> None:
    """Encrypt one plain backup in place; its sidecar records the new size and SHA-256."""
    temp = temp_beside(path, f"encrypting-{path.stem}")
    encrypt_copy(path, temp, key)
    conn = connect(temp, key=key, autocommit=True)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    sidecar = read_sidecar(path)
    swap_into_place(temp, path)
    if sidecar is not None:
        sidecar.update(size=path.stat().st_size, sha256=verify.file_sha256(path), encrypted=True)
        write_sidecar(path, json.dumps(sidecar, indent=2, ensure_ascii=False).encode())
    with contextlib.suppress(OSError):
        (path.parent / f"{path.name}-journal").unlink()
