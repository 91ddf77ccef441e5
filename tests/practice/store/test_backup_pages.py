"""A backup compared with the practice byte for byte: what it catches that rows do not, and when
it falls back to comparing rows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from practice.errors import BackupError
from practice.store import Database
from practice.store.backups import catalog, copy, pages
from practice.store.backups.run import back_up
from practice.store.backups.verify import COPY_SCHEMA, compare_rows
from tests.practice.store.helpers import add_clients, backup_files


def sidecar(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(catalog.sidecar_of(path).read_text())


def test_a_plain_practice_is_compared_page_by_page_and_the_sidecar_says_so(db: Database) -> None:
    add_clients(db, 6)
    backup = back_up(db.data_dir, reason="manual").backup
    record = sidecar(backup.path)
    assert record["checks"] == list(copy.PAGE_CHECKS)
    conn = sqlite3.connect(backup.path)
    try:
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    assert record["pages"] * page_size == backup.size and record["rows"] == 0


def _index_leaf(path: Path, index: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    return (root[0] - 1) * page_size, page_size


def test_an_index_entry_changed_with_every_row_intact_fails_the_check(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row-by-row comparison reads no index: only the page comparison sees this copy is not
    the practice (the index would find Chloé1 under another name after a restore)."""
    add_clients(db, 4)
    real_backup = copy._backup

    def backup_then_damage_an_index(live: sqlite3.Connection, temp: Path) -> None:
        real_backup(live, temp)
        start, size = _index_leaf(temp, "ix_client_list")
        data = bytearray(temp.read_bytes())
        leaf = data[start : start + size]
        at = leaf.find(b"dubois\x1fchloe1")
        assert at > 0, "the index holds the folded name key"
        data[start + at + len(b"dubois\x1fchloe")] = ord("7")
        temp.write_bytes(bytes(data))
        conn = sqlite3.connect(live.execute("PRAGMA main.database_list").fetchone()[2])
        conn.execute(f"ATTACH DATABASE ? AS {COPY_SCHEMA}", (str(temp),))
        try:
            assert compare_rows(conn)[0] == []  # every row is still the same
        finally:
            conn.close()

    monkeypatch.setattr(copy, "_backup", backup_then_damage_an_index)
    with pytest.raises(BackupError, match=r"page \d+ of the copy differs from the practice's"):
        back_up(db.data_dir, reason="manual")
    assert backup_files(db.data_dir / "backups") == []


def test_one_changed_row_fails_and_names_its_table(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_clients(db, 5)
    real_backup = copy._backup

    def backup_then_change_a_row(live: sqlite3.Connection, temp: Path) -> None:
        real_backup(live, temp)
        conn = sqlite3.connect(temp)
        conn.execute("UPDATE client SET notes = 'x' WHERE id = 3")
        conn.commit()
        conn.close()

    monkeypatch.setattr(copy, "_backup", backup_then_change_a_row)
    with pytest.raises(BackupError, match="table client: 5 rows in the practice, 5 in the copy, 4"):
        back_up(db.data_dir, reason="manual")


def test_a_save_in_the_log_at_the_snapshot_is_compared_row_by_row(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is not the snapshot then: the copy is compared row by row and integrity_check
    checks its indexes."""
    monkeypatch.setattr(pages, "settle", lambda live: None)
    add_clients(db, 3)
    assert (db.data_dir / "fascia.db-wal").stat().st_size > 0
    backup = back_up(db.data_dir, reason="manual").backup
    record = sidecar(backup.path)
    assert record["checks"] == list(copy.ROW_CHECKS)
    assert record["rows"] > 0 and record["pages"] == 0 and backup.verified


def test_the_header_fields_a_copy_rewrites_are_the_only_ones_left_out(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('a')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target = sqlite3.connect(tmp_path / "copy.db")
    conn.backup(target)
    target.execute("PRAGMA journal_mode=DELETE")
    target.close()
    conn.close()
    size = live.stat().st_size
    assert pages.compare_files(live, tmp_path / "copy.db", size, 4096)[0] == []
    written_by = bytearray(live.read_bytes())
    written_by[96:100] = (3_037_002).to_bytes(4, "big")  # last written by an older SQLite
    live.write_bytes(bytes(written_by))
    assert pages.compare_files(live, tmp_path / "copy.db", size, 4096)[0] == []
    changed = bytearray((tmp_path / "copy.db").read_bytes())
    changed[60] ^= 1  # the user version: a field the copy must keep
    (tmp_path / "copy.db").write_bytes(bytes(changed))
    problems, _ = pages.compare_files(live, tmp_path / "copy.db", size, 4096)
    assert problems == ["page 1 of the copy differs from the practice's"]


def test_saves_and_checkpoints_during_the_copy_leave_the_file_the_snapshot(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the copy's read transaction reads the bare file, saves go to the log and no
    checkpoint may write the file: the byte comparison holds, and the copy is the practice as
    it was when the copy began."""
    import hashlib

    add_clients(db, 5)
    real_backup = copy._backup
    seen: list[tuple[int, int, int]] = []

    def save_and_checkpoint_then_copy(live: sqlite3.Connection, temp: Path) -> None:
        before = hashlib.sha256(db.path.read_bytes()).hexdigest()
        add_clients(db, 30, start=5)
        other = sqlite3.connect(db.path, timeout=0)
        try:
            seen.append(other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        finally:
            other.close()
        assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
        real_backup(live, temp)

    monkeypatch.setattr(copy, "_backup", save_and_checkpoint_then_copy)
    backup = back_up(db.data_dir, reason="manual").backup
    assert seen[0][2] == 0  # the checkpoint moved nothing into the file
    assert sidecar(backup.path)["checks"] == list(copy.PAGE_CHECKS)
    assert backup.clients == 5
