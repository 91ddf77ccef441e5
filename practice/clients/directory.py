"""The client list, read with the sqlite3 module alone.

Importing SQLAlchemy takes about 300 ms and 35 MiB, so the window lists (and searches) the
clients through this module first and opens the engine right after. `service.search_clients`
runs the same query on the engine's own connection: there is one search, written once.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.clients.rows import ClientRow, Standing
from practice.store.connection import connect
from practice.store.engines import on_server, unindexed

if TYPE_CHECKING:
    from collections.abc import Callable

    from practice.store.database import Database
from practice.text import fold, visible

_SELECT = (
    "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile, "
    "phone_other, email, archived, sort_key FROM client"
)
_ORDER = " ORDER BY sort_key, id"
# Where a row stands in list order: its name key, then its id. A page starts after a key.
ListKey = tuple[str, int]
PAGE_SIZE = 100  # rows a page of the list holds: a screenful several times over


# A person types a few short words. A pasted page must not overflow the query: SQLite limits how
# many conditions it holds and how long a LIKE pattern is. Names are at most 200 characters.
MAX_SEARCH_WORDS = 16
MAX_SEARCH_WORD = 200
TRIGRAM = 3  # the file's search index holds each run of three characters of the search text
MAX_TRIGRAMS = 24
# Fetching a client by id from the trigram index and sorting costs about five times a step of
# the list's walk in order (measured at 30,000 clients): for a page of 100 the index wins
# while it holds fewer than about sqrt(20 x clients) of them (see `narrowing`).
NARROW = 20


@dataclass(frozen=True, slots=True)
class ClientPage:
    """Rows of the list in list order, and where the next page starts."""

    rows: list[ClientRow]
    last: ListKey | None  # the key of the last row (None: no rows)
    more: bool  # rows come after these


def search_words(text: str) -> list[str]:
    """The words typed, folded as the search text is: the first MAX_SEARCH_WORDS different
    words count, each up to MAX_SEARCH_WORD characters (more could only narrow the list)."""
    words = list(dict.fromkeys(w[:MAX_SEARCH_WORD] for w in fold(visible(text)).split()))
    return words[:MAX_SEARCH_WORDS]


def like_patterns(text: str) -> list[str]:
    """One LIKE pattern (escaped with a backslash) per typed word, over the folded search text."""
    return [
        "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for word in search_words(text)
    ]


def trigram_query(text: str) -> str | None:
    """The FTS5 query (`client_fts`, migration 0020) for the clients whose search text holds
    every trigram of the typed words of three characters or more; None when no word is that
    long (the index cannot look a shorter one up: LIKE alone decides).

    The index keeps which texts hold a trigram, not where (detail=none: a quarter the size), so
    it finds every client holding a word and a few more; LIKE decides. The first MAX_TRIGRAMS
    different trigrams narrow the list enough: a pasted page must not make a huge query.
    """
    trigrams = dict.fromkeys(
        word[start : start + TRIGRAM]
        for word in search_words(text)
        for start in range(len(word) - TRIGRAM + 1)
    )
    terms = ['"' + t.replace('"', '""') + '"' for t in list(trigrams)[:MAX_TRIGRAMS]]
    return " AND ".join(terms) or None


def narrowing(connection: Any, text: str) -> str | None:
    """The trigram query when the file's index narrows this search to few enough clients that
    fetching them by id beats walking the list in order; else None.

    A rare word ("tanak") walks the whole list in order to fill a page; a common one ("com",
    in most email addresses) fills a page within the first rows, while fetching its thousands
    of clients by id and sorting them takes 10-15 ms at 30,000. So the index is asked for at
    most sqrt(NARROW x clients) of them (775 of 30,000; a fraction of a millisecond), and is
    used only when that many are all there is. A server has its own index (migration 0019).
    """
    query = None if on_server(connection) else trigram_query(text)
    if query is None:
        return None
    clients = connection.execute("SELECT max(id) FROM client").fetchone()[0] or 0
    enough = math.isqrt(NARROW * clients)
    held = connection.execute(
        "SELECT count(*) FROM (SELECT rowid FROM client_fts WHERE client_fts MATCH ? LIMIT ?)",
        (query, enough + 1),
    ).fetchone()[0]
    return query if held <= enough else None


def _where(
    connection: Any, text: str, include_archived: bool, *extra: str, narrow: bool = True
) -> tuple[str, list[Any]]:
    """The search's WHERE clause and its parameters (the patterns come first).

    `+archived` keeps SQLite off the archived flag's own index: the list's covering index
    (`ix_client_list`: name key, id, archived, search text) answers every condition here, in
    list order, without reading the table. With `narrow`, the trigram index picks the
    candidates when it holds few (`narrowing`).
    """
    patterns: list[Any] = like_patterns(text)
    where = ["search_text LIKE ? ESCAPE '\\'"] * len(patterns)
    server = on_server(connection)
    trigrams = narrowing(connection, text) if narrow else None
    if trigrams is not None:
        where.insert(0, "id IN (SELECT rowid FROM client_fts WHERE client_fts MATCH ?)")
        patterns.insert(0, trigrams)
    if not include_archived:
        where.append("NOT archived" if server else "+archived = 0")
    where += extra
    return (f" WHERE {' AND '.join(where)}" if where else ""), patterns


def _rows(connection: Any, sql: str, parameters: list[Any]) -> list[tuple[ClientRow, ListKey]]:
    """The list's rows, each with its key."""
    return [
        (
            ClientRow(
                id,
                f"{preferred or given} {family}".strip(),
                family,
                _day(born),
                mobile or other,
                email,
                bool(archived),
            ),
            (sort_key, id),
        )
        for id, given, family, preferred, born, mobile, other, email, archived, sort_key in (
            connection.execute(sql, parameters)
        )
    ]


