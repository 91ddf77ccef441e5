"""Backup settings: the second destination and the interval, validated and audited."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import FasciaError, ValidationError
from practice.store import Database
from practice.store.audit import AuditEntry
from practice.store.backups.settings import (
    BackupSettings,
    get_backup_settings,
    save_backup_settings,
)


def test_defaults_before_anything_is_chosen(db: Database) -> None:
    assert get_backup_settings(db) == BackupSettings("", None, 30)


def test_saved_settings_are_read_back_and_audited(db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "USB drive"
    usb.mkdir()
    saved = save_backup_settings(db, f"  {usb}  ", 45)
    assert saved.second_folder == str(usb) and saved.every_minutes == 45
    assert saved.second_folder_since is not None
    assert get_backup_settings(db) == saved
    with db.read() as session:
        entry = session.query(AuditEntry).filter_by(entity="backup_settings").one()
    assert entry.changes["second_folder"] == [None, str(usb)]


def test_the_since_date_moves_only_when_the_folder_changes(db: Database, tmp_path: Path) -> None:
    first = save_backup_settings(db, str(tmp_path), 30)
    again = save_backup_settings(db, str(tmp_path), 60)
    assert again.second_folder_since == first.second_folder_since


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("relative/folder", "full path"),
        ("/no/such/drive/Fascia", "not there"),
        ("/tmp\x00evil", "not a folder path"),
        ("/" + "x" * 5000, "not a folder path"),
    ],
)
def test_bad_folders_get_a_message_next_to_the_field(
    db: Database, folder: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        save_backup_settings(db, folder, 30)
    assert raised.value.field == "second_folder" and message in raised.value.errors["second_folder"]
    assert get_backup_settings(db) == BackupSettings()


def test_a_folder_inside_the_practice_is_refused(db: Database) -> None:
    inside = db.data_dir / "backups"
    inside.mkdir(exist_ok=True)
    with pytest.raises(ValidationError, match="inside the practice folder"):
        save_backup_settings(db, str(inside), 30)


@pytest.mark.parametrize("every", [0, 4, 241, -30, 10**18, True, math.nan, math.inf, "30"])
def test_absurd_intervals_are_refused(db: Database, every: object) -> None:
    with pytest.raises(ValidationError) as raised:
        save_backup_settings(db, "", every)  # type: ignore[arg-type]
    assert raised.value.field == "every_minutes"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    folder=st.one_of(st.text(max_size=300), st.sampled_from(["", "/", "/tmp", "~", "."])),
    every=st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()),
)
def test_any_input_saves_valid_settings_or_raises_a_fascia_error(
    db: Database, folder: str, every: object
) -> None:
    try:
        saved = save_backup_settings(db, folder, every)  # type: ignore[arg-type]
    except FasciaError:
        pass
    else:
        assert 5 <= saved.every_minutes <= 240
        assert saved.second_folder == "" or Path(saved.second_folder).is_dir()
    stored = get_backup_settings(db)
    assert 5 <= stored.every_minutes <= 240
    assert stored.second_folder == "" or Path(stored.second_folder).is_absolute()


def test_a_folder_naming_a_user_with_no_home_is_refused_with_a_message(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        save_backup_settings(db, "~no-such-user-here/backups", 30)
    assert "full path" in refused.value.errors["second_folder"]
