"""The practice key and its key file: a random 256-bit key, wrapped by the passphrase and by
the recovery code (Argon2id, then AES-256-GCM), stored beside the database as fascia.key.

The database is encrypted with the raw key (SQLCipher, no key derivation per connection);
changing the passphrase re-wraps the key and never rewrites the database.
"""

from __future__ import annotations

import base64
import json
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practice.errors import KeyFileError, ValidationError, WrongPassphraseError
from practice.store.private import write_private_bytes

KEY_FILENAME = "fascia.key"
FORMAT = 1
KEY_BYTES = 32
PASSPHRASE = "passphrase"
RECOVERY = "recovery"
MIN_PASSPHRASE = 8
MAX_SECRET = 1024  # characters: Argon2 takes any length, a person types far fewer


@dataclass(frozen=True, slots=True)
class Argon2Cost:
    """Argon2id's cost: OWASP's second recommended setting (t=3, 64 MiB, p=4) by default."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


COST = Argon2Cost()  # tests lower it; the cost used is stored with each wrap


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILENAME


def is_protected(data_dir: Path) -> bool:
    return key_path(data_dir).exists()


def needs_unlock(data_dir: Path) -> bool:
    """Whether the practice is encrypted and its key not yet given (a cheap check for startup:
    no SQLAlchemy, no SQLCipher)."""
    from practice.paths import DB_FILENAME
    from practice.store.connection import is_plain_file, key_for

    db_path = data_dir / DB_FILENAME
    return is_protected(data_dir) and key_for(db_path) is None and not is_plain_file(db_path)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_code() -> str:
    """160 random bits as 32 letters and digits in 8 groups of 4, for printing."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normal_recovery_code(text: str) -> str:
    """What the person typed, without spaces, dashes or case (and 0/1 read as O/I)."""
    kept = "".join(ch for ch in text.upper() if ch.isalnum())
    return kept.replace("0", "O").replace("1", "I").replace("8", "B")


def check_passphrase(passphrase: str, field: str = "passphrase") -> str:
    """The passphrase in normal form; ValidationError for one too short or too long."""
    text = unicodedata.normalize("NFC", passphrase or "")
    if len(text) < MIN_PASSPHRASE:
        raise ValidationError({field: f"Use at least {MIN_PASSPHRASE} characters."})
    if len(text) > MAX_SECRET:
        raise ValidationError({field: f"Use at most {MAX_SECRET} characters."})
    return text


def _derive(secret: str, salt: bytes, cost: Argon2Cost) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8", "surrogatepass"),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


def wrap(key: bytes, secret: str, slot: str, practice_id: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapping = _derive(secret, salt, COST)
    sealed = AESGCM(wrapping).encrypt(nonce, key, _context(slot, practice_id))
    return {
        "kdf": "argon2id",
        "time_cost": COST.time_cost,
        "memory_kib": COST.memory_kib,
        "parallelism": COST.parallelism,
        "salt": _b64(salt),
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "wrapped_key": _b64(sealed),
    }


def unwrap(entry: dict[str, Any], secret: str, slot: str, practice_id: str) -> bytes:
    """The key, or WrongPassphraseError when `secret` is not the one it was wrapped with."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        cost = Argon2Cost(
            _bounded(entry["time_cost"], 1, 64),
            _bounded(entry["memory_kib"], 8, 4 * 1024 * 1024),
            _bounded(entry["parallelism"], 1, 64),
        )
        salt, nonce = _unb64(entry["salt"]), _unb64(entry["nonce"])
        sealed = _unb64(entry["wrapped_key"])
        if entry.get("kdf") != "argon2id" or len(nonce) != 12 or len(salt) < 8:
            raise ValueError("unknown wrapping")
    except (KeyError, TypeError, ValueError):
        raise KeyFileError("The key file is damaged (its wrapped key cannot be read).") from None
    try:
        key = AESGCM(_derive(secret, salt, cost)).decrypt(
            nonce, sealed, _context(slot, practice_id)
        )
    except InvalidTag:
        what = "recovery code" if slot == RECOVERY else "passphrase"
        raise WrongPassphraseError(f"That {what} does not unlock this practice.") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError("The key file is damaged (its key has the wrong length).")
    return key


def _bounded(value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError("out of range")
    return value


def _context(slot: str, practice_id: str) -> bytes:
    return f"Fascia practice key|v{FORMAT}|{slot}|{practice_id}".encode()


@dataclass(frozen=True, slots=True)
class KeyFile:
    practice_id: str
    wraps: dict[str, dict[str, Any]]

    def to_bytes(self) -> bytes:
        document = {"format": FORMAT, "practice_id": self.practice_id, "wraps": self.wraps}
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")


def create(key: bytes, passphrase: str, recovery_code: str) -> KeyFile:
    practice_id = secrets.token_hex(16)
    return KeyFile(
        practice_id,
        {
            PASSPHRASE: wrap(key, check_passphrase(passphrase), PASSPHRASE, practice_id),
            RECOVERY: wrap(key, normal_recovery_code(recovery_code), RECOVERY, practice_id),
        },
    )


def write(data_dir: Path, key_file: KeyFile) -> None:
    """Write the key file atomically (temporary name, fsync, rename): old or new, never half."""
    write_private_bytes(key_path(data_dir), key_file.to_bytes())


def read(data_dir: Path) -> KeyFile:
    path = key_path(data_dir)
    try:
        document = json.loads(path.read_bytes().decode("ascii"))
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path} is missing: without it this practice cannot be opened. "
            "Put back the fascia.key from your backup of this folder."
        ) from None
    except OSError as error:
        raise KeyFileError(f"The key file {path} cannot be read ({error.strerror}).") from None
    except (UnicodeDecodeError, ValueError):
        raise KeyFileError(
            f"The key file {path} is damaged (it is not a Fascia key file)."
        ) from None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("practice_id"), str)
        or not isinstance(document.get("wraps"), dict)
        or not all(isinstance(v, dict) for v in document["wraps"].values())
    ):
        raise KeyFileError(f"The key file {path} is damaged (not a Fascia key file).")
    return KeyFile(document["practice_id"], document["wraps"])


def unlock(data_dir: Path, *, passphrase: str = "", recovery_code: str = "") -> bytes:
    """The practice key from the passphrase, or from the recovery code when one is given."""
    key_file = read(data_dir)
    slot, secret = (
        (RECOVERY, normal_recovery_code(recovery_code))
        if recovery_code
        else (PASSPHRASE, unicodedata.normalize("NFC", passphrase or ""))
    )
    if not secret or len(secret) > MAX_SECRET:
        what = "recovery code" if slot == RECOVERY else "passphrase"
        raise WrongPassphraseError(f"That {what} does not unlock this practice.")
    entry = key_file.wraps.get(slot)
    if entry is None:
        raise KeyFileError(f"The key file {key_path(data_dir)} has no {slot} entry.")
    return unwrap(entry, secret, slot, key_file.practice_id)


def rewrap_passphrase(data_dir: Path, key: bytes, new_passphrase: str) -> None:
    """A new passphrase for the same key: only the key file changes (atomically)."""
    current = read(data_dir)
    wraps = dict(current.wraps)
    wraps[PASSPHRASE] = wrap(
        key, check_passphrase(new_passphrase, "new_passphrase"), PASSPHRASE, current.practice_id
    )
    write(data_dir, KeyFile(current.practice_id, wraps))
