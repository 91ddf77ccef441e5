"""Upgrades run on a copy that replaces the practice only once it is verified."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from practice.clients import service
from practice.store import open_database, schema
from practice.store.backups.catalog import backups_dir
from practice.store.backups.listing import all_backups
from tests.practice.store.helpers import client_names


def old_practice(data_dir: Path, revision: str = "0001") -> Path:
    path = data_dir / "fascia.db"
    schema.upgrade(path, revision)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO client (given_name, family_name, preferred_name, pronouns, sex, phone_mobile,"
        " phone_other, email, address, occupation, emergency_contact_name,"
        " emergency_contact_phone, emergency_contact_relation, referral_source, found_us, notes,"
        " archived, search_text, sort_key, created_at, updated_at) VALUES ('Chloé', '', '', '',"
        " '', '', '', '', '', '', '', '', '', '', '', '', 0, 'chloe', '', '2026-01-01',"
        " '2026-01-01')"
    )
    conn.commit()
    conn.close()
    return path


def test_upgrade_keeps_a_verified_backup_of_the_old_schema(data_dir: Path) -> None:
    old_practice(data_dir)
    db = open_database(data_dir)
    db.close()
    (backup,) = all_backups(data_dir)
    assert backup.verified and backup.schema == "0001"
    assert backup.reason == f"before-upgrade-to-{schema.head_revision()}"
    assert backup.path == db.backup_path


def test_a_failed_migration_leaves_the_old_practice_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = old_practice(data_dir)
    real_upgrade = schema.upgrade

    def half_way_then_fail(db_path: Path, revision: str = "head") -> None:
        real_upgrade(db_path, "0003")
        raise RuntimeError("power cut during the migration")

    monkeypatch.setattr(schema, "upgrade", half_way_then_fail)
    with pytest.raises(RuntimeError):
        open_database(data_dir)
    assert schema.current_revision(path) == "0001"
    assert client_names(path) == ["Chloé"]
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".")]
    monkeypatch.undo()
    db = open_database(data_dir)
    try:
        assert [c.display_name for c in service.search_clients(db)] == ["Chloé"]
    finally:
        db.close()


def test_a_new_practice_is_created_whole_or_not_at_all(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_upgrade = schema.upgrade

    def fail_midway(db_path: Path, revision: str = "head") -> None:
        real_upgrade(db_path, "0002")
        raise RuntimeError("killed")

    monkeypatch.setattr(schema, "upgrade", fail_midway)
    with pytest.raises(RuntimeError):
        open_database(data_dir)
    assert not (data_dir / "fascia.db").exists(), "no half-made practice file"


def test_an_upgraded_copy_that_fails_its_check_is_not_swapped_in(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practice.errors import BackupError

    path = old_practice(data_dir)
    real_upgrade = schema.upgrade

    def upgrade_then_break(db_path: Path, revision: str = "head") -> None:
        real_upgrade(db_path, revision)
        conn = sqlite3.connect(db_path)
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
        conn.commit()
        conn.close()

    monkeypatch.setattr(schema, "upgrade", upgrade_then_break)
    with pytest.raises(BackupError, match="not changed"):
        open_database(data_dir)
    assert schema.current_revision(path) == "0001"


def test_the_practice_file_is_private_after_an_upgrade(data_dir: Path) -> None:
    old_practice(data_dir)
    open_database(data_dir).close()
    assert (data_dir / "fascia.db").stat().st_mode & 0o777 == 0o600
    assert backups_dir(data_dir).stat().st_mode & 0o777 == 0o700


def test_the_clients_of_an_upgraded_practice_are_found_by_the_new_search_index(
    data_dir: Path,
) -> None:
    """Migration 0020 indexes the clients a practice already has, not only those added after."""
    from practice.clients.directory import ClientDirectory, trigram_query

    old_practice(data_dir, "0019")
    db = open_database(data_dir)
    try:
        assert trigram_query("chlo") is not None  # the search goes through the index
        directory = ClientDirectory.of(db)
        assert [row.display_name for row in directory.search("chlo")] == ["Chloé"]
        assert directory.count("hloe") == 1
        directory.close()
    finally:
        db.close()
