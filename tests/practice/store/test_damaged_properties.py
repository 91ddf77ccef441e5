"""Any bytes at all as a practice file or a backup: the project's own errors, never a traceback,
and nothing invalid ever put in place of the practice."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import BackupError, DamagedDatabaseError
from practice.store import open_database, schema
from practice.store.backups.restore import restore_backup
from practice.store.health import HEADER, NotAPractice, read_revision
from tests.practice.store.helpers import integrity_ok, practice_with_clients

# The same examples on every run (derandomize): each example writes and restores a practice, so
# a run explores little, and CI must not turn red on an example no other run meets.
SLOW = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path) -> bytes:
    folder = tmp_path_factory.mktemp("good") / "practice"
    practice_with_clients(folder, 3, migrated_db_file)
    conn = sqlite3.connect(folder / "fascia.db")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return (folder / "fascia.db").read_bytes()


@dataclass(frozen=True)
class Spoiling:
    """How to spoil a file, independent of its bytes (so examples replay alike on any run)."""

    kind: str
    raw: bytes = b""
    cut: float = 0.0
    flips: tuple[tuple[float, int], ...] = ()


FLIPS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), max_size=8)
RECIPES = st.one_of(
    st.binary(max_size=8192).map(lambda raw: Spoiling("random", raw=raw)),
    st.binary(min_size=84, max_size=8192).map(lambda raw: Spoiling("sqlite", raw=HEADER + raw)),
    st.floats(0, 1).map(lambda cut: Spoiling("cut", cut=cut)),
    FLIPS.map(lambda flips: Spoiling("flipped", flips=tuple(flips))),
)


def spoil(original: bytes, recipe: Spoiling) -> bytes:
    """Random bytes, SQLite-looking bytes, or a real practice cut short or with bytes flipped."""
    if recipe.kind in ("random", "sqlite"):
        return recipe.raw
    if recipe.kind == "cut":
        return original[: int(len(original) * recipe.cut)]
    data = bytearray(original)
    for fraction, mask in recipe.flips:
        data[int(len(data) * fraction)] ^= mask
    return bytes(data)


@SLOW
@given(data=st.data())
def test_any_file_is_a_practice_revision_or_not_a_practice(
    tmp_path: Path, good_backup: bytes, data: st.DataObject
) -> None:
    path = tmp_path / "fascia.db"
    path.write_bytes(spoil(good_backup, data.draw(RECIPES)))
    try:
        revision = read_revision(path)
    except NotAPractice as problem:
        assert problem.reason and "\n" not in problem.reason
    else:
        assert revision is not None and revision.isdigit()
    for side in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.unlink()


@SLOW
@given(data=st.data())
def test_opening_any_file_opens_a_practice_or_refuses_it_untouched(
    tmp_path: Path, good_backup: bytes, data: st.DataObject
) -> None:
    folder = tmp_path / "practice"
    folder.mkdir(exist_ok=True)
    for leftover in folder.iterdir():
        leftover.unlink() if leftover.is_file() else None
    content = spoil(good_backup, data.draw(RECIPES))
    (folder / "fascia.db").write_bytes(content)
    try:
        db = open_database(folder)
    except DamagedDatabaseError as error:
        assert str(folder / "fascia.db") in str(error)
        assert (folder / "fascia.db").read_bytes() == content
    except sqlite3.DatabaseError:
        pytest.fail("a damaged file reached SQLAlchemy")
    else:
        db.close()


@SLOW
@given(data=st.data())
def test_restoring_any_file_restores_a_good_practice_or_changes_nothing(
    tmp_path: Path, good_backup: bytes, migrated_db_file: Path, data: st.DataObject
) -> None:
    content = spoil(good_backup, data.draw(RECIPES))
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "practice"  # each example on its own
    practice_with_clients(folder, 1, migrated_db_file)
    before = (folder / "fascia.db").read_bytes()
    candidate = tmp_path / "candidate.db"
    candidate.write_bytes(content)
    try:
        restore_backup(folder, candidate)
    except BackupError as error:
        assert "\n" not in str(error)
        assert (folder / "fascia.db").read_bytes() == before
    else:
        assert integrity_ok(folder / "fascia.db")
        assert schema.current_revision(folder / "fascia.db") in schema.known_revisions()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
