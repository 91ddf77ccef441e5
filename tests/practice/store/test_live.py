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
