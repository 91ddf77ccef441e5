"""Restoring a backup: refused when it cannot be trusted, otherwise swapped in atomically with
the current practice kept as a backup first."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from practice.clients import service
from practice.errors import BackupError, FasciaError
from practice.store import open_database, schema
from practice.store.backups.listing import all_backups
from practice.store.backups.restore import restore_backup
from practice.store.backups.run import back_up
from practice.store.folder import claim_folder
from tests.practice.store.helpers import add_clients, client_names, practice_with_clients


@pytest.fixture
def practice(data_dir: Path, migrated_db_file: Path) -> Path:
    practice_with_clients(data_dir, 2, migrated_db_file)
    return data_dir


def test_restore_brings_back_the_backup_and_keeps_the_current_practice(practice: Path) -> None:
    backup = back_up(practice, reason="manual").backup
    db = open_database(practice, actor="test")
    add_clients(db, 3, start=10)
    db.close()
    now = client_names(practice / "fascia.db")
    restored = restore_backup(practice, backup.path)
    assert client_names(practice / "fascia.db") == client_names(backup.path)
    assert restored.kept is not None and not restored.damaged
    assert restored.kept.name.endswith("-before-restore.db")
    assert client_names(restored.kept) == now
    kept = next(b for b in all_backups(practice) if b.path == restored.kept)
    assert kept.verified and kept.clients == 5
    assert not [p.name for p in practice.iterdir() if p.name.startswith(".")]


def test_restored_practice_opens_with_its_records(practice: Path) -> None:
    backup = back_up(practice, reason="manual").backup
    restore_backup(practice, backup.path)
    db = open_database(practice)
    try:
        assert len(service.search_clients(db)) == 2
    finally:
        db.close()


def refuse(practice: Path, source: Path, match: str) -> None:
    before = (practice / "fascia.db").read_bytes()
    with pytest.raises(BackupError, match=match) as raised:
        restore_backup(practice, source)
    assert "\n" not in str(raised.value), "one clear line"
    assert (practice / "fascia.db").read_bytes() == before
    assert not list((practice / "backups").glob("*before-restore*"))


def test_garbage_is_refused_and_nothing_changes(practice: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x89PNG" + b"\0" * 5000)
    refuse(practice, bad, "cannot be restored: it is not a database")


def test_another_programs_database_is_refused(practice: Path, tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    refuse(practice, other, "not a Fascia practice")


def test_a_backup_changed_since_it_was_verified_is_refused(practice: Path) -> None:
    backup = back_up(practice, reason="manual").backup
    data = bytearray(backup.path.read_bytes())
    data[-100] ^= 0xFF
    backup.path.write_bytes(bytes(data))
    refuse(practice, backup.path, "changed since it was verified")


def test_a_corrupt_file_without_sidecar_fails_its_check(practice: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    back = back_up(practice, reason="manual").backup
    data = bytearray(back.path.read_bytes())
    page = 4096
    for offset in range(3 * page, 6 * page):  # scramble a few pages in the middle
        data[offset] = (data[offset] * 7 + 13) % 256
    copy.write_bytes(bytes(data))
    refuse(practice, copy, "cannot be restored")


def test_a_backup_from_a_newer_fascia_is_refused(practice: Path, tmp_path: Path) -> None:
    back = back_up(practice, reason="manual").backup
    newer = tmp_path / "newer.db"
    newer.write_bytes(back.path.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    refuse(practice, newer, "newer Fascia")


def test_a_missing_file_is_refused(practice: Path, tmp_path: Path) -> None:
    refuse(practice, tmp_path / "nowhere.db", "no such file")


def test_restoring_the_practice_file_onto_itself_is_refused(practice: Path) -> None:
    refuse(practice, practice / "fascia.db", "is the practice file itself")


def test_restore_is_refused_while_another_connection_has_the_practice_open(
    practice: Path,
) -> None:
    backup = back_up(practice, reason="manual").backup
    db = open_database(practice)
    try:
        service.search_clients(db)
        lock = db.hand_over()
        other = sqlite3.connect(practice / "fascia.db")
        other.execute("SELECT 1 FROM client").fetchall()
        with pytest.raises(BackupError, match="still in use"):
            restore_backup(practice, backup.path)
        other.close()
    finally:
        assert lock is not None
        lock.release()


def test_handing_over_waits_for_reads_in_the_background_and_holds_new_ones(
    practice: Path,
) -> None:
    backup = back_up(practice, reason="manual").backup
    db = open_database(practice)
    reading, finish = threading.Event(), threading.Event()

    def read_slowly() -> None:  # a view's refresh, say, still reading when the restore starts
        with db.read() as session:
            session.execute(text("SELECT count(*) FROM client")).scalar()
            reading.set()
            finish.wait(10)

    reader = threading.Thread(target=read_slowly)
    reader.start()
    assert reading.wait(10)
    handed: list[object] = []
    handing = threading.Thread(target=lambda: handed.append(db.hand_over()))
    handing.start()
    handing.join(0.3)
    assert handing.is_alive(), "the hand-over waits for the read"
    finish.set()
    handing.join(10)
    reader.join(10)
    lock = handed[0]
    later: list[object] = []

    def read_meanwhile() -> None:
        try:
            later.append(service.search_clients(db))
        except FasciaError as error:
            later.append(error)

    waiting = threading.Thread(target=read_meanwhile)
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive(), "a read asked for meanwhile waits for the file"
    try:
        restore_backup(practice, backup.path)  # nothing has the file open any more
    finally:
        db.close()  # the restored file opens as a new Database: the waiting read is refused
        waiting.join(10)
        assert lock is not None
        lock.release()  # type: ignore[attr-defined]
    assert isinstance(later[0], FasciaError) and "replaced" in str(later[0])


def test_a_read_waiting_for_a_handed_over_practice_goes_on_once_it_is_taken_back(
    practice: Path,
) -> None:
    db = open_database(practice)
    lock = db.hand_over()
    names: list[list[str]] = []
    waiting = threading.Thread(
        target=lambda: names.append([c.display_name for c in service.search_clients(db)])
    )
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()
    db.take_back(lock)  # the replacement did not happen
    waiting.join(10)
    assert len(names) == 1 and len(names[0]) == len(client_names(db.path))
    db.close()


def test_an_old_backup_is_upgraded_when_the_restored_practice_opens(
    data_dir: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old" / "fascia.db"
    old.parent.mkdir()
    schema.upgrade(old, "0007")
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    open_database(data_dir).close()
    restore_backup(data_dir, old)
    assert schema.current_revision(data_dir / "fascia.db") == "0007"
    db = open_database(data_dir)
    db.close()
    assert schema.current_revision(data_dir / "fascia.db") == schema.head_revision()


def test_cli_restore_refuses_while_the_app_has_the_folder(practice: Path) -> None:
    from practice.cli import main

    backup = back_up(practice, reason="manual").backup
    lock = claim_folder(practice)
    try:
        assert main(["--data-dir", str(practice), "restore", str(backup.path)]) == 1
    finally:
        lock.release()
