"""A small demo practice with an issued document and awkward names, built once per module."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from practice import printouts
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.demo import generate
from practice.store import Database, open_database
from practice.summaries import service as summaries

DEMO_CLIENTS = 6
AWKWARD_NOTE = '=HYPERLINK("http://evil")'


@dataclass(frozen=True)
class Demo:
    folder: Path
    document_id: int
    document_client: int
    awkward_client: int


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = tmp_path_factory.mktemp("exchange") / "practice"
    db = open_database(folder, actor="jordan")
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=3)
        with sqlite3.connect(db.path) as connection:
            (treated,) = connection.execute(
                "SELECT client_id FROM visit WHERE signed_at IS NOT NULL LIMIT 1"
            ).fetchone()
        document = printouts.issue_summary(db, summaries.summary_draft(db, treated))
        awkward = clients.create_client(
            db,
            ClientForm(
                given_name="지민",
                family_name="Ben-David, \u05d3\u05d5\u05d3",
                notes=AWKWARD_NOTE,
                occupation="-5 yoga teacher 🧘",
            ),
        )
    finally:
        db.close()
    return Demo(folder, document.id, document.client_id, awkward.id)


@pytest.fixture
def practice(demo: Demo, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo practice of this test's own."""
    copy = tmp_path / "practice"
    shutil.copytree(demo.folder, copy, ignore=shutil.ignore_patterns("*.lock"))
    db = open_database(copy, actor="jordan")
    yield db
    db.close()


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
