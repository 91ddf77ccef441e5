"""A practice with one of every final record (signed notes, invoices, payments, consents,
an issued document), built once per module; each test gets its own copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from practice import printouts
from practice.demo import generate
from practice.store import Database, open_database
from practice.summaries import demo as summaries_demo
from practice.summaries import service as summaries
from practice.visits import service as visits


@pytest.fixture(scope="module")
def full_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sealed") / "practice"
    db = open_database(folder, actor="jordan")
    try:
        generate(db, clients_count=4, seed=3)
        made = summaries_demo.build(db, visits_count=4)
        printouts.issue_summary(db, summaries.summary_draft(db, made.rich))
        with db.read() as session:
            signed = session.execute(
                text("SELECT min(id) FROM visit WHERE signed_at IS NOT NULL")
            ).scalar_one()
        visits.amend_visit(db, signed, "Typo", "Left shoulder, not right.")
    finally:
        db.close()
    return folder


@pytest.fixture
def practice_copy(full_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "practice"
    shutil.copytree(full_folder, copy, ignore=shutil.ignore_patterns("*.lock"))
    return copy


@pytest.fixture
def sealed_db(practice_copy: Path) -> Iterator[Database]:
    db = open_database(practice_copy, actor="jordan")
    yield db
    db.close()
