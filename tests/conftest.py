"""Fixtures shared by every suite: a fresh practice folder and an open database in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Rebuildable caches (the ICD-10-CM index) go to a folder of this run, not the user's.
if "FASCIA_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["FASCIA_CACHE_DIR"] = tempfile.mkdtemp(prefix="fascia-test-cache-")

from practice.store import Database, open_database


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "practice"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir, actor="test-therapist")
    yield database
    database.close()
