"""A real `fascia-cli demo` killed (SIGKILL) at random moments leaves a practice that opens and
passes `fascia-cli check` (every record it holds sealed, the files whole), and a second
`demo` there either fills it (nothing of the demo was saved) or is refused in one clear line.
The demo is built on a copy beside the practice file (`practice.demo_aside`), its visits in a
forked process: the copy a kill leaves is swept when the folder is next opened."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.practice.kills import cli, kill_runs, timed
from tests.practice.warm_cli import shared

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CLIENTS = "20"
KILLS = 5


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    """fascia-cli COMMAND (from `cli`) to its end, in a process forked from the warm parent."""
    return shared().completed(command)


@pytest.mark.timeout(900)  # a dozen demos, checks and second demos, each its own process
def test_a_demo_killed_at_any_moment_leaves_a_practice_that_checks_out_or_is_refused_clearly(
    tmp_path: Path,
) -> None:
    folders = [tmp_path / f"run{n}" for n in range(KILLS * 5)]
    outcomes = {"refused": 0, "filled": 0}

    def check(n: int, status: int) -> None:
        folder = folders[n]
        if not (folder / "fascia.db").exists():
            return  # killed before the practice file was made: nothing to open
        checked = _run(cli(folder, "check"))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "Integrity check: ok" in checked.stdout
        # A demo killed while it was built aside leaves its copy; opening the folder sweeps it.
        assert not list(folder.glob(".fascia-*")), sorted(p.name for p in folder.iterdir())
        again = _run(cli(folder, "demo", "--clients", CLIENTS))
        assert "Traceback" not in again.stderr
        if again.returncode == 0:
            outcomes["filled"] += 1
            assert f"{CLIENTS} clients" in again.stdout
        else:
            outcomes["refused"] += 1
            assert again.stderr.count("\n") == 1, again.stderr
            assert "already has clients" in again.stderr
        shutil.rmtree(folder)

    scratch = tmp_path / "timed"
    command = cli(scratch, "demo", "--clients", CLIENTS)
    duration = timed(command, before=lambda: shutil.rmtree(scratch, ignore_errors=True))
    tally = kill_runs(
        lambda n: cli(folders[n], "demo", "--clients", CLIENTS),
        duration=duration, kills=KILLS, seed=17, after=check,
    )  # fmt: skip
    assert tally.killed >= KILLS
    assert sum(outcomes.values()) >= KILLS  # most kills landed after the practice file was made
