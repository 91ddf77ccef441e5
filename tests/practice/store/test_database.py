"""The practice file: durable settings, one process at a time, migrations and version checks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from practice.clients import service
from practice.errors import DatabaseLockedError, NewerDatabaseError
from practice.store import open_database, schema


def test_new_folder_gets_a_current_database_with_durable_settings(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        assert (data_dir / "fascia.db").exists()
        assert schema.current_revision(db.path) == schema.head_revision()
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()


def test_second_open_of_the_same_folder_is_refused_with_a_clear_message(data_dir: Path) -> None:
    first = open_database(data_dir)
    try:
        with pytest.raises(DatabaseLockedError, match="already open"):
            open_database(data_dir)
    finally:
        first.close()
    open_database(data_dir).close()  # free again once the first one closes


def test_second_process_on_the_same_folder_is_refused(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        code = (
            "import sys; from pathlib import Path; from practice.store import open_database\n"
            "from practice.errors import DatabaseLockedError\n"
            f"try:\n    open_database(Path({str(data_dir)!r}))\n"
            "except DatabaseLockedError:\n    sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], check=False)
        assert result.returncode == 3
    finally:
        db.close()


def test_database_from_a_newer_fascia_is_refused_and_left_untouched(data_dir: Path) -> None:
    open_database(data_dir).close()
    path = data_dir / "fascia.db"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of Fascia"):
        open_database(data_dir)
    assert path.read_bytes() == before
    open_database(data_dir, migrate=False).close()  # the lock was released


def test_upgrade_from_the_first_schema_keeps_data_and_makes_a_backup(data_dir: Path) -> None:
    path = data_dir / "fascia.db"
    schema.upgrade(path, "0001")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO client (given_name, family_name, preferred_name, pronouns, sex, phone_mobile,"
        " phone_other, email, address, occupation, emergency_contact_name,"
        " emergency_contact_phone, emergency_contact_relation, referral_source, found_us, notes,"
        " archived, search_text, sort_key, created_at, updated_at) VALUES ('김민지', '', '', '',"
        " '', '', '', '', '', '', '', '', '', '', '', '', 0, '김민지', '', '2026-01-01',"
        " '2026-01-01')"
    )
    conn.commit()
    conn.close()
    db = open_database(data_dir)
    try:
        assert db.backup_path is not None and db.backup_path.exists()
        assert schema.current_revision(path) == schema.head_revision()
        assert [r.display_name for r in service.search_clients(db)] == ["김민지"]
    finally:
        db.close()
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    backup.close()


def test_schema_head_matches_alembic(data_dir: Path) -> None:
    from alembic.script import ScriptDirectory

    from practice.store.schema import alembic_config

    script = ScriptDirectory.from_config(alembic_config(data_dir / "x.db"))
    assert script.get_current_head() == schema.head_revision()


def test_models_and_migrations_agree(data_dir: Path) -> None:
    """Autogenerate finds nothing to change: every model change has a migration. The client
    search index, made by a migration alone, is the one set of tables with no model."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from practice import tables  # noqa: F401  (every feature's tables, whatever ran before)
    from practice.store.base import Base

    db = open_database(data_dir)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": schema.compared})
            diffs = compare_metadata(context, Base.metadata)
            unmodelled = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diffs == []
        assert sorted(d[1].name for d in unmodelled) == [
            "client_fts",
            "client_fts_config",
            "client_fts_data",
            "client_fts_idx",
        ]
    finally:
        db.close()


def test_current_schema_opens_without_importing_alembic(data_dir: Path) -> None:
    open_database(data_dir).close()
    code = (
        "import sys; from pathlib import Path; from practice.store import open_database\n"
        f"open_database(Path({str(data_dir)!r})).close()\n"
        "sys.exit(4 if 'alembic' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_saved_client_survives_a_hard_kill_right_after_save(data_dir: Path) -> None:
    code = (
        "import os; from pathlib import Path; from practice.store import open_database\n"
        "from practice.clients import service; from practice.clients.records import ClientForm\n"
        f"db = open_database(Path({str(data_dir)!r}))\n"
        "service.create_client(db, ClientForm(given_name='Siobhán', family_name=\"O'Brien\"))\n"
        "os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9
    db = open_database(data_dir)
    try:
        rows = service.search_clients(db, "siobhan")
        assert [r.display_name for r in rows] == ["Siobhán O'Brien"]
    finally:
        db.close()


def test_upgrade_gives_names_a_casefolded_key_and_flags_old_duplicates(data_dir: Path) -> None:
    """Before 0008, SQLite's ASCII-only lower() let 'Étirements' and 'ÉTIREMENTS' both in."""
    from decimal import Decimal

    from practice.billing import service as billing
    from practice.billing.records import TaxRateForm
    from practice.errors import ValidationError
    from practice.visits import service as visits
    from practice.visits.records import SoapNote

    path = data_dir / "fascia.db"
    schema.upgrade(path, "0007")
    conn = sqlite3.connect(path)
    for name in ("Étirements", "ÉTIREMENTS", "Cou"):
        conn.execute(
            "INSERT INTO visit_template (name, structure, created_at, updated_at) "
            "VALUES (?, '{}', '2026-01-01', '2026-01-01')",
            (name,),
        )
    for name in ("HST", "hst"):
        conn.execute(
            "INSERT INTO tax_rate (name, rate_milli, registration, archived, created_at) "
            "VALUES (?, 13000, '', 0, '2026-01-01')",
            (name,),
        )
    conn.commit()
    conn.close()
    db = open_database(data_dir)
    try:
        with db.engine.connect() as connection:
            keys = connection.exec_driver_sql(
                "SELECT name, name_key FROM visit_template ORDER BY id"
            ).all()
        assert keys == [("Étirements", "étirements"), ("ÉTIREMENTS", None), ("Cou", "cou")]
        with pytest.raises(ValidationError, match="already a template"):
            visits.save_template(db, "étirements", SoapNote())
        duplicate = visits.list_templates(db)[-1]
        assert duplicate.name == "ÉTIREMENTS"
        renamed = visits.save_template(db, "Étirements du cou", SoapNote(), (), duplicate.id)
        assert renamed.name == "Étirements du cou"
        second = billing.list_tax_rates(db)[1]
        with pytest.raises(ValidationError, match="already a tax"):
            billing.save_tax_rate(db, TaxRateForm("Hst", Decimal("13")), second.id)
        assert billing.save_tax_rate(db, TaxRateForm("QST", Decimal("9.975")), second.id)
    finally:
        db.close()
