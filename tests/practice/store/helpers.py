"""Small helpers for the storage tests: a practice with clients, and looking at backups."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store import Database, open_database
from practice.store.backups import catalog
from practice.store.backups.verify import file_sha256

NAMES = [("김", "민지"), ("Chloé", "Dubois"), ("אורי", "כהן"), ("Siobhán", "O'Brien")]


def add_clients(db: Database, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        given, family = NAMES[n % len(NAMES)]
        service.create_client(db, ClientForm(given_name=f"{given}{n}", family_name=family))


def practice_with_clients(data_dir: Path, count: int, migrated: Path) -> None:
    """A practice in `data_dir` with `count` clients, from a copy of `migrated` (the
    `migrated_db_file` fixture: the head schema without running the migrations again)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, data_dir / "fascia.db")
    db = open_database(data_dir, actor="test-therapist")
    try:
        add_clients(db, count)
    finally:
        db.close()


def client_names(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("SELECT given_name FROM client ORDER BY id")]
    finally:
        conn.close()


def backup_files(folder: Path) -> list[Path]:
    """Files under a normal backup name (what a person would take for a backup)."""
    return sorted(p for p in folder.glob("fascia-*.db") if catalog.NAME.match(p.name))


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


class BackupWatch:
    """Checks every file that appears under a backup name (each once: files never change)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.checked: set[tuple[str, int]] = set()

    def assert_all_verified(self) -> None:
        for path in backup_files(self.folder):
            key = (path.name, path.stat().st_size)
            if key in self.checked:
                continue
            listed = catalog.describe(path)
            assert listed is not None and listed.verified, f"{path.name} is not verified"
            assert file_sha256(path) == listed.sha256, f"{path.name} is incomplete"
            assert integrity_ok(path)
            self.checked.add(key)


def client_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM client").fetchone()[0])
    finally:
        conn.close()


def assert_opens(data_dir: Path) -> None:
    db = open_database(data_dir)
    db.close()
    assert integrity_ok(data_dir / "fascia.db")
