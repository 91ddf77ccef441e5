"""fascia-cli backup, backups and restore, as a therapist would use them in a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice.cli import main
from practice.store import open_database
from practice.store.backups.settings import save_backup_settings
from tests.practice.store.helpers import client_names, practice_with_clients


@pytest.fixture
def practice(data_dir: Path, migrated_db_file: Path) -> Path:
    practice_with_clients(data_dir, 4, migrated_db_file)
    return data_dir


def cli(practice: Path, *args: str) -> int:
    return main(["--data-dir", str(practice), *args])


def test_backup_then_backups_lists_it_as_verified_with_its_contents(
    practice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(practice, "backup") == 0
    out = capsys.readouterr().out
    assert "verified: 4 clients, 0 visits, 0 invoices" in out
    assert cli(practice, "backups") == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2
    assert "manual" in listing[1] and "verified" in listing[1] and "4 clients" in listing[1]


def test_backups_marks_a_file_that_was_never_verified(
    practice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = practice / "backups"
    folder.mkdir()
    (folder / "fascia-20250102-093000-manual.db").write_bytes((practice / "fascia.db").read_bytes())
    cli(practice, "backups")
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith("2025-01-02 09:30") and "NOT VERIFIED" in line


def test_backups_of_a_practice_never_backed_up_says_where_they_will_go(
    practice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(practice, "backups") == 0
    assert f"they go to {practice / 'backups'}" in capsys.readouterr().out


def test_restore_puts_a_backup_back_and_says_where_the_old_practice_is(
    practice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(practice, "backup")
    backup = next((practice / "backups").glob("fascia-*.db"))
    db = open_database(practice, actor="test")
    from tests.practice.store.helpers import add_clients

    add_clients(db, 2, start=50)
    db.close()
    capsys.readouterr()
    assert cli(practice, "restore", str(backup)) == 0
    out = capsys.readouterr().out
    assert f"Restored {backup}" in out and "4 clients" in out
    assert "-before-restore.db" in out
    assert client_names(practice / "fascia.db") == client_names(backup)


def test_restore_refuses_an_unverifiable_file_with_one_line(
    practice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 2048)
    before = (practice / "fascia.db").read_bytes()
    assert cli(practice, "restore", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"fascia-cli: {bad} cannot be restored: it is not a database")
    assert (practice / "fascia.db").read_bytes() == before


def test_backup_with_the_second_drive_unplugged_still_backs_up_and_warns(
    practice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    db = open_database(practice)
    save_backup_settings(db, str(usb), 30)
    db.close()
    usb.rmdir()
    assert cli(practice, "backup") == 0
    captured = capsys.readouterr()
    assert "Backup written to" in captured.out
    assert "second copy not made" in captured.err and "plugged in" in captured.err


def test_backup_of_a_folder_without_a_practice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path / "empty", "backup") == 2
    assert "No practice database" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "fascia.db").exists()
