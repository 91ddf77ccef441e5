"""Real processes killed (SIGKILL) at random moments during upgrades (backup, then migrate).

After every kill: no file under a normal backup name is incomplete or unverified, and the
practice opens (with either the old content or the new, never anything else). Backups,
restores and upgrades are in three files, so that parallel workers share them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from practice.store import schema
from tests.practice.kills import cli, kill_runs, timed
from tests.practice.store.helpers import BackupWatch, assert_opens, client_count

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

KILLS = 30


def test_killing_upgrades_leaves_the_old_schema_or_the_new_and_it_opens(tmp_path: Path) -> None:
    old = tmp_path / "old" / "fascia.db"
    old.parent.mkdir()
    schema.upgrade(old, "0001")
    conn = sqlite3.connect(old)
    conn.executemany(
        "INSERT INTO client (given_name, family_name, preferred_name, pronouns, sex,"
        " phone_mobile, phone_other, email, address, occupation, emergency_contact_name,"
        " emergency_contact_phone, emergency_contact_relation, referral_source, found_us, notes,"
        " archived, search_text, sort_key, created_at, updated_at) VALUES (?, 'Dubois', '', '',"
        " '', '', '', '', '', '', '', '', '', '', '', '', 0, 'x', '', '2026-01-01', '2026-01-01')",
        [(f"Chloé {n}",) for n in range(500)],
    )
    conn.commit()
    conn.close()
    data_dir = tmp_path / "practice"

    def fresh() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir()
        shutil.copy(old, data_dir / "fascia.db")

    command = cli(data_dir, "backup")
    original = old.read_bytes()
    revisions = set()

    def check(n: int, status: int) -> None:
        BackupWatch(data_dir / "backups").assert_all_verified()
        revisions.add(schema.current_revision(data_dir / "fascia.db"))
        if schema.current_revision(data_dir / "fascia.db") == "0001":
            # The old practice, byte for byte as it was (it opens: shown once below).
            assert (data_dir / "fascia.db").read_bytes() == original
        else:
            assert_opens(data_dir)  # the upgraded one: at head, it opens without Alembic
            assert client_count(data_dir / "fascia.db") == 500

    kill_runs(
        lambda n: command, duration=timed(command, before=fresh), kills=KILLS, seed=41,
        before=lambda n: fresh(), after=check,
        enough=lambda: revisions == {"0001", schema.head_revision()},  # kills left both
    )  # fmt: skip
    fresh()
    assert_opens(data_dir)
    assert client_count(data_dir / "fascia.db") == 500
