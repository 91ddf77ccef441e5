"""The core's tests. FASCIA_BLOCK_QT=1 makes PySide6 unimportable: practice/ must not need it."""

from __future__ import annotations

import importlib.abc
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from practice.paths import DB_FILENAME
from practice.store import Database, open_database

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph", "ui")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: practice/ must not need Qt")
        return None


if os.environ.get("FASCIA_BLOCK_QT"):
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())


@pytest.fixture(scope="module")
def shared_db(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> Iterator[Database]:
    """One practice for a whole test module (the property tests): a refused call must leave it as
    it was, so examples can share it; accepted ones only add to it. It starts as a copy of the
    once-migrated file (tests/conftest.py), as `db` does."""
    folder = tmp_path_factory.mktemp("shared") / "practice"
    folder.mkdir()
    shutil.copyfile(migrated_db_file, folder / DB_FILENAME)
    database = open_database(folder, actor="test-therapist")
    # Thousands of small commits: durability is not what these tests check, speed matters.
    event.listen(database.engine, "connect", _without_fsync)
    database.engine.dispose()
    yield database
    database.close()


def _without_fsync(connection, record):  # type: ignore[no-untyped-def]
    connection.execute("PRAGMA synchronous=OFF")
