"""Real processes killed (SIGKILL) at random moments during backups.

After every kill: no file under a normal backup name is incomplete or unverified, and the
practice opens (with either the old content or the new, never anything else). Backups,
restores and upgrades are in three files, so that parallel workers share them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from practice.store.backups.run import back_up
from tests.practice.kills import cli, kill_runs, timed
from tests.practice.store.helpers import BackupWatch, assert_opens

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

KILLS = 30


def test_killing_backups_never_leaves_an_unverified_file_under_a_backup_name(
    demo_practice: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "practice"
    shutil.copytree(demo_practice, data_dir)
    command = cli(data_dir, "backup")
    watch = BackupWatch(data_dir / "backups")
    kill_runs(
        lambda n: command, duration=timed(command), kills=KILLS, seed=13,
        after=lambda n, status: watch.assert_all_verified(),
        enough=lambda: len(watch.checked) > 1,  # some backups were completed between the kills
    )  # fmt: skip
    assert_opens(data_dir)
    # What the killed runs left (hidden temporary files) is swept by the next backup.
    back_up(data_dir, reason="manual")
    assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")]
