"""Protecting a practice with a passphrase: nothing readable on disk, the passphrase or the
recovery code opens it, a wrong one changes nothing, a crash leaves a practice that opens."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.errors import (
    BackupError,
    KeyFileError,
    PassphraseNeededError,
    ValidationError,
    WrongPassphraseError,
)
from practice.paths import DB_FILENAME
from practice.store import connection, encryption, keyfile, open_database
from practice.store.backups.listing import all_backups
from practice.store.backups.restore import restore_backup
from practice.store.backups.run import back_up
from practice.store.seal.verify import verify_records
from tests.practice.store.encryption.conftest import NAME, PASSPHRASE


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock")


def _readable(folder: Path) -> list[Path]:
    """Files in which the client's family name can be read (like `strings | grep`)."""
    needle = NAME.split(" ")[1].encode()
    return [p for p in _files(folder) if needle in p.read_bytes()]


def _digests(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(folder)}


def _open_and_list(folder: Path) -> list[str]:
    db = open_database(folder)
    try:
        assert verify_records(db).ok
        return [c.family_name for c in clients.search_clients(db, "Dubois")]
    finally:
        db.close()


def test_a_protected_practice_and_its_backups_hold_no_readable_name(plain_practice: Path) -> None:
    back_up(plain_practice, reason="manual")
    assert _readable(plain_practice)  # the plain file and its backup, before
    code = encryption.protect_practice(plain_practice, PASSPHRASE)
    db = open_database(plain_practice)  # unlocked by protecting
    try:
        clients.create_client(db, clients.ClientForm(given_name="Late", family_name="Dubois"))
    finally:
        db.close()
    back_up(plain_practice, reason="manual")
    assert _readable(plain_practice) == []
    assert len(all_backups(plain_practice)) == 2
    assert all(b.verified for b in all_backups(plain_practice))
    connection.forget_all()
    with pytest.raises(PassphraseNeededError):
        open_database(plain_practice)
    encryption.unlock_practice(plain_practice, recovery_code=code.lower().replace("-", " "))
    assert len(_open_and_list(plain_practice)) == 31


def test_a_wrong_passphrase_or_recovery_code_changes_nothing(plain_practice: Path) -> None:
    encryption.protect_practice(plain_practice, PASSPHRASE)
    connection.forget_all()
    before = _digests(plain_practice)
    with pytest.raises(WrongPassphraseError, match="That passphrase does not unlock"):
        encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE + "!")
    with pytest.raises(WrongPassphraseError, match="That recovery code does not unlock"):
        encryption.unlock_practice(plain_practice, recovery_code="AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(WrongPassphraseError):
        encryption.unlock_practice(plain_practice, passphrase="")
    assert _digests(plain_practice) == before
    assert connection.key_for(plain_practice / DB_FILENAME) is None


def test_changing_the_passphrase_rewraps_the_key_and_leaves_the_database_as_it_was(
    plain_practice: Path,
) -> None:
    code = encryption.protect_practice(plain_practice, PASSPHRASE)
    database = hashlib.sha256((plain_practice / DB_FILENAME).read_bytes()).hexdigest()
    encryption.change_passphrase(plain_practice, PASSPHRASE, "a new passphrase")
    assert hashlib.sha256((plain_practice / DB_FILENAME).read_bytes()).hexdigest() == database
    connection.forget_all()
    with pytest.raises(WrongPassphraseError):
        encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)
    encryption.unlock_practice(plain_practice, passphrase="a new passphrase")
    connection.forget_all()
    encryption.unlock_practice(plain_practice, recovery_code=code)
    assert len(_open_and_list(plain_practice)) == 30


def test_a_short_passphrase_is_refused_and_nothing_is_encrypted(plain_practice: Path) -> None:
    before = _digests(plain_practice)
    with pytest.raises(ValidationError, match="at least 8 characters"):
        encryption.protect_practice(plain_practice, "short")
    assert _digests(plain_practice) == before
    assert not keyfile.is_protected(plain_practice)


def test_a_missing_damaged_or_foreign_key_file_is_a_clear_message(
    plain_practice: Path, tmp_path: Path
) -> None:
    encryption.protect_practice(plain_practice, PASSPHRASE)
    connection.forget_all()
    key_file = keyfile.key_path(plain_practice)
    kept = key_file.read_bytes()
    key_file.unlink()
    with pytest.raises(KeyFileError, match="is missing"):
        encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)
    key_file.write_bytes(b"\x00garbage")
    with pytest.raises(KeyFileError, match="is damaged"):
        encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)
    other = tmp_path / "other"
    open_database(other).close()
    encryption.protect_practice(other, PASSPHRASE)
    connection.forget_all()
    key_file.write_bytes(keyfile.key_path(other).read_bytes())
    with pytest.raises(KeyFileError, match="does not belong to this practice"):
        encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)
    key_file.write_bytes(kept)
    encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)


