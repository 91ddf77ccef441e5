"""Private files: the practice folder 0700 and its files 0600 whatever the umask; previews in a
private folder that is emptied when Fascia ends and swept at the next start."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from practice.store import open_database
from practice.store.private import PrivateTemp

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

MODES_UNDER_UMASK_000 = """
import json, os, stat, sys
from pathlib import Path
os.umask(0)
from practice.store import open_database
from practice.store.backups.run import back_up
from tests.practice.store.helpers import add_clients
folder = Path(sys.argv[1])
db = open_database(folder, actor="test")
add_clients(db, 2)
back_up(folder, reason="manual")
modes = {
    str(p.relative_to(folder)): oct(stat.S_IMODE(p.stat().st_mode))
    for p in [folder, *sorted(folder.rglob("*"))]
}
db.close()
print(json.dumps(modes))
"""


def test_folder_and_every_file_are_private_even_with_umask_000(tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    result = subprocess.run(
        [sys.executable, "-c", MODES_UNDER_UMASK_000, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    modes = json.loads(result.stdout)
    assert {"fascia.db", "fascia.db-wal", "fascia.db-shm", "fascia.lock"} <= set(modes)
    assert any(name.startswith("backups/fascia-") for name in modes)
    for name, mode in modes.items():
        is_dir = name == "." or name == "backups"
        assert mode == ("0o700" if is_dir else "0o600"), (name, mode)


def test_an_existing_practice_open_to_others_is_made_private_when_opened(data_dir: Path) -> None:
    open_database(data_dir).close()
    data_dir.chmod(0o755)
    (data_dir / "fascia.db").chmod(0o644)
    open_database(data_dir).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "fascia.db").stat().st_mode) == 0o600


def test_private_temp_folder_is_owner_only_and_emptied_when_done(tmp_path: Path) -> None:
    temp = PrivateTemp(tmp_path / "runtime")
    folder = temp.start()
    (folder / "Treatment summary Chloé Dubois.pdf").write_bytes(b"%PDF-1.7")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "runtime").stat().st_mode) == 0o700
    temp.stop()
    assert not folder.exists()


def test_next_start_sweeps_what_a_crashed_fascia_left_but_not_a_running_ones(
    tmp_path: Path,
) -> None:
    root = tmp_path / "runtime"
    crashed = root / "p999999"
    crashed.mkdir(parents=True)
    (crashed / "Visit note.pdf").write_bytes(b"%PDF")
    running = root / "p888888"
    running.mkdir()
    (running / "Invoice.pdf").write_bytes(b"%PDF")
    other_process = FileLock(str(running / ".in-use"))
    other_process.acquire()
    try:
        temp = PrivateTemp(root)
        temp.start()
        assert not crashed.exists()
        assert (running / "Invoice.pdf").exists()
        temp.stop()
    finally:
        other_process.release()


def test_other_files_in_a_folder_chosen_by_hand_are_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    script = folder / "notes.sh"
    script.write_text("echo hello")
    script.chmod(0o755)
    open_database(folder).close()
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "fascia.db").stat().st_mode) == 0o600
