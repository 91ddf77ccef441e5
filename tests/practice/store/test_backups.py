"""Verified backups: copied with SQLite's backup API, checked, recorded, sent to a second place."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from practice.errors import BackupError
from practice.store import Database, open_database
from practice.store.backups import catalog, copy, run
from practice.store.backups.listing import all_backups
from practice.store.backups.run import back_up, before_risky_step
from practice.store.backups.settings import save_backup_settings
from practice.store.backups.status import read_status
from tests.practice.store.helpers import add_clients, backup_files, client_names, integrity_ok


def test_backup_is_verified_and_its_sidecar_records_what_it_holds(db: Database) -> None:
    add_clients(db, 5)
    outcome = back_up(db.data_dir, reason="manual")
    backup = outcome.backup
    assert backup.verified and backup.path.parent == db.data_dir / "backups"
    assert (backup.clients, backup.visits, backup.invoices) == (5, 0, 0)
    sidecar = json.loads(catalog.sidecar_of(backup.path).read_text())
    assert sidecar["verified"] is True and sidecar["schema"] == backup.schema
    assert sidecar["size"] == backup.path.stat().st_size
    assert client_names(backup.path) == client_names(db.path)
    assert integrity_ok(backup.path)
    assert not list(backup.path.parent.glob(".*")), "no temporary file is left behind"


def test_backup_is_one_self_contained_file_without_wal(db: Database) -> None:
    add_clients(db, 2)
    backup = back_up(db.data_dir, reason="manual").backup
    conn = sqlite3.connect(backup.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


def test_backup_holds_the_practice_as_it_was_while_saves_go_on(db: Database) -> None:
    """Saves during the copy change neither the copy nor its comparison: no false failure."""
    add_clients(db, 20)
    stop = threading.Event()

    def keep_saving() -> None:
        n = 100
        while not stop.is_set():
            add_clients(db, 1, start=n)
            n += 1

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        outcomes = [back_up(db.data_dir, reason="manual") for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    for outcome in outcomes:
        names = client_names(outcome.backup.path)
        assert outcome.backup.clients == len(names) >= 20
        assert names == client_names(db.path)[: len(names)]


def test_a_copy_that_differs_from_the_practice_fails_and_gets_no_backup_name(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_clients(db, 3)
    real_backup = copy._backup

    def backup_then_damage(live: sqlite3.Connection, temp: Path) -> None:
        real_backup(live, temp)
        conn = sqlite3.connect(temp)
        conn.execute("UPDATE client SET given_name = 'changed' WHERE id = 2")
        conn.commit()
        conn.close()

    monkeypatch.setattr(copy, "_backup", backup_then_damage)
    with pytest.raises(BackupError, match="table client: 3 rows in the practice, 3 in the copy"):
        back_up(db.data_dir, reason="manual")
    folder = db.data_dir / "backups"
    assert backup_files(folder) == []
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    status = read_status(folder)
    assert status.last_failed and "failed its check" in status.failure


def test_a_copy_with_a_missing_row_fails_its_check(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_clients(db, 3)
    real_backup = copy._backup

    def backup_then_lose_a_row(live: sqlite3.Connection, temp: Path) -> None:
        real_backup(live, temp)
        conn = sqlite3.connect(temp)
        conn.execute("PRAGMA foreign_keys=OFF")
        # (the audit log itself refuses deletions: a client row goes instead)
        conn.execute("DELETE FROM client WHERE id = (SELECT max(id) FROM client)")
        conn.commit()
        conn.close()

    monkeypatch.setattr(copy, "_backup", backup_then_lose_a_row)
    with pytest.raises(BackupError, match="table client"):
        back_up(db.data_dir, reason="manual")
    assert backup_files(db.data_dir / "backups") == []


def test_a_failed_backup_leaves_the_older_good_ones_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = back_up(db.data_dir, reason="manual").backup

    def broken(live: sqlite3.Connection, temp: Path) -> None:
        temp.write_bytes(b"not a database at all" * 100)

    monkeypatch.setattr(copy, "_backup", broken)
    with pytest.raises(BackupError):
        back_up(db.data_dir, reason="manual")
    assert backup_files(db.data_dir / "backups") == [good.path]


def test_backups_are_private_to_the_user(db: Database) -> None:
    backup = back_up(db.data_dir, reason="manual").backup
    for path in (backup.path, catalog.sidecar_of(backup.path), backup.path.parent / "status.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(backup.path.parent.stat().st_mode) == 0o700


def test_before_risky_step_names_the_step_and_is_verified(db: Database) -> None:
    backup = before_risky_step(db.data_dir, "import")
    assert backup.reason == "before-import" and backup.verified
    assert backup.path.name.endswith("-before-import.db")


def test_a_file_without_sidecar_is_listed_as_not_verified(db: Database) -> None:
    folder = db.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    old_style = folder / "fascia-20250101-120000-manual.db"
    old_style.write_bytes(db.path.read_bytes())
    (listed,) = all_backups(db.data_dir)
    assert listed.path == old_style and not listed.verified
    assert listed.problem == "not verified when it was made"


def test_a_backup_changed_after_it_was_verified_is_listed_as_such(db: Database) -> None:
    backup = back_up(db.data_dir, reason="manual").backup
    with backup.path.open("ab") as handle:
        handle.write(b"\0" * 4096)
    (listed,) = all_backups(db.data_dir)
    assert not listed.verified and listed.problem == "changed since it was verified"


def test_second_destination_gets_the_same_verified_copy(db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    save_backup_settings(db, str(usb), 30)
    outcome = back_up(db.data_dir, reason="manual")
    assert outcome.second is not None and outcome.second.path == usb / outcome.backup.path.name
    assert outcome.second.path.read_bytes() == outcome.backup.path.read_bytes()
    listed = [b for b in all_backups(db.data_dir) if b.second_copy]
    assert [b.verified for b in listed] == [True]
    assert read_status(db.data_dir / "backups").second_reached_at is not None


def test_a_missing_second_destination_still_backs_up_here_and_records_why(
    db: Database, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    save_backup_settings(db, str(usb), 30)
    usb.rmdir()  # the drive was unplugged
    outcome = back_up(db.data_dir, reason="manual")
    assert outcome.backup.verified and outcome.backup.path.exists()
    assert outcome.second is not None and outcome.second.path is None
    assert "is not there" in outcome.second.error
    status = read_status(db.data_dir / "backups")
    assert status.second_failed_at is not None and status.second_reached_at is None
    assert not usb.exists(), "Fascia never creates the chosen folder (the drive's mount point)"


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX permissions")
def test_an_unwritable_second_destination_still_backs_up_here(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    save_backup_settings(db, str(usb), 30)

    def refuse(source: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(run, "copy_private_file", refuse)
    outcome = back_up(db.data_dir, reason="manual")
    assert outcome.backup.path.exists()
    assert outcome.second is not None and "Permission denied" in outcome.second.error
    assert list(usb.iterdir()) == []


def test_backup_of_a_folder_opened_by_cli_style_code_closes_its_connections(
    data_dir: Path,
) -> None:
    db = open_database(data_dir)
    back_up(data_dir, reason="manual")
    db.close()
    # Nothing holds the file: leaving WAL mode (which needs sole access) works.
    conn = sqlite3.connect(data_dir / "fascia.db")
    try:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    finally:
        conn.close()


def test_a_case_change_in_a_nocase_column_is_still_a_difference(db: Database) -> None:
    """A table with a NOCASE column (as a later schema might add) is compared byte for byte."""
    import sqlite3 as raw

    from practice.store.backups.verify import COPY_SCHEMA, compare_rows

    live_path, copy_path = db.data_dir / "live.db", db.data_dir / "copy.db"
    for path, name in ((live_path, "Chloe"), (copy_path, "CHLOE")):  # NOCASE folds ASCII
        conn = raw.connect(path)
        conn.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE)")
        conn.execute("INSERT INTO tag (name) VALUES (?)", (name,))
        conn.commit()
        conn.close()
    conn = raw.connect(live_path)
    conn.execute(f"ATTACH DATABASE ? AS {COPY_SCHEMA}", (str(copy_path),))
    differences, tables, rows = compare_rows(conn)
    assert (tables, rows) == (1, 1)
    conn.close()
    assert differences == ["table tag: 1 rows in the practice, 1 in the copy, 0 identical"]
