"""The command line's demo is built on a copy beside the practice file and swapped in whole:
the same practice the in-place demo makes (its visits made in a forked process, batch by
batch), and a failure leaves the practice file as it was with no copy left behind."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from practice import demo
from practice.demo import DemoRefused, generate
from practice.demo_aside import fill
from practice.paths import DB_FILENAME
from practice.store import open_database
from tests.bench.common import ROOT

# Stamped with the moment they were written, so two builds differ there and only there (the
# seal chain follows: its order is the order the records were sealed in).
MOMENTS = {
    "created_at",
    "updated_at",
    "at",
    "issued_at",
    "voided_at",
    "joined_at",
    "due_at",
    "queued_at",
    "sealed_at",
    "chain",
    "content_sha256",
}
BUILD_ASIDE = """
import sys
from pathlib import Path
import practice.visits.demo as visits
visits.BATCH_CLIENTS = 7  # many batches, each crossing the pipe
from practice import forked
from practice.demo_aside import fill
from practice.store import open_database
db = open_database(Path(sys.argv[1]))
try:
    fill(db, clients_count=60, seed=3)
finally:
    db.close()
print("forked" if forked.can_fork() else "in one process")
"""


@pytest.fixture
def empty_practice(tmp_path: Path, migrated_db_file: Path) -> Path:
    folder = tmp_path / "practice"
    folder.mkdir()
    shutil.copyfile(migrated_db_file, folder / DB_FILENAME)
    return folder


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (by rowid), without the columns stamped with the time of writing."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'client_fts%'"
            )
        ]
        contents = {}
        for table in tables:
            columns = [
                f'"{row[1]}"'
                for row in conn.execute(f'PRAGMA table_info("{table}")')
                if row[1] not in MOMENTS
            ]
            query = f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid'
            contents[table] = conn.execute(query).fetchall()
        return contents
    finally:
        conn.close()


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".fascia-"))


def test_the_demo_built_aside_in_forked_batches_is_the_demo_built_in_place(
    tmp_path: Path,
) -> None:
    aside, here = tmp_path / "aside", tmp_path / "here"
    day = date.today()
    script = textwrap.dedent(BUILD_ASIDE)
    built = subprocess.run(
        [sys.executable, "-c", script, str(aside)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == "forked"
    db = open_database(here)
    try:
        generate(db, clients_count=60, seed=3, today=day)
    finally:
        db.close()
    if date.today() != day:
        pytest.skip("midnight passed between the two builds: their dates differ")
    built_aside, built_here = _contents(aside / DB_FILENAME), _contents(here / DB_FILENAME)
    assert built_aside.keys() == built_here.keys()
    assert len(built_here["visit"]) > 500 and len(built_here["treatment_entry"]) > 1000
    # Each batch's records are sealed as it is written: the same records, sealed in batches.
    seals_here, seals_aside = built_here.pop("seal"), built_aside.pop("seal")
    assert sorted(s[1:] for s in seals_aside) == sorted(s[1:] for s in seals_here)
    for table, rows in built_here.items():
        assert built_aside[table] == rows, table
    assert _temps(aside) == []
    mode = sqlite3.connect(aside / DB_FILENAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode in {"wal", "delete"}  # a practice file that keeps a journal, never "off"


def test_a_demo_that_fails_leaves_the_practice_as_it_was_and_no_copy(
    empty_practice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    before = _contents(empty_practice / DB_FILENAME)
    monkeypatch.setattr(demo, "generate_billing", broken)
    db = open_database(empty_practice)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            fill(db, clients_count=30, seed=1)
        assert _temps(empty_practice) == []
        monkeypatch.undo()
        # The practice is still open and still empty: a second demo fills it.
        assert fill(db, clients_count=30, seed=1).clients == 30
    finally:
        db.close()
    assert before["client"] == []
    assert len(_contents(empty_practice / DB_FILENAME)["client"]) == 30


def test_a_practice_with_clients_is_refused_before_any_copy(empty_practice: Path) -> None:
    db = open_database(empty_practice)
    try:
        generate(db, clients_count=3, seed=1)
        before = _contents(empty_practice / DB_FILENAME)
        with pytest.raises(DemoRefused, match="already has clients"):
            fill(db, clients_count=30, seed=2)
    finally:
        db.close()
    assert _temps(empty_practice) == []
    assert _contents(empty_practice / DB_FILENAME) == before


def test_a_demo_copy_that_fails_its_check_is_never_swapped_in(
    empty_practice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practice import demo_aside
    from practice.errors import BackupError

    before = _contents(empty_practice / DB_FILENAME)
    monkeypatch.setattr(demo_aside, "quick_check_problems", lambda _path: ["page 7: torn"])
    db = open_database(empty_practice)
    try:
        with pytest.raises(BackupError, match=r"The demo practice failed its check \(page 7: torn"):
            fill(db, clients_count=10, seed=1)
    finally:
        db.close()
    assert _temps(empty_practice) == []
    assert _contents(empty_practice / DB_FILENAME) == before


def test_a_demo_is_refused_on_a_clinic_server_with_what_to_do_instead(
    server_db_factory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from practice.clients import service as clients
    from practice.errors import ValidationError

    db = server_db_factory(tmp_path / "local")
    try:
        with pytest.raises(ValidationError, match="migrate-to-server"):
            fill(db, clients_count=40, seed=2)
        assert clients.search_clients(db, "") == []
    finally:
        db.close()


def test_a_servers_visits_are_written_batch_by_batch_with_their_notes_and_signatures(
    server_db_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """On a server the batches are SQLAlchemy rows, not the driver's tuples: each batch's own
    rows, written before the next batch is made."""
    from sqlalchemy import func, select

    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.visits import demo as visits
    from practice.visits.models import SoapNoteRow, VisitRow

    monkeypatch.setattr(visits, "BATCH_CLIENTS", 3)
    db = server_db_factory(tmp_path / "local")
    try:
        ids = [
            clients.create_client(db, ClientForm(given_name=f"Aiko{n}", family_name="Tanaka")).id
            for n in range(10)
        ]
        made = visits.generate_visits(db, ids, seed=4, max_visits=10_000)
        with db.read() as session:
            count = session.scalar(select(func.count()).select_from(VisitRow))
            notes = session.scalar(select(func.count()).select_from(SoapNoteRow))
            signed = session.scalar(
                select(func.count()).select_from(VisitRow).where(VisitRow.signed_at.is_not(None))
            )
            owners = set(session.scalars(select(VisitRow.client_id)))
    finally:
        db.close()
    assert made.visits == count == notes > 60
    assert made.signed == signed > 0
    assert len(owners) >= 6  # clients of every batch, not the last one's only


def test_the_demo_says_how_far_it_is_step_by_step_up_to_the_whole(
    empty_practice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 30,000-client demo takes most of a minute: the command line shows how far it is."""
    from practice.progress import Progress
    from practice.visits import demo as visits

    monkeypatch.setattr(visits, "BATCH_CLIENTS", 10)  # several batches of visits
    heard: list[tuple[int, int, str]] = []
    db = open_database(empty_practice)
    try:
        fill(db, clients_count=45, seed=1, progress=Progress(lambda *told: heard.append(told)))
    finally:
        db.close()
    done = [d for d, _total, _text in heard]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 100
    assert {total for _d, total, _text in heard} == {100}
    steps = list(dict.fromkeys(text for _d, _t, text in heard))
    assert steps == [
        "Making the demo's clients",
        "Making the demo's visits",
        "Making the demo's plans",
        "Making the demo's billing",
        "Making the demo's schedule",
        "Demo made",
    ]
    during_visits = [d for d, _t, text in heard if text.endswith("visits")]
    assert len(set(during_visits)) >= 4  # batch by batch, not in one jump


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_the_command_lines_progress_is_shown_on_a_terminal_only(
    empty_practice: Path,
) -> None:
    """On a terminal a line says how far the demo is; in a script or a pipe stderr stays
    empty, for errors only."""
    import os
    import pty

    command = [sys.executable, "-m", "practice.cli", "--data-dir", str(empty_practice), "demo"]
    piped = subprocess.run(
        [*command, "--clients", "5"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert piped.returncode == 0 and piped.stderr == ""
    shutil.rmtree(empty_practice)
    primary, secondary = pty.openpty()
    try:
        on_terminal = subprocess.run(
            [*command, "--clients", "5"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=secondary,
            timeout=300,
        )
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal's other side closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    assert on_terminal.returncode == 0
    text = shown.decode()
    assert "Making the demo's visits" in text and text.rstrip().endswith("Demo made… 100%")
