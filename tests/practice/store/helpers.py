"""Small helpers for the storage tests: a practice with clients, and looking at backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store import Database, open_database
from practice.store.backups import catalog

NAMES = [("김", "민지"), ("Chloé", "Dubois"), ("אורי", "כהן"), ("Siobhán", "O'Brien")]


def add_clients(db: Database, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        given, family = NAMES[n % len(NAMES)]
        service.create_client(db, ClientForm(given_name=f"{given}{n}", family_name=family))


def practice_with_clients(data_dir: Path, count: int) -> None:
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
