"""A real `fascia-cli export` killed (SIGKILL) at random moments never leaves a file under the
archive's name that looks complete but is not."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest

from practice.exchange.archive import verify_archive
from tests.practice.kills import ROOT, cli, kill_runs, run_and_kill, timed
from tests.practice.store.helpers import assert_opens, client_count

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CLIENTS = 60
KILLS = 20


@pytest.fixture(scope="module")
def demo_practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice whose export takes long enough for kills to land inside it."""
    folder = tmp_path_factory.mktemp("export-kills") / "demo"
    subprocess.run(
        cli(folder, "demo", "--clients", str(CLIENTS)), cwd=ROOT, check=True, capture_output=True
    )
    return folder


def test_killing_an_export_never_leaves_an_incomplete_archive_under_its_name(
    demo_practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports" / "practice.zip"
    out.parent.mkdir()
    command = cli(demo_practice, "export", "--out", str(out))

    def check(n: int, status: int) -> None:
        if out.exists():
            manifest = verify_archive(out)  # whole and unchanged, or it raises
            assert manifest.counts["client"] == CLIENTS
        else:
            assert status != 0, "a finished export left its archive"
        leftovers = [p.name for p in out.parent.iterdir() if p != out]
        assert all(
            name.startswith(".practice.zip.") and name.endswith(".partial") for name in leftovers
        )
        assert len(leftovers) <= 1  # each export removes what a killed one left

    kill_runs(
        lambda n: command, duration=timed(command, before=lambda: out.unlink(missing_ok=True)),
        kills=KILLS, seed=7, before=lambda n: out.unlink(missing_ok=True), after=check,
    )  # fmt: skip
    # An export after the kills verifies, and nothing of the killed ones is left beside it.
    out.unlink(missing_ok=True)
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    assert verify_archive(out).counts["client"] == CLIENTS
    assert [p.name for p in out.parent.iterdir()] == [out.name]


IMPORTED = 3000


def test_killing_an_import_leaves_all_of_it_or_none_and_a_practice_that_opens(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "practice"
    subprocess.run(cli(data_dir, "demo", "--clients", "3"), cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
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