def _day(stored: date | str | None) -> date | None:
    """A stored date: ISO text from SQLite, a date from a server."""
    return date.fromisoformat(stored) if isinstance(stored, str) else stored


def search_rows(
    connection: Any,
    text: str = "",
    *,
    include_archived: bool = False,
    limit: int | None = None,
) -> list[ClientRow]:
    """Clients whose names, phone or email contain every word typed, ignoring case and accents,
    in list order (family name, then the name used). `connection` is a DB-API connection to
    the practice database (sqlite3, or the one under a SQLAlchemy session)."""
    where, parameters = _where(connection, text, include_archived)
    sql = _SELECT + where + _ORDER
    if limit is not None:
        sql += " LIMIT ?"
        parameters.append(limit)
    return [row for row, _ in _rows(connection, sql, parameters)]


def search_page(
    connection: Any,
    text: str = "",
    *,
    include_archived: bool = False,
    after: ListKey | None = None,
    through: ListKey | None = None,
    size: int = PAGE_SIZE,
) -> ClientPage:
    """The rows of `search_rows` that come after `after` (from the top when None): a page of
    `size`, or with `through` every row up to that key and a page beyond it."""
    keyed: list[tuple[ClientRow, ListKey]] = []
    if through is not None:
        keyed = _after(connection, text, include_archived, after, through=through)
        after = keyed[-1][1] if keyed else after
    page = _after(connection, text, include_archived, after, limit=size + 1)
    more = len(page) > size
    keyed += page[:size]
    return ClientPage([row for row, _ in keyed], keyed[-1][1] if keyed else None, more)


def _after(
    connection: Any,
    text: str,
    include_archived: bool,
    after: ListKey | None,
    *,
    through: ListKey | None = None,
    limit: int | None = None,
) -> list[tuple[ClientRow, ListKey]]:
    """The search's rows after one key (and up to another), in list order."""
    extra = []
    bounds: list[Any] = []
    if after is not None:
        extra.append("(sort_key, id) > (?, ?)")
        bounds += after
    if through is not None:
        extra.append("(sort_key, id) <= (?, ?)")
        bounds += through
    if limit is not None:
        bounds.append(limit)
    where, parameters = _where(connection, text, include_archived, *extra)
    sql = _SELECT + where + _ORDER + (" LIMIT ?" if limit is not None else "")
    return _rows(connection, sql, parameters + bounds)


def count_rows(
    connection: Any,
    text: str = "",
    *,
    include_archived: bool = False,
    before: ListKey | None = None,
) -> int:
    """How many clients `search_rows` would list, or list before a key (read from the list's
    index alone)."""
    extra = ["(sort_key, id) < (?, ?)"] if before is not None else []
    where, parameters = _where(connection, text, include_archived, *extra)
    bounds = list(before) if before is not None else []
    found = connection.execute("SELECT count(*) FROM client" + where, parameters + bounds)
    return int(found.fetchone()[0])


def list_key(
    connection: Any, client_id: int, text: str = "", *, include_archived: bool = False
) -> ListKey | None:
    """Where the client stands in the list this search makes (None: the search leaves them out)."""
    where, parameters = _where(connection, text, include_archived, "id = ?", narrow=False)
    found = connection.execute("SELECT sort_key FROM client" + where, [*parameters, client_id])
    row = found.fetchone()
    return None if row is None else (row[0], client_id)


# Where every client stands, for the list: what they owe (as billing's `client_account` counts
# it: invoiced less credit notes less payments applied), their last visit and their next
# appointment. One grouped subquery per table, joined once: never a query per client. Whole
# tables are read in order (NOT INDEXED): through the client index they take four times longer.
_STANDINGS = """
SELECT c.id, COALESCE(billed.cents, 0) - COALESCE(applied.cents, 0),
       visits.last_start, booked.next_start
FROM client AS c
LEFT JOIN (
    SELECT client_id,
           SUM(CASE WHEN kind = 'credit_note' THEN -total_cents ELSE total_cents END) AS cents
    FROM invoice NOT INDEXED WHERE status != 'draft' GROUP BY client_id
) AS billed ON billed.client_id = c.id
LEFT JOIN (
    SELECT p.client_id, SUM(a.amount_cents) AS cents
    FROM payment_allocation AS a JOIN payment AS p ON p.id = a.payment_id GROUP BY p.client_id
) AS applied ON applied.client_id = c.id
LEFT JOIN (
    SELECT client_id, MAX(starts_at) AS last_start
    FROM visit NOT INDEXED WHERE status = 'completed' GROUP BY client_id
) AS visits ON visits.client_id = c.id
LEFT JOIN (
    SELECT client_id, MIN(starts_at) AS next_start
    FROM appointment WHERE status IN ('booked', 'confirmed') AND starts_at > ?
    GROUP BY client_id
) AS booked ON booked.client_id = c.id
WHERE billed.cents IS NOT NULL OR visits.last_start IS NOT NULL
   OR booked.next_start IS NOT NULL
"""


