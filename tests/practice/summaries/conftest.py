"""A practice with the three example clients of a physician summary, built once per module."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from practice.store import Database, open_database
from practice.summaries import demo
from practice.summaries.demo import SummaryClients


@pytest.fixture(scope="module")
def example_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, SummaryClients]]:
    """The folder is built once; each test gets its own copy (see `summary_db`)."""
    folder = tmp_path_factory.mktemp("summary") / "practice"
    folder.mkdir()
    db = open_database(folder, actor="jordan")
    try:
        made = demo.build(db)
    finally:
        db.close()
    yield folder, made


@pytest.fixture
def examples(example_folder: tuple[Path, SummaryClients]) -> SummaryClients:
    return example_folder[1]


@pytest.fixture
def summary_db(example_folder: tuple[Path, SummaryClients], tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "practice"
    shutil.copytree(example_folder[0], copy, ignore=shutil.ignore_patterns("*.lock"))
    db = open_database(copy, actor="jordan")
    yield db
    db.close()


@pytest.fixture
def pdf_text() -> Callable[[bytes], list[str]]:
    def read(data: bytes) -> list[str]:
        return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]

    return read
