"""The client list, read with the sqlite3 module alone.

Importing SQLAlchemy takes about 300 ms and 35 MiB, so the window lists (and searches) the
clients through this module first and opens the engine right after. `service.search_clients`
runs the same query on the engine's own connection: there is one search, written once.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from practice.clients.records import ClientRow
from practice.store.connection import connect
from practice.text import fold, visible

_SELECT = (
    "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile, "
    "phone_other, email, archived FROM client"
)


# A person types a few short words. A pasted page must not overflow the query: SQLite limits how
# many conditions it holds and how long a LIKE pattern is. Names are at most 200 characters.
MAX_SEARCH_WORDS = 16
MAX_SEARCH_WORD = 200


def like_patterns(text: str) -> list[str]:
    """One LIKE pattern (escaped with a backslash) per typed word, over the folded search text.

    The first MAX_SEARCH_WORDS different words count, each up to MAX_SEARCH_WORD characters:
    more could only narrow the list further.
    """
    words = list(dict.fromkeys(w[:MAX_SEARCH_WORD] for w in fold(visible(text)).split()))
    words = words[:MAX_SEARCH_WORDS]
    return [
        "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for word in words
    ]


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
    patterns = like_patterns(text)
    where = ["search_text LIKE ? ESCAPE '\\'"] * len(patterns)
    if not include_archived:
        where.append("archived = 0")
    sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY sort_key, id"
    parameters: list[Any] = list(patterns)
    if limit is not None:
        sql += " LIMIT ?"
        parameters.append(limit)
    rows = connection.execute(sql, parameters)
    return [
        ClientRow(
            id,
            f"{preferred or given} {family}".strip(),
            family,
            date.fromisoformat(born) if born else None,
            mobile or other,
            email,
            bool(archived),
        )
        for id, given, family, preferred, born, mobile, other, email, archived in rows
    ]


class ClientDirectory:
    """The client list of one practice file, searched on a connection of its own.

    Used from one thread (the GUI's). Reads only; with the file in WAL mode every search sees
    what the engine last committed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def search(
        self, text: str = "", *, include_archived: bool = False, limit: int | None = None
    ) -> list[ClientRow]:
        if self._connection is None:
            self._connection = connect(self.path)  # the one opener of practice files
        return search_rows(self._connection, text, include_archived=include_archived, limit=limit)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
