"""The two engines: the practice file (SQLite, the solo default) and a clinic's PostgreSQL server.

Every difference between them the core has to know about lives in `practice/store/`; this
module holds the small shared pieces: telling a server URL from a folder, the server's engine,
and `ServerConnection`, which lets the few plain-SQL readers written for the sqlite3 module
(the client list, the seals) run unchanged on a psycopg connection.

psycopg is imported only when a server is opened: the solo app never loads it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from practice.errors import FasciaError

if TYPE_CHECKING:  # SQLAlchemy loads after the client list (see ui/app.py), not with this module
    from sqlalchemy import Engine

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
# One lock id for "the practice's write lock" (see Database.transaction): any 64-bit number
# nothing else on the server uses. Spells "fascia" in hex-ish.
WRITE_LOCK = 0x0FA5C1A


class ServerAddressError(FasciaError):
    """A server address that is not a PostgreSQL URL."""


def is_server(target: object) -> bool:
    """Whether a --server/--data-dir argument names a PostgreSQL server rather than a folder."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def server_url(text: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) of a postgresql:// address; a clear error if bad."""
    if not is_server(text):
        raise ServerAddressError(
            f"{text!r} is not a server address: give one like postgresql://host/practice"
        )
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    rest = text.split("://", 1)[1]
    try:
        url = make_url("postgresql+psycopg://" + rest)
    except (ArgumentError, ValueError):
        raise ServerAddressError(f"{text!r} is not a valid server address") from None
    if not url.database:
        raise ServerAddressError(
            f"{text!r} names no database: add it at the end, as in postgresql://host/practice"
        )
    return url.render_as_string(hide_password=False)


def make_server_engine(url: str) -> Engine:
    """An engine on a PostgreSQL database (the psycopg 3 driver), connections checked on reuse."""
    from sqlalchemy import create_engine

    return create_engine(
        server_url(url),
        pool_pre_ping=True,
        # Keepalives: a server that vanished (its computer off, a cable out) is noticed
        # within about a minute, by the live updates' idle connection too.
        connect_args={
            "connect_timeout": 10,
            "application_name": "Fascia",
            **{"keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3},
        },
    )


def _pyformat(sql: str) -> str:
    """sqlite3's `?` placeholders as psycopg's `%s` (a literal % doubled first)."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))


class ServerConnection:
    """A psycopg connection answering the sqlite3 calls the plain-SQL readers make:
    `execute(sql, params)` with `?` placeholders (returning a cursor), and `executemany`."""

    dialect = "postgresql"

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def close(self) -> None:
        self.driver.close()

    def execute(self, sql: str, parameters: Any = None) -> Any:
        cursor = self.driver.cursor()
        if parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(_pyformat(sql), parameters)
        return cursor

    def executemany(self, sql: str, rows: Any) -> Any:
        cursor = self.driver.cursor()
        cursor.executemany(_pyformat(sql), rows)
        return cursor


def on_server(connection: Any) -> bool:
    """Whether a raw connection (sqlite3's or a `ServerConnection`) is a server's."""
    return getattr(connection, "dialect", "sqlite") == "postgresql"


def unindexed(sql: str, connection: Any) -> str:
    """SQLite's `NOT INDEXED` hints (a whole table read in order beats its index there) taken
    out for a server, whose planner chooses for itself."""
    return sql.replace(" NOT INDEXED", "") if on_server(connection) else sql
