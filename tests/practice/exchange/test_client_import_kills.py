"""A real `fascia-cli import` of clients killed (SIGKILL) at random moments leaves all of the
import or none of it, and a practice that opens."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.practice.kills import cli, run, run_and_kill, timed
from tests.practice.store.helpers import assert_opens, client_count

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

KILLS = 20

IMPORTED = 3000


def test_killing_an_import_leaves_all_of_it_or_none_and_a_practice_that_opens(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "practice"
    run(cli(data_dir, "demo", "--clients", "3"))
    rows = "\n".join(f"Client{k},Test,1980-01-{1 + k % 28:02d}" for k in range(IMPORTED))
    source = tmp_path / "clients.csv"
    source.write_text("First Name,Last Name,Birth Date\n" + rows + "\n", encoding="utf-8")
    command = cli(data_dir, "import", str(source), "--format", "jane")
    first = client_count(data_dir / "fascia.db")
    duration = timed([*command, "--dry-run"])  # the reading and checking part
    rng = random.Random(7)
    for _ in range(KILLS // 2):
        run_and_kill(command, duration * 2.4 * rng.random() ** 0.5)
        count = client_count(data_dir / "fascia.db")
        assert count in (first, first + IMPORTED), count  # never a part of the file
        assert_opens(data_dir)
        if count != first:
            break  # it finished: a second run would only find duplicates
