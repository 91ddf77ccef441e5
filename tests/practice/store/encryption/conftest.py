"""Encrypted practices in tests: a cheap Argon2 cost and no key left registered afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.paths import DB_FILENAME
from practice.store import connection, keyfile, open_database

PASSPHRASE = "correct horse battery staple"
NAME = "Chloé Dubois-Quennell"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The real cost (64 MiB, 3 passes) is what a practice gets; the wrapping is the same.
    monkeypatch.setattr(keyfile, "COST", keyfile.Argon2Cost(1, 1024, 1))
    yield
    connection.forget_all()


@pytest.fixture
def plain_practice(tmp_path: Path, migrated_db_file: Path) -> Path:
    """A practice with a client whose name is easy to look for in the raw bytes (from a copy
    of the once-migrated file: tests/conftest.py)."""
    folder = tmp_path / "practice"
    folder.mkdir()
    shutil.copyfile(migrated_db_file, folder / DB_FILENAME)
    db = open_database(folder, actor="jordan")
    try:
        given, family = NAME.split(" ")
        for n in range(30):
            clients.create_client(db, ClientForm(given_name=f"{given}{n}", family_name=family))
    finally:
        db.close()
    return folder