def test_a_conversion_stopped_after_the_key_file_finishes_at_the_next_unlock(
    plain_practice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(temp: Path, db_path: Path) -> None:
        raise KeyboardInterrupt  # the process dies between the key file and the rename

    monkeypatch.setattr(encryption, "swap_into_place", killed)
    with pytest.raises(KeyboardInterrupt):
        encryption.protect_practice(plain_practice, PASSPHRASE)
    monkeypatch.undo()
    connection.forget_all()
    assert keyfile.is_protected(plain_practice)
    assert len(_open_and_list(plain_practice)) == 30  # still plain: it opens as it was
    encryption.unlock_practice(plain_practice, passphrase=PASSPHRASE)
    assert _readable(plain_practice) == []
    assert len(_open_and_list(plain_practice)) == 30


def test_a_conversion_that_fails_its_check_leaves_the_plain_practice(
    plain_practice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def differs(conn: object) -> tuple[list[str], int, int]:
        return ["table client: 30 rows in the practice, 29 in the copy, 29 identical"], 0, 0

    monkeypatch.setattr(encryption.verify, "compare_rows", differs)
    with pytest.raises(BackupError, match="encrypted copy failed its check"):
        encryption.protect_practice(plain_practice, PASSPHRASE)
    monkeypatch.undo()
    assert not keyfile.is_protected(plain_practice)
    assert connection.is_plain_file(plain_practice / DB_FILENAME)
    assert [p.name for p in plain_practice.iterdir() if p.name.startswith(".")] == []
    assert len(_open_and_list(plain_practice)) == 30


def test_an_encrypted_backup_restores_and_its_records_verify(plain_practice: Path) -> None:
    encryption.protect_practice(plain_practice, PASSPHRASE)
    made = back_up(plain_practice, reason="manual").backup
    db = open_database(plain_practice)
    try:
        clients.create_client(db, clients.ClientForm(given_name="After", family_name="Backup"))
    finally:
        db.close()
    restore_backup(plain_practice, made.path)
    assert len(_open_and_list(plain_practice)) == 30
    assert _readable(plain_practice) == []


def test_an_encrypted_practice_upgraded_to_the_search_index_finds_its_clients(
    tmp_path: Path,
) -> None:
    """Migration 0020 runs on the encrypted file too (SQLCipher's own SQLite has FTS5 and its
    trigrams): the clients already there are found through the new index."""
    import sqlite3

    from practice.clients.directory import ClientDirectory, narrowing
    from practice.store import schema

    folder = tmp_path / "practice"
    folder.mkdir()
    schema.upgrade(folder / DB_FILENAME, "0019")
    raw = sqlite3.connect(folder / DB_FILENAME)
    with raw:
        raw.execute(
            "INSERT INTO client (given_name, family_name, preferred_name, pronouns, sex,"
            " phone_mobile, phone_other, email, address, occupation, emergency_contact_name,"
            " emergency_contact_phone, emergency_contact_relation, referral_source, found_us,"
            " notes, archived, search_text, sort_key, created_at, updated_at) VALUES ('Aiko',"
            " 'Tanaka', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 0,"
            " 'aiko tanaka', 'tanaka\x1faiko', '2026-01-01', '2026-01-01')"
        )
    raw.close()
    encryption.protect_practice(folder, PASSPHRASE)
    connection.forget_all()
    encryption.unlock_practice(folder, passphrase=PASSPHRASE)
    db = open_database(folder)
    directory = ClientDirectory.of(db)
    try:
        assert schema.current_revision(folder / DB_FILENAME) == schema.head_revision()
        assert narrowing(directory.connection, "tanak") is not None  # through the index
        assert [row.display_name for row in directory.search("tanak")] == ["Aiko Tanaka"]
        assert directory.count("anaka") == 1
    finally:
        directory.close()
        db.close()


def test_a_demo_in_an_encrypted_practice_is_written_in_place_and_stays_encrypted(
    tmp_path: Path, migrated_db_file: Path
) -> None:
    """The command line builds a plain practice's demo on a copy (`practice.demo_aside`); an
    encrypted one has no plain copy to build, so it is filled in place, and stays encrypted."""
    import shutil

    from practice.demo_aside import fill

    folder = tmp_path / "practice"
    folder.mkdir()
    shutil.copyfile(migrated_db_file, folder / DB_FILENAME)
    encryption.protect_practice(folder, PASSPHRASE)
    connection.forget_all()
    encryption.unlock_practice(folder, passphrase=PASSPHRASE)
    db = open_database(folder)
    try:
        assert fill(db, clients_count=12, seed=4).clients == 12
        assert len(clients.search_clients(db, "")) >= 11  # a few may be archived
        assert verify_records(db).problems == []
    finally:
        db.close()
    assert not connection.is_plain_file(folder / DB_FILENAME)
    assert not list(folder.glob(".fascia-*"))
