"""fascia-cli protect and passphrase: encrypting a practice and changing its passphrase.

Every command reads an encrypted practice's passphrase the same way (see `passphrase_for`):
--passphrase-file FILE, else FASCIA_PASSPHRASE, else a prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from practice.errors import PassphraseNeededError, ValidationError

PASSPHRASE_ENV = "FASCIA_PASSPHRASE"
RECOVERY_ENV = "FASCIA_RECOVERY_CODE"  # instead of the passphrase, when it is forgotten
NEW_PASSPHRASE_ENV = "FASCIA_NEW_PASSPHRASE"


def add_commands(commands: Any) -> None:
    protect = commands.add_parser(
        "protect", help="encrypt the practice and its backups with a passphrase"
    )
    _new_passphrase_option(protect)
    protect.add_argument(
        "--recovery-sheet",
        type=Path,
        metavar="FILE.pdf",
        help="also save the recovery code as a one-page sheet to print (a PDF)",
    )
    change = commands.add_parser("passphrase", help="change the practice's passphrase")
    _new_passphrase_option(change)


def _new_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="FILE",
        help=f"read the new passphrase from FILE (default: {NEW_PASSPHRASE_ENV} or a prompt)",
    )


def _read_first_line(path: Path, option: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise ValidationError({option: f"cannot read {path} ({reason})."}) from None
    return text.splitlines()[0] if text else ""


def passphrase_for(args: argparse.Namespace) -> str:
    """The passphrase of an encrypted practice, from the file, the variable or a prompt."""
    if getattr(args, "passphrase_file", None) is not None:
        return _read_first_line(args.passphrase_file, "passphrase-file")
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("Passphrase: ")
    raise PassphraseNeededError(
        f"This practice is protected by a passphrase: set {PASSPHRASE_ENV}, "
        "use --passphrase-file FILE, or run in a terminal."
    )


def _new_passphrase(args: argparse.Namespace) -> str:
    if args.new_passphrase_file is not None:
        return _read_first_line(args.new_passphrase_file, "new-passphrase-file")
    if NEW_PASSPHRASE_ENV in os.environ:
        return os.environ[NEW_PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise ValidationError(
            {"new-passphrase": f"set {NEW_PASSPHRASE_ENV} or use --new-passphrase-file FILE."}
        )
    first = getpass.getpass("New passphrase: ")
    if getpass.getpass("New passphrase again: ") != first:
        raise ValidationError({"new-passphrase": "the two passphrases differ; nothing changed."})
    return first


def _protect(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.paths import DB_FILENAME
    from practice.store import schema
    from practice.store.encryption import protect_practice
    from practice.store.folder import claim_folder

    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    sheet = args.recovery_sheet
    if sheet is not None and not sheet.parent.is_dir():  # checked before anything changes
        raise ValidationError({"recovery-sheet": f"there is no folder {sheet.parent}."})
    passphrase = _new_passphrase(args)
    lock = claim_folder(data_dir)
    try:
        schema.prepare(data_dir / DB_FILENAME)
        code = protect_practice(data_dir, passphrase)
    finally:
        lock.release()
    print(f"The practice in {data_dir} and its backups are now encrypted.")
    print(f"Recovery code (print it and keep it apart from this computer): {code}")
    print("It is shown only this once; it opens the practice if the passphrase is forgotten.")
    if sheet is not None:
        _save_sheet(data_dir, code, sheet)
    return 0


def _save_sheet(data_dir: Path, code: str, sheet: Path) -> None:
    """The recovery sheet, the same page the app prints (audited without its bytes' hash)."""
    from practice import printouts
    from practice.store import open_database

    db = open_database(data_dir)
    try:
        printouts.recovery_sheet_pdf(db, code, to_file=sheet)
    finally:
        db.close()
    print(f"Recovery sheet saved to {sheet}; print it, then delete the file.")


def unlock(data_dir: Path, args: argparse.Namespace) -> None:
    """Open the encrypted practice's files with its key: the recovery code when one is in
    FASCIA_RECOVERY_CODE, else the passphrase."""
    from practice.store.encryption import unlock_practice

    if os.environ.get(RECOVERY_ENV):
        unlock_practice(data_dir, recovery_code=os.environ[RECOVERY_ENV])
    else:
        unlock_practice(data_dir, passphrase=passphrase_for(args))


def _passphrase(data_dir: Path, args: argparse.Namespace) -> int:
    """A new passphrase, the practice unlocked first by the old one or the recovery code."""
    from practice.paths import DB_FILENAME
    from practice.store import keyfile
    from practice.store.connection import key_for
    from practice.store.folder import claim_folder

    key = key_for(data_dir / DB_FILENAME)
    if not keyfile.is_protected(data_dir) or key is None:
        raise ValidationError({"data-dir": "This practice has no passphrase; use protect."})
    new = _new_passphrase(args)
    lock = claim_folder(data_dir)
    try:
        keyfile.rewrap_passphrase(data_dir, key, new)
    finally:
        lock.release()
    print("Passphrase changed; the recovery code is unchanged.")
    return 0


COMMANDS = {"protect": _protect, "passphrase": _passphrase}
