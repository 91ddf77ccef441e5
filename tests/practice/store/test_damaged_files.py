"""Damaged practice files: a clear message naming the file, the newest backup offered, the file
kept exactly as it was; never a traceback and never a silent new practice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from practice.cli import main
from practice.errors import DamagedDatabaseError
from practice.store import open_database
from practice.store.backups.restore import restore_backup
from practice.store.backups.run import back_up
from tests.practice.store.helpers import client_names, practice_with_clients


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def another_apps_alembic(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute("CREATE TABLE client (id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    conn.commit()
    conn.close()


DAMAGE = {
    "empty": (empty, "it is empty (0 bytes)"),
    "truncated": (truncated, "it has been cut short"),
    "garbage": (garbage, "it is not a database"),
    "foreign": (foreign, "it is not a Fascia practice"),
    "another app's alembic": (another_apps_alembic, "it is not a Fascia practice"),
}


@pytest.fixture
def practice(data_dir: Path, migrated_db_file: Path) -> Path:
    practice_with_clients(data_dir, 3, migrated_db_file)
    return data_dir / "fascia.db"


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_file_is_refused_by_name_and_left_untouched(practice: Path, kind: str) -> None:
    damage, reason = DAMAGE[kind]
    damage(practice)
    before = practice.read_bytes()
    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(practice.parent)
    assert str(practice) in str(raised.value) and reason in str(raised.value)
    assert practice.read_bytes() == before, "the damaged file is never changed"
    assert sorted(p.name for p in practice.parent.iterdir()) == ["fascia.db", "fascia.lock"]


def test_zero_byte_file_is_not_a_new_practice(data_dir: Path) -> None:
    (data_dir / "fascia.db").write_bytes(b"")
    with pytest.raises(DamagedDatabaseError, match="empty"):
        open_database(data_dir)
    assert (data_dir / "fascia.db").stat().st_size == 0


def test_the_message_offers_the_newest_verified_backup(practice: Path) -> None:
    backup = back_up(practice.parent, reason="manual").backup
    empty(practice)
    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(practice.parent)
    assert raised.value.newest_backup == backup.path
    assert f"fascia-cli restore {backup.path}" in str(raised.value)


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_cli_check_fails_on_a_damaged_file_with_one_line(
    practice: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    DAMAGE[kind][0](practice)
    assert main(["--data-dir", str(practice.parent), "check"]) == 1
    captured = capsys.readouterr()
    assert "All checks passed" not in captured.out
    assert len(captured.err.strip().splitlines()) == 1
    assert str(practice) in captured.err


def test_cli_on_a_damaged_file_never_prints_a_traceback(practice: Path) -> None:
    garbage(practice)
    result = subprocess.run(
        [sys.executable, "-m", "practice.cli", "--data-dir", str(practice.parent), "backup"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "cannot be opened" in result.stderr


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_restoring_over_a_damaged_file_sets_it_aside_and_brings_the_practice_back(
    practice: Path, kind: str
) -> None:
    names = client_names(practice)
    backup = back_up(practice.parent, reason="manual").backup
    damage: Callable[[Path], None] = DAMAGE[kind][0]
    damage(practice)
    damaged_bytes = practice.read_bytes()
    restored = restore_backup(practice.parent, backup.path)
    assert restored.damaged and restored.kept is not None
    assert restored.kept.name.startswith("fascia.db.damaged-")
    assert restored.kept.read_bytes() == damaged_bytes, "kept aside, never deleted"
    db = open_database(practice.parent)
    db.close()
    assert client_names(practice) == names
