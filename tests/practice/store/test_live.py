"""Live updates on a server: a write tells the other copies what it changed, once committed."""

from __future__ import annotations

import select
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.store.live import Listener, decode
from practice.store.server import open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm


@pytest.fixture
def two(server_url_factory: Any, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two copies of Fascia on one server practice (two clinic computers)."""
    url = server_url_factory()
    first, second = open_server(url, tmp_path / "a"), open_server(url, tmp_path / "b")
    yield first, second
    first.close()
    second.close()


def _heard(listener: Listener, wait: float = 5.0) -> list[Changes]:
    """What arrived, waiting up to `wait` seconds for the socket to turn readable."""
    readable, _, _ = select.select([listener.fileno()], [], [], wait)
    return listener.received() if readable else []


def _heard_until(listener: Listener, wanted: Any, wait: float = 5.0) -> list[Changes]:
    """What arrived until a change `wanted` says yes to (or `wait` seconds): a write may come
    after another commit of its own (the technique library seeded on first use)."""
    import time

    heard: list[Changes] = []
    ends = time.monotonic() + wait
    while not any(wanted(c) for c in heard) and time.monotonic() < ends:
        heard += _heard(listener, max(0.0, ends - time.monotonic()))
    return heard


def test_a_note_saved_on_one_computer_is_heard_on_the_other_with_its_client(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    listener = Listener(second)
    try:
        client = clients.create_client(first, ClientForm(given_name="Ana", family_name="Peña"))
        assert Changes.of("client", client_id=client.id) in _heard(listener)
        starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
        visits.create_visit(first, client.id, draft)
        heard = _heard_until(listener, lambda c: c.touches({"visit"}, client.id))
        assert any(c.touches({"visit"}, client.id) and c.client_id == client.id for c in heard)
    finally:
        listener.close()


def test_a_copy_does_not_hear_its_own_writes_nor_a_write_that_rolled_back(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    own = Listener(first)
    other = Listener(second)
    try:
        clients.create_client(first, ClientForm(given_name="Ana"))
        assert _heard(other)
        assert _heard(own, wait=0.5) == []
        with pytest.raises(RuntimeError), first.transaction() as session:
            from practice.clients.models import ClientRow

            session.add(ClientRow(given_name="Never saved"))
            session.flush()
            raise RuntimeError("the save failed half-way")
        assert _heard(other, wait=0.5) == []
    finally:
        own.close()
        other.close()


@pytest.mark.parametrize(
    "payload", ["", "not json", "[]", '{"kinds": ["no such kind"]}', '{"kinds": 5}', "null"]
)
def test_a_notification_that_is_not_fascias_is_ignored(payload: str) -> None:
    assert decode(payload) is None


def _terminate(db: Database, pid: int) -> None:
    with db.read() as session:
        db.raw_connection(session).execute("SELECT pg_terminate_backend(?)", (pid,)).fetchone()


def _backend_pid(db: Database, session: Any) -> int:
    return int(db.raw_connection(session).execute("SELECT pg_backend_pid()").fetchone()[0])


def _lost(listener: Listener) -> bool:
    """Whether reading the listener's socket finds the connection gone (within 5 s)."""
    import psycopg

    for _ in range(3):  # the server's goodbye first, the closed socket next
        try:
            _heard(listener)
        except psycopg.OperationalError:
            return True
    return False


def test_a_listener_whose_connection_was_cut_reconnects_and_hears_the_next_save(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    listener = Listener(second)
    try:
        _terminate(first, listener.backend_pid)
        assert _lost(listener)
        assert listener.reconnect()
        client = clients.create_client(first, ClientForm(given_name="After", family_name="Cut"))
        assert Changes.of("client", client_id=client.id) in _heard(listener)
    finally:
        listener.close()


def test_a_listener_cannot_reconnect_while_the_server_is_down_and_can_once_it_is_back(
    two: tuple[Database, Database], pg_cluster: Any
) -> None:
    first, second = two
    listener = Listener(second)
    try:
        pg_cluster.pause()
        try:
            assert _lost(listener)
            assert not listener.reconnect()
        finally:
            pg_cluster.resume()
        assert listener.reconnect()
        clients.create_client(first, ClientForm(given_name="Back"))
        assert _heard(listener)
    finally:
        listener.close()


def test_a_save_cut_off_by_the_server_says_so_saves_nothing_and_can_be_tried_again(
    two: tuple[Database, Database],
) -> None:
    from practice.clients.models import ClientRow
    from practice.errors import ServerGoneError

    first, second = two
    before = len(clients.search_clients(second))
    gone = pytest.raises(ServerGoneError, match=r"stopped answering.*not saved")
    with gone, first.transaction() as session:
        session.add(ClientRow(given_name="Half", family_name="Saved"))
        session.flush()
        _terminate(second, _backend_pid(first, session))
    assert len(clients.search_clients(second)) == before  # nothing of it was saved
    clients.create_client(first, ClientForm(given_name="Half", family_name="Saved"))  # retry
    assert len(clients.search_clients(second)) == before + 1


def test_a_save_while_the_server_is_down_says_so_in_one_plain_sentence(
    two: tuple[Database, Database], pg_cluster: Any
) -> None:
    from practice.errors import ServerGoneError

    first, _second = two
    pg_cluster.pause()
    try:
        with pytest.raises(ServerGoneError, match="stopped answering"):
            clients.create_client(first, ClientForm(given_name="Nobody"))
    finally:
        pg_cluster.resume()
    assert clients.create_client(first, ClientForm(given_name="Somebody")).id


def test_the_client_lists_own_connection_comes_back_after_a_server_restart(
    two: tuple[Database, Database], pg_cluster: Any
) -> None:
    from practice.clients.directory import ClientDirectory
    from practice.errors import ServerGoneError

    first, second = two
    clients.create_client(first, ClientForm(given_name="Listed"))
    directory = ClientDirectory.of(second)
    try:
        assert [r.display_name for r in directory.search()] == ["Listed"]
        pg_cluster.pause()
        try:
            with pytest.raises(ServerGoneError):
                directory.search()
        finally:
            pg_cluster.resume()
        clients.create_client(first, ClientForm(given_name="Later"))
        assert len(directory.search()) == 2  # opened again, without reopening the practice
    finally:
        directory.close()
