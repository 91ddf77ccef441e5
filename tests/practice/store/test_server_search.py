"""The client list's search on a server (a trigram index, `pg_trgm`) lists exactly what the same
practice lists in its file: the same clients in the same order, page by page, with the same
counts, for every prefix of every name as it is typed, in any script.

The server database is created with a language's collation (ICU, English) to show the list's
order does not depend on it, and every query runs twice there: as the planner chooses, and with
the trigram index forced (no plain scans), so both ways of answering agree with the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from practice import tables  # noqa: F401  (every table, for moving the practice)
from practice.clients import service
from practice.clients.directory import ClientDirectory, count_rows, search_page, search_rows
from practice.clients.records import ClientForm
from practice.demo import generate
from practice.store import open_database
from practice.store.moving import move_to_server
from practice.store.server import open_server

# Names in several scripts: Korean (folded to jamo), Hebrew, Arabic, emoji, accents, and the
# characters LIKE gives a meaning to.
NAMES = [
    ("민지", "김"),
    ("김민준", "박"),
    ("נועה", "כהן"),
    ("אביגיל", "לוי"),
    ("ليلى", "حداد"),
    ("Bea 🌻", "Okafor"),
    ("🌸", "Sakura"),
    ("Chloé", "Lefèvre"),
    ("ZOË", "ÅNGSTRÖM"),
    ("Ana_50%", "Peña"),
    ("Back\\slash", "O'Brien"),
    ("Zoe", "Smith"),
    ("Anne", "Smithe"),  # 'smith\x1fzoe' before 'smithe\x1fanne' by code point, not in English
]
EXTRA = [
    "",
    "a",
    "an",
    "ann",
    "SMITH",
    "smith an",
    "chloe",
    "LEFEVRE chl",
    "o'b",
    "%",
    "_",
    "50%",
    "\\",
    "🌻",
    "🌸 sak",
    "bea 🌻",
    "555",
    "@",
    "example",
    "zzz",
    "민지 김",
    "נו",
]


def _typed(name: str) -> list[str]:
    """Every prefix of a name as it is typed, key by key."""
    return [name[:end] for end in range(1, len(name) + 1)]


@pytest.fixture(scope="module")
def practices(
    tmp_path_factory: pytest.TempPathFactory, pg_cluster: Any
) -> Iterator[tuple[ClientDirectory, ClientDirectory, Any]]:
    """(the file's directory, the server's directory, the server's raw connection): one demo
    practice, with the names above, in a file and moved onto a server."""
    folder = tmp_path_factory.mktemp("search") / "practice"
    solo = open_database(folder, actor="jordan")
    try:
        generate(solo, clients_count=40, seed=11)
        for n, (given, family) in enumerate(NAMES):
            made = service.create_client(solo, ClientForm(given, family, email=f"c{n}@example.org"))
            if n % 6 == 5:
                service.set_archived(solo, made.id, True)
    finally:
        solo.close()
    name = f"search_{id(folder) % 100000}"
    pg_cluster.execute(
        f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
    )
    url = pg_cluster.url(name)
    move_to_server(folder, url)
    server_db = open_server(url, folder.parent / "local")
    on_file = ClientDirectory(folder / "fascia.db")
    on_server = ClientDirectory.of(server_db)
    try:
        yield on_file, on_server, on_server.connection
    finally:
        on_file.close()
        on_server.close()
        server_db.close()
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _queries() -> list[str]:
    queries = list(EXTRA)
    for given, family in NAMES:
        queries += _typed(f"{given} {family}")
        queries += _typed(family)
    return list(dict.fromkeys(queries))


def _pages(connection: Any, text: str, archived: bool) -> list[list[Any]]:
    pages, after, more = [], None, True
    while more:
        page = search_page(connection, text, include_archived=archived, after=after, size=7)
        pages.append(page.rows)
        after, more = page.last, page.more
    return pages


def _assert_same(on_file: ClientDirectory, raw: Any) -> None:
    mine = on_file.connection
    for text in _queries():
        for archived in (False, True):
            listed = search_rows(mine, text, include_archived=archived)
            assert search_rows(raw, text, include_archived=archived) == listed, text
            assert _pages(raw, text, archived) == _pages(mine, text, archived), text
            assert count_rows(raw, text, include_archived=archived) == len(listed), text


def test_the_server_lists_and_searches_exactly_as_the_file_for_every_key_typed(
    practices: tuple[ClientDirectory, ClientDirectory, Any],
) -> None:
    on_file, on_server, raw = practices
    assert len(on_file.search(include_archived=True)) == 40 + len(NAMES)
    # Each search is planned for its own words (a generic plan reads the whole trigram index
    # for one letter): see server.reader.
    assert raw.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"
    _assert_same(on_file, raw)
    found = [row.display_name for row in on_server.search("smith", include_archived=True)]
    assert found.index("Zoe Smith") < found.index("Anne Smithe")  # by code point
    assert [row.display_name for row in on_server.search("민지 김")] == ["민지 김"]


def test_through_the_trigram_index_the_server_still_lists_exactly_as_the_file(
    practices: tuple[ClientDirectory, ClientDirectory, Any],
) -> None:
    on_file, _, raw = practices
    forced = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")
    for setting in forced:
        raw.execute(f"SET {setting} = off")
    try:
        plan = " ".join(
            row[0]
            for row in raw.execute(
                "EXPLAIN SELECT id FROM client WHERE search_text LIKE ? ESCAPE '\\'", ["%chl%"]
            )
        )
        assert "ix_client_search_trigrams" in plan
        _assert_same(on_file, raw)
    finally:
        for setting in forced:
            raw.execute(f"RESET {setting}")
