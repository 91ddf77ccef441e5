"""When an open practice backs itself up: on close, at most every N minutes while changed."""

from __future__ import annotations

from pathlib import Path

from practice.store import Database, open_database
from practice.store.backups.auto import AutoBackup
from practice.store.backups.run import back_up
from practice.store.backups.settings import save_backup_settings
from tests.practice.store.helpers import add_clients, backup_files


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def folder(db: Database) -> Path:
    return db.data_dir / "backups"


def test_closing_without_changes_since_the_last_backup_makes_none(db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    auto = AutoBackup(db)
    db.sign_in()  # reads only
    assert auto.on_close() is None
    assert len(backup_files(folder(db))) == 1


def test_closing_after_a_save_backs_up_with_that_save(db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    auto = AutoBackup(db)
    add_clients(db, 1)
    outcome = auto.on_close()
    assert outcome is not None and outcome.backup.reason == "close"
    assert outcome.backup.clients == 1


def test_a_practice_never_backed_up_is_backed_up_on_close(db: Database) -> None:
    assert AutoBackup(db).on_close() is not None


def test_automatic_backups_wait_for_the_interval_and_for_a_change(db: Database) -> None:
    save_backup_settings(db, "", 30)
    back_up(db.data_dir, reason="manual")
    clock = Clock()
    auto = AutoBackup(db, clock=clock)
    clock.now += 31 * 60
    assert auto.tick() is None, "nothing changed"
    add_clients(db, 1)
    clock.now += 60
    first = auto.tick()
    assert first is not None and first.backup.reason == "auto"
    add_clients(db, 1, start=5)
    clock.now += 10 * 60
    assert auto.tick() is None, "changed, but the last backup is 10 minutes old"
    clock.now += 21 * 60
    assert auto.tick() is not None


def test_the_interval_follows_the_setting(db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    save_backup_settings(db, "", 5)
    clock = Clock()
    auto = AutoBackup(db, clock=clock)
    add_clients(db, 1)
    clock.now += 6 * 60
    assert auto.tick() is not None


def test_changes_from_a_session_that_crashed_are_backed_up_in_the_next(data_dir: Path) -> None:
    db = open_database(data_dir, actor="test")
    back_up(data_dir, reason="manual")
    auto = AutoBackup(db)
    add_clients(db, 2)
    auto.tick()  # notices the change (not yet due)
    db.close()  # the app dies here: no closing backup
    db = open_database(data_dir, actor="test")
    try:
        outcome = AutoBackup(db).on_close()
        assert outcome is not None and outcome.backup.clients == 2
    finally:
        db.close()


def test_back_up_now_always_backs_up(db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    assert AutoBackup(db).now().backup.reason == "manual"
    assert len(backup_files(folder(db))) == 2
