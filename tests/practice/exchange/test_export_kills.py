"""A real `fascia-cli export` killed (SIGKILL) at random moments never leaves a file under the
archive's name that looks complete but is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from practice.exchange.archive import verify_archive
from tests.practice.kills import cli, kill_runs, run, timed

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CLIENTS = 60
KILLS = 20


@pytest.fixture(scope="module")
def demo_practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice whose export takes long enough for kills to land inside it."""
    folder = tmp_path_factory.mktemp("export-kills") / "demo"
    run(cli(folder, "demo", "--clients", str(CLIENTS)))
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
    run(command)
    assert verify_archive(out).counts["client"] == CLIENTS
    assert [p.name for p in out.parent.iterdir()] == [out.name]
