"""The client list read with sqlite3 alone gives what the service gives, sees new saves, and its
pages and counts add up to the whole search."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from unittest.mock import patch

import hypothesis
import pytest
from hypothesis import strategies as st

from practice.clients import directory as directory_module
from practice.clients import service
from practice.clients.directory import ClientDirectory, count_rows, search_page, search_rows
from practice.clients.records import ClientForm, ClientRow
from practice.store import Database
from tests.practice.fuzz import NASTY, fuzz, short_text


def test_the_directory_lists_and_searches_exactly_like_the_service(db: Database) -> None:
    for given, family, born in [
        ("Chloé", "Lefèvre", date(1984, 3, 12)),
        ("Noah", "O'Brien", None),
        ("민지", "김", date(1990, 1, 2)),
        ("Ana_50%", "Peña", None),
    ]:
        service.create_client(db, ClientForm(given, family, date_of_birth=born))
    archived = service.create_client(db, ClientForm("Old", "Record"))
    service.set_archived(db, archived.id, True)
    directory = ClientDirectory.of(db)
    try:
        for text in ("", "chloe", "LEFEVRE chl", "o'b", "김", "50%", "_", "zzz", "record"):
            for include_archived in (False, True):
                assert directory.search(text, include_archived=include_archived) == (
                    service.search_clients(db, text, include_archived=include_archived)
                ), (text, include_archived)
        everyone = directory.search()
        assert directory.search("", limit=2) == everyone[:2]
    finally:
        directory.close()


def test_the_directory_sees_what_the_engine_saves_after_it_opened(db: Database) -> None:
    directory = ClientDirectory.of(db)
    try:
        assert directory.search() == []
        created = service.create_client(db, ClientForm("Élodie", "Côté"))
        assert [r.id for r in directory.search("elodie")] == [created.id]
    finally:
        directory.close()


NAMES = [
    ("Chloé", "Lefèvre"),
    ("Noah", "O'Brien"),
    ("민지", "김"),
    ("Ana_50%", "Peña"),
    ("Ana", "Peña"),  # the same name key twice: the id decides
    ("Zoë", "Ångström"),
    ("Old", "Record"),
]


# Names in every script the fuzzer tries: each a run of its nasty pieces after a letter.
NASTY_NAMES = [
    ("N" + "".join(NASTY[n : n + 3]), "F" + NASTY[-n - 1]) for n in range(0, len(NASTY), 3)
]


@pytest.fixture(scope="module")
def listed(shared_db: Database) -> Iterator[ClientDirectory]:
    for n, (given, family) in enumerate(NAMES * 3 + NASTY_NAMES):
        client = service.create_client(shared_db, ClientForm(given, family))
        if n % 5 == 4:
            service.set_archived(shared_db, client.id, True)
    directory = ClientDirectory(shared_db.path)
    yield directory
    directory.close()


@fuzz
@hypothesis.given(
    words=st.one_of(st.sampled_from(["", "ana", "pe", "a e", "_", "%", "김", "zzz"]), short_text),
    include_archived=st.booleans(),
    size=st.integers(1, 8),
)
def test_pages_of_a_search_add_up_to_the_whole_search_and_its_count(
    listed: ClientDirectory, words: str, include_archived: bool, size: int
) -> None:
    whole = listed.search(words, include_archived=include_archived)
    connection = listed.connection
    pages, after, more = [], None, True
    while more:
        page = search_page(
            connection, words, include_archived=include_archived, after=after, size=size
        )
        assert len(page.rows) <= size
        pages += page.rows
        after, more = page.last, page.more
    assert pages == whole
    assert listed.count(words, include_archived=include_archived) == len(whole)


@fuzz
@hypothesis.given(
    words=st.sampled_from(["", "ana", "pe", "a e", "zzz"]),
    include_archived=st.booleans(),
    client_id=st.integers(1, len(NAMES) * 3 + 2),
    fetched=st.integers(0, 10),
)
def test_a_page_through_a_client_holds_every_row_up_to_them_and_a_page_more(
    listed: ClientDirectory, words: str, include_archived: bool, client_id: int, fetched: int
) -> None:
    whole = listed.search(words, include_archived=include_archived)
    key = listed.key_of(client_id, words, include_archived=include_archived)
    ids = [row.id for row in whole]
    assert (key is not None) == (client_id in ids)
    if key is None:
        return
    start = search_page(listed.connection, words, include_archived=include_archived, size=fetched)
    after = start.last if fetched else None
    page = listed.page(words, include_archived=include_archived, after=after, through=key)
    shown = (start.rows if fetched else []) + page.rows
    through = ids.index(client_id)
    assert listed.position(key, words, include_archived=include_archived) == through
    assert shown == whole[: len(shown)] and len(shown) >= through + 1
    assert page.more == (len(shown) < len(whole))


def test_a_count_asked_after_the_directory_closed_reopens_nothing(db: Database) -> None:
    """The practice is locked or restored: a count still queued says nothing, and opens no
    connection to the file; the list's next read opens it again."""
    service.create_client(db, ClientForm("Ana", "Peña"))
    directory = ClientDirectory.of(db)
    assert directory.page("ana").rows and directory.count("ana") == 1
    directory.close()
    assert directory.count("ana") is None
    assert directory._count_connection is None
    assert len(directory.page().rows) == 1 and directory.count() == 1
    directory.close()


