"""fascia-cli migrate-to-server on an encrypted practice: the passphrase read as every command
reads it (environment, file, prompt), the copy verified under the practice's own key and its
seals linked again under the server's; a wrong passphrase is one line and changes nothing."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from practice import printouts, tables  # noqa: F401  (every table)
from practice.cli import main, protect
from practice.clients import service as clients
from practice.demo import generate
from practice.paths import DB_FILENAME
from practice.store import connection, encryption, keyfile, open_database
from practice.store.seal.verify import verify_records
from practice.store.server import engine_for, open_server, revision
from practice.summaries import demo as summaries_demo
from practice.summaries import service as summaries
from tests.practice.store.encryption.conftest import PASSPHRASE
from tests.practice.store.test_moving import _counts


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An encrypted practice with signed notes, invoices, consents and an issued summary."""
    folder = tmp_path_factory.mktemp("encrypted") / "practice"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyfile, "COST", keyfile.Argon2Cost(1, 1024, 1))
        db = open_database(folder, actor="jordan")
        try:
            generate(db, clients_count=4, seed=3)
            made = summaries_demo.build(db, visits_count=4)
            printouts.issue_summary(db, summaries.summary_draft(db, made.rich))
        finally:
            db.close()
        encryption.protect_practice(folder, PASSPHRASE)
    connection.forget_all()
    yield folder


@pytest.fixture
def folder(protected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the encrypted practice, locked, with no passphrase in the environment."""
    for name in ("FASCIA_PASSPHRASE", "FASCIA_RECOVERY_CODE"):
        monkeypatch.delenv(name, raising=False)
    copy = tmp_path / "practice"
    shutil.copytree(protected, copy)
    return copy


def _move(folder: Path, url: str, tmp_path: Path, *extra: str) -> int:
    return main(
        ["--data-dir", str(tmp_path / "cli"), *extra, "migrate-to-server", str(folder), url]
    )


def _seal_contents(db: Any) -> list[tuple[int, str, int, str]]:
    with db.read() as session:
        query = text("SELECT id, kind, entity_id, content_sha256 FROM seal ORDER BY id")
        return [tuple(row) for row in session.execute(query)]


def test_an_encrypted_practice_moves_with_its_passphrase_and_verifies_on_the_server(
    folder: Path,
    empty_url: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = empty_url()
    monkeypatch.setenv("FASCIA_PASSPHRASE", PASSPHRASE)
    assert _move(folder, url, tmp_path) == 0
    out = capsys.readouterr().out
    assert "every count, PDF checksum and seal matches" in out
    assert "linked again under the server's key" in out
    local = open_database(folder)
    moved = open_server(url, tmp_path / "local")
    try:
        assert _counts(moved) == _counts(local)
        checked = verify_records(moved)
        assert checked.ok and checked.seals == verify_records(local).seals
        assert _seal_contents(moved) == _seal_contents(local)  # every record's hash, as sealed
        assert [c.display_name for c in clients.search_clients(moved)] == [
            c.display_name for c in clients.search_clients(local)
        ]
    finally:
        local.close()
        moved.close()


def test_the_passphrase_is_asked_for_at_a_terminal_or_read_from_a_file(
    folder: Path,
    empty_url: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(protect.sys, "stdin", Terminal())
    monkeypatch.setattr(
        protect.getpass, "getpass", lambda prompt: asked.append(prompt) or PASSPHRASE
    )
    assert _move(folder, empty_url(), tmp_path) == 0
    assert asked == ["Passphrase: "]
    connection.forget_all()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert _move(folder, empty_url(), tmp_path, "--passphrase-file", str(secret)) == 0
    assert capsys.readouterr().out.count("every count, PDF checksum and seal matches") == 2


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(
    folder: Path,
    empty_url: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = empty_url()
    before = hashlib.sha256((folder / DB_FILENAME).read_bytes()).hexdigest()
    monkeypatch.setenv("FASCIA_PASSPHRASE", "not the passphrase")
    assert _move(folder, url, tmp_path) == 1
    assert capsys.readouterr().err == "fascia-cli: That passphrase does not unlock this practice.\n"
    monkeypatch.delenv("FASCIA_PASSPHRASE")
    assert _move(folder, url, tmp_path) == 1  # no passphrase at all, and no terminal to ask at
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FASCIA_PASSPHRASE" in err
    engine = engine_for(url)
    try:
        assert revision(engine) is None  # the server database was never touched
    finally:
        engine.dispose()
    assert hashlib.sha256((folder / DB_FILENAME).read_bytes()).hexdigest() == before
