"""Seals written by Fascia's own work: every final record sealed once, re-sealed on the changes
Fascia itself makes (a void, a withdrawal), a chain from the first open of an older practice."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from practice.paths import DB_FILENAME
from practice.store import Database, open_database
from practice.store.seal.kinds import COLUMNS, KINDS, UNSEALED
from practice.store.seal.verify import verify_records


def test_every_final_record_of_a_busy_practice_is_sealed_and_intact(sealed_db: Database) -> None:
    result = verify_records(sealed_db)
    assert result.ok, result.problems
    with sealed_db.read() as session:
        conn = sealed_db.raw_connection(session)
        for kind in KINDS:
            finals = conn.execute(f"SELECT count(*) FROM ({kind.final_ids()})").fetchone()[0]
            sealed = conn.execute(
                "SELECT count(DISTINCT entity_id) FROM seal WHERE kind = ?", (kind.name,)
            ).fetchone()[0]
            assert finals == sealed, kind.name
    assert result.records > 100
    assert result.summary().startswith("Records intact:")


def test_a_consent_withdrawn_in_fascia_is_sealed_again_and_stays_intact(
    sealed_db: Database,
) -> None:
    from practice.clients import service as clients

    with sealed_db.read() as session:
        consent_id = (
            sealed_db.raw_connection(session)
            .execute("SELECT min(id) FROM consent WHERE withdrawn_at IS NULL")
            .fetchone()[0]
        )
    clients.withdraw_consent(sealed_db, consent_id, "Moved away")
    assert verify_records(sealed_db).ok


def test_a_practice_from_before_seals_gets_its_chain_on_first_open(practice_copy: Path) -> None:
    conn = sqlite3.connect(practice_copy / DB_FILENAME, isolation_level=None)
    try:
        for name in ("seal_append_only_delete", "seal_replace_guard"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DELETE FROM seal")
    finally:
        conn.close()
    db = open_database(practice_copy, actor="jordan")
    try:
        result = verify_records(db)
    finally:
        db.close()
    assert result.ok and result.seals == result.records > 100


def test_every_column_of_a_sealed_table_is_sealed_or_deliberately_left_out(
    sealed_db: Database,
) -> None:
    with sealed_db.read() as session:
        conn = sealed_db.raw_connection(session)
        for table, columns in COLUMNS.items():
            actual = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert actual == set(columns) | set(UNSEALED.get(table, ())), table


def test_fascia_cli_check_names_a_changed_note_in_one_line_and_fails(
    sealed_db: Database, practice_copy: Path
) -> None:
    sealed_db.close()
    conn = sqlite3.connect(practice_copy / DB_FILENAME, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER soap_note_locked_update")
        conn.execute(
            "UPDATE soap_note SET complaint = 'forged' WHERE visit_id ="
            " (SELECT min(id) FROM visit WHERE signed_at IS NOT NULL)"
        )
    finally:
        conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "practice.cli", "--data-dir", str(practice_copy), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if line.startswith("Records")]
    assert len(lines) == 1
    assert "Records tampered with: 1 problem: signed visit note" in lines[0]
    assert "was changed after it was sealed" in lines[0]
    assert "records were tampered with" in done.stderr


def test_check_against_a_backup_finds_the_newest_records_removed_with_their_seals(
    sealed_db: Database, practice_copy: Path
) -> None:
    from practice.store.backups.run import back_up
    from practice.store.seal.against import rewritten_since

    backup = back_up(practice_copy, reason="manual").backup.path

    def against() -> list[str]:
        with sealed_db.read() as session:
            return rewritten_since(sealed_db.raw_connection(session), backup)

    assert against() == []
    conn = sqlite3.connect(practice_copy / DB_FILENAME, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER seal_append_only_delete")
        conn.execute("DROP TRIGGER audit_entry_append_only_delete")
        newest = conn.execute("SELECT max(id) FROM seal").fetchone()[0]
        audit = conn.execute("SELECT entity_id FROM seal WHERE id = ?", (newest,)).fetchone()[0]
        conn.execute("DELETE FROM seal WHERE id = ?", (newest,))
        conn.execute("DELETE FROM audit_entry WHERE id = ?", (audit,))
    finally:
        conn.close()
    assert verify_records(sealed_db).ok  # the file alone cannot tell
    assert against() == [f"seals up to {newest} were in the backup and are gone from the practice"]
