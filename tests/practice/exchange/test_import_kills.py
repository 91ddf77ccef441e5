"""`fascia-cli import --visits` killed (SIGKILL) at random moments: the practice opens and holds
either none of the file's visits or all of them, and no backup name holds an unverified file."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import open_database
from tests.practice.kills import cli, kill_runs, timed
from tests.practice.store.helpers import BackupWatch, assert_opens

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CLIENTS = 40
VISITS = 2000
KILLS = 10


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A practice of 40 clients, and a Jane-shaped file of 2,000 of their past visits."""
    folder = tmp_path_factory.mktemp("kills")
    practice = folder / "practice"
    db = open_database(practice, actor="test-therapist")
    try:
        for k in range(CLIENTS):
            clients.create_client(db, ClientForm(f"Chloé{k}", "Dubois-Ng"))
    finally:
        db.close()
    path = folder / "appointments.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Start At", "End At", "Patient", "Treatment", "State"])
        for k in range(VISITS):
            day = date(2020, 1, 1) + timedelta(days=k // CLIENTS)
            name = f"Chloé{k % CLIENTS} Dubois-Ng"
            writer.writerow([f"{day} 09:00", f"{day} 10:00", name, "Massage 60", "Arrived"])
    return practice, path


def visit_count(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "fascia.db")
    try:
        return int(conn.execute("SELECT count(*) FROM visit").fetchone()[0])
    finally:
        conn.close()


def test_killing_a_visit_import_leaves_none_or_all_of_its_visits(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    practice, path = base
    command = ["import", str(path), "--visits", "--format", "jane"]
    fresh = tmp_path / "fresh"

    def reset() -> None:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(practice, fresh)

    duration = timed(cli(fresh, *command), before=reset)
    assert visit_count(fresh) == VISITS

    def target(n: int) -> Path:
        return tmp_path / f"run{n}"

    def check(n: int, status: int) -> None:
        count = visit_count(target(n))
        assert count in (0, VISITS), f"a kill left {count} visits"
        assert status != 0 or count == VISITS
        BackupWatch(target(n) / "backups").assert_all_verified()
        assert_opens(target(n))

    kill_runs(
        lambda n: cli(target(n), *command), duration=duration, kills=KILLS, seed=17,
        before=lambda n: shutil.copytree(practice, target(n)), after=check,
    )  # fmt: skip