def standing_rows(connection: Any, now: datetime) -> dict[int, Standing]:
    """Each client's standing (clients with no invoice, visit or booking are left out)."""
    return {
        client_id: Standing(owed, _moment(last_start), _moment(next_start))
        for client_id, owed, last_start, next_start in connection.execute(
            unindexed(_STANDINGS, connection), [_stored(now)]
        )
    }


_STANDING_OF = """
SELECT COALESCE((SELECT SUM(CASE WHEN kind = 'credit_note' THEN -total_cents ELSE total_cents END)
                 FROM invoice WHERE client_id = ? AND status != 'draft'), 0)
     - COALESCE((SELECT SUM(a.amount_cents) FROM payment_allocation AS a
                 JOIN payment AS p ON p.id = a.payment_id WHERE p.client_id = ?), 0),
       (SELECT MAX(starts_at) FROM visit WHERE client_id = ? AND status = 'completed'),
       (SELECT MIN(starts_at) FROM appointment
        WHERE client_id = ? AND status IN ('booked', 'confirmed') AND starts_at > ?)
"""


def standing_of(connection: Any, client_id: int, now: datetime) -> Standing:
    """One client's standing, by that client's rows only (after a change to that client)."""
    owed, last_start, next_start = connection.execute(
        _STANDING_OF, [client_id, client_id, client_id, client_id, _stored(now)]
    ).fetchone()
    return Standing(owed, _moment(last_start), _moment(next_start))


def _stored(moment: datetime) -> str:
    """A moment as the UTC columns store it (naive UTC, microseconds), so strings compare."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _moment(stored: datetime | str | None) -> datetime | None:
    if isinstance(stored, str):
        stored = datetime.fromisoformat(stored)
    return stored.replace(tzinfo=UTC) if stored else None


class ClientDirectory:
    """The client list of one practice file, searched on a connection of its own.

    Used from one thread (the GUI's), but for `count`. Reads only; with the file in WAL mode
    every search sees what the engine last committed. On a server (`of(db)`) its connections
    are the server's, each statement seeing what was last committed.
    """

    def __init__(self, path: Path, opener: Callable[[bool], Any] | None = None) -> None:
        self.path = path
        # opener(any_thread): a new connection (one a count may use off the GUI thread)
        self._open = opener or (lambda any_thread: connect(self.path, any_thread=any_thread))
        self._connection: sqlite3.Connection | None = None
        self._closed = False  # closed (the practice locked or restored) until next read
        # Counts run off the GUI thread (a background op) on a connection of their own.
        self._counting = threading.Lock()
        self._count_connection: sqlite3.Connection | None = None

    @classmethod
    def of(cls, db: Database) -> ClientDirectory:
        """The directory of an open practice, a file or a server."""
        if db.on_server:
            from practice.store.server import reader

            return cls(db.data_dir, lambda _any_thread: reader(db))
        return cls(db.path)

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = self._open(False)  # connection.connect: the one opener of files
            self._closed = False
        return self._connection

    def search(
        self, text: str = "", *, include_archived: bool = False, limit: int | None = None
    ) -> list[ClientRow]:
        return search_rows(self.connection, text, include_archived=include_archived, limit=limit)

    def page(
        self,
        text: str = "",
        *,
        include_archived: bool = False,
        after: ListKey | None = None,
        through: ListKey | None = None,
    ) -> ClientPage:
        return search_page(
            self.connection, text, include_archived=include_archived, after=after, through=through
        )

    def count(self, text: str = "", *, include_archived: bool = False) -> int | None:
        """How many clients the search lists; None when the directory was closed (the practice
        locked or restored) before the count began. Safe from any thread, one count at a time."""
        with self._counting:
            if self._closed:
                return None  # a count never reopens a closed file: the list reads first
            if self._count_connection is None:
                self._count_connection = self._open(True)
            return count_rows(self._count_connection, text, include_archived=include_archived)

    def key_of(
        self, client_id: int, text: str = "", *, include_archived: bool = False
    ) -> ListKey | None:
        return list_key(self.connection, client_id, text, include_archived=include_archived)

    def position(self, key: ListKey, text: str = "", *, include_archived: bool = False) -> int:
        """The row the key has in the list this search makes (how many rows come before it)."""
        return count_rows(self.connection, text, include_archived=include_archived, before=key)

    def close(self) -> None:
        self._closed = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        with self._counting:
            if self._count_connection is not None:
                self._count_connection.close()
                self._count_connection = None
