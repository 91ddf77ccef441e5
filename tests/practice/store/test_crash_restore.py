"""Real processes killed (SIGKILL) at random moments during restores.

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

from practice.store.backups.run import back_up
from tests.practice.kills import cli, kill_runs, timed
from tests.practice.store.helpers import BackupWatch, assert_opens, client_count

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

KILLS = 30


def test_killing_restores_leaves_the_old_practice_or_the_restored_one(
    demo_practice: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "practice"
    shutil.copytree(demo_practice, data_dir)
    smaller = back_up(data_dir, reason="manual").backup
    conn = sqlite3.connect(data_dir / "fascia.db")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE client SET notes = 'restore test'")
    conn.commit()
    conn.close()
    larger = back_up(data_dir, reason="manual").backup
    expected = {client_count(data_dir / "fascia.db")}
    watch = BackupWatch(data_dir / "backups")
    seen = set()

    def restore(n: int) -> list[str]:
        return cli(data_dir, "restore", str((smaller, larger)[n % 2].path))

    def check(n: int, status: int) -> None:
        assert_opens(data_dir)
        assert client_count(data_dir / "fascia.db") in expected
        notes = _notes(data_dir / "fascia.db")
        assert notes in ({""}, {"restore test"}), "old content or new, never a mixture"
        seen.add(frozenset(notes))
        watch.assert_all_verified()

    kill_runs(
        restore, duration=timed(restore(0)), kills=KILLS, seed=29, after=check,
        enough=lambda: len(seen) == 2,  # restores completed in between, both ways
    )  # fmt: skip


def _notes(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[0] for row in conn.execute("SELECT DISTINCT notes FROM client")}
    finally:
        conn.close()
