"""What the app is told about backing up: the newest backup and when to warn."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from practice.errors import BackupError
from practice.store import Database
from practice.store.backups import copy
from practice.store.backups.overview import backup_overview
from practice.store.backups.run import back_up
from practice.store.backups.settings import save_backup_settings

NOW = datetime.now(UTC)


def test_no_warning_while_all_is_well(db: Database) -> None:
    backup = back_up(db.data_dir, reason="manual").backup
    overview = backup_overview(db.data_dir)
    assert overview.newest == backup
    assert overview.warning(NOW) is None


def test_a_failed_check_warns_until_a_backup_succeeds(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    back_up(db.data_dir, reason="manual")
    monkeypatch.setattr(copy, "_backup", lambda live, temp: temp.write_bytes(b"x" * 8192))
    with pytest.raises(BackupError):
        back_up(db.data_dir, reason="auto")
    warning = backup_overview(db.data_dir).warning(NOW)
    assert warning is not None and warning.kind == "failed"
    assert "not a database" in warning.detail or "failed its check" in warning.detail
    monkeypatch.undo()
    back_up(db.data_dir, reason="manual")
    assert backup_overview(db.data_dir).warning(NOW) is None


def test_a_second_destination_not_reached_for_a_week_warns(db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    save_backup_settings(db, str(usb), 30)
    back_up(db.data_dir, reason="manual")
    assert backup_overview(db.data_dir).warning(NOW + timedelta(days=6)) is None
    shutil.rmtree(usb)  # unplugged for good
    back_up(db.data_dir, reason="manual")
    warning = backup_overview(db.data_dir).warning(NOW + timedelta(days=8))
    assert warning is not None and warning.kind == "second_overdue"
    assert str(usb) in warning.title and "plugged in" in warning.detail


def test_a_second_destination_never_reached_warns_a_week_after_it_was_chosen(
    db: Database, tmp_path: Path
) -> None:
    save_backup_settings(db, str(tmp_path), 30)
    overview = backup_overview(db.data_dir)
    assert overview.warning(NOW + timedelta(days=2)) is None
    warning = overview.warning(NOW + timedelta(days=8))
    assert warning is not None and "yet" in warning.title