def _reading_every_client(
    connection: sqlite3.Connection, text: str, include_archived: bool
) -> tuple[list[ClientRow], int]:
    """The search and its count with the trigram index left out: LIKE over every client."""
    with patch.object(directory_module, "trigram_query", lambda _text: None):
        return (
            search_rows(connection, text, include_archived=include_archived),
            count_rows(connection, text, include_archived=include_archived),
        )


def _pieces_of_names() -> list[str]:
    """Every run of two to six characters of the stored names, and each run cut short."""
    texts = {f"{g} {f}" for g, f in NAMES + NASTY_NAMES}
    return sorted({t[i : i + n] for t in texts for n in range(2, 7) for i in range(len(t))})


@fuzz
@hypothesis.given(
    words=st.one_of(st.sampled_from(_pieces_of_names()), short_text),
    more=st.one_of(st.just(""), st.sampled_from(_pieces_of_names())),
    include_archived=st.booleans(),
)
def test_the_trigram_index_finds_exactly_whom_reading_every_client_finds(
    listed: ClientDirectory, words: str, more: str, include_archived: bool
) -> None:
    """The index only narrows the search: every word of every script, in any case or accent,
    lists and counts the same clients as reading them all."""
    text = f"{words} {more}"
    connection = listed.connection
    found = search_rows(connection, text, include_archived=include_archived)
    counted = count_rows(connection, text, include_archived=include_archived)
    assert (found, counted) == _reading_every_client(connection, text, include_archived)
    assert counted == len(found)


def _index_is_whole(connection: sqlite3.Connection) -> None:
    """FTS5's own check: the index holds exactly the search text of every client (raises)."""
    connection.execute("INSERT INTO client_fts (client_fts) VALUES ('integrity-check')")


def test_the_index_follows_every_new_client_rename_and_removal(db: Database) -> None:
    tanaka = service.create_client(db, ClientForm("Hiroshi", "Tanaka", email="h@tanaka.jp"))
    other = service.create_client(db, ClientForm("Ana", "Ferreira"))
    directory = ClientDirectory.of(db)
    try:
        assert [r.id for r in directory.search("tanaka")] == [tanaka.id]
        form = service.get_client(db, tanaka.id).form()
        service.update_client(db, tanaka.id, replace(form, family_name="Ferreira", email=""))
        assert directory.search("tanaka") == [] and directory.count("tanaka") == 0
        assert [r.id for r in directory.search("ferreira")] == [other.id, tanaka.id]
        assert [r.id for r in directory.search("ferreira hiro")] == [tanaka.id]
        raw = sqlite3.connect(db.path)
        with raw:  # no screen removes a client; a raw delete must not leave a ghost either
            raw.execute("DELETE FROM client WHERE id = ?", (other.id,))
        _index_is_whole(raw)
        raw.close()
        assert [r.id for r in directory.search("ferreira")] == [tanaka.id]
        assert directory.count("ferreira") == 1
    finally:
        directory.close()


def _plan(connection: sqlite3.Connection, text: str, *, page: bool) -> str:
    where, parameters = directory_module._where(connection, text, False)
    sql = (
        directory_module._SELECT + where + directory_module._ORDER + " LIMIT 101"
        if page
        else "SELECT count(*) FROM client" + where
    )
    return " ".join(
        str(step[3]) for step in connection.execute("EXPLAIN QUERY PLAN " + sql, parameters)
    )


def test_a_rare_word_is_looked_up_in_the_index_and_a_common_one_read_in_list_order(
    db: Database,
) -> None:
    """A word few clients hold is found through the trigram index; one most clients hold
    (their email's domain) fills a page within the list's first rows, in list order."""
    for n in range(60):
        service.create_client(db, ClientForm(f"Ana{n}", "Lopez", email=f"a{n}@example.com"))
    tanaka = service.create_client(db, ClientForm("Hiroshi", "Tanaka", email="h@example.com"))
    directory = ClientDirectory.of(db)
    try:
        connection = directory.connection
        _index_is_whole(connection)
        for text, indexed in (("tanak", True), ("zzzz", True), ("example", False), ("an", False)):
            for page in (True, False):
                assert ("client_fts" in _plan(connection, text, page=page)) == indexed, text
        assert [row.id for row in directory.search("tanak")] == [tanaka.id]
        assert directory.count("example") == 61 and directory.count("tanak") == 1
    finally:
        directory.close()
