"""fascia-cli migrate-to-server: a solo practice copied to a server with its seals, audit trail
and issued PDFs, checked, and refused a second time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from practice import printouts, tables  # noqa: F401  (every table)
from practice.cli import main
from practice.clients import service as clients
from practice.demo import generate
from practice.store import open_database
from practice.store.moving import _tables
from practice.store.seal.verify import verify_records
from practice.store.server import open_server
from practice.summaries import demo as summaries_demo
from practice.summaries import service as summaries


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice with signed notes, invoices, payments, consents and an issued summary."""
    folder = tmp_path_factory.mktemp("solo") / "practice"
    db = open_database(folder, actor="jordan")
    try:
        generate(db, clients_count=4, seed=3)
        made = summaries_demo.build(db, visits_count=4)
        printouts.issue_summary(db, summaries.summary_draft(db, made.rich))
    finally:
        db.close()
    return folder


def _counts(db: Any) -> dict[str, int]:
    with db.read() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in _tables()
        }


def test_a_solo_practice_moves_to_a_server_whole_and_verified(
    solo: Path, empty_url: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = empty_url()
    assert main(["--data-dir", str(tmp_path), "migrate-to-server", str(solo), url]) == 0
    assert "every count, PDF checksum and seal matches" in capsys.readouterr().out
    local = open_database(solo)
    moved = open_server(url, tmp_path / "local")
    try:
        assert _counts(moved) == _counts(local)
        assert verify_records(moved).ok
        assert verify_records(moved).head == verify_records(local).head
        assert [c.display_name for c in clients.search_clients(moved)] == [
            c.display_name for c in clients.search_clients(local)
        ]
        # New rows continue after the copied ids.
        created = clients.create_client(
            moved, clients.ClientForm(given_name="New", family_name="Client")
        )
        with moved.read() as session:
            top = session.execute(text("SELECT max(id) FROM client")).scalar_one()
            # The planner knows the copied tables at once (ANALYZE), not after autovacuum.
            stats = text("SELECT count(*) FROM pg_stats WHERE tablename = 'client'")
            assert session.execute(stats).scalar_one() > 0
        assert created.id == top
    finally:
        local.close()
        moved.close()


def test_a_second_move_into_the_same_database_is_refused_and_changes_nothing(
    solo: Path, empty_url: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = empty_url()
    assert main(["--data-dir", str(tmp_path), "migrate-to-server", str(solo), url]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path), "migrate-to-server", str(solo), url]) == 1
    err = capsys.readouterr().err
    assert "already holds a Fascia practice" in err and err.count("\n") == 1
    moved = open_server(url, tmp_path / "local")
    local = open_database(solo)
    try:
        assert _counts(moved) == _counts(local)
    finally:
        moved.close()
        local.close()
