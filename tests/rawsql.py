"""Plain SQL on a practice's database with no Fascia code in the way, on either engine.

The tamper tests play someone holding the practice file (sqlite3) or a login to the clinic's
server (psycopg): `raw_sql(db)` opens that connection. Statements use sqlite3's placeholders
(`?` or `:name`); `Error` and `IntegrityError` are the driver's.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from practice.store import Database


class RawSQL:
    def __init__(self, db: Database) -> None:
        self.server = db.on_server
        if self.server:
            import psycopg
            from sqlalchemy.engine import make_url

            url = make_url(db.server_url or "")
            self.connection: Any = psycopg.connect(
                host=url.query.get("host") or url.host,
                user=url.username,
                dbname=url.database,
                autocommit=True,  # a refused statement ends its own transaction, as on SQLite
            )
            self.Error: type[Exception] = psycopg.DatabaseError
            self.IntegrityError: type[Exception] = psycopg.IntegrityError
        else:
            self.connection = sqlite3.connect(db.path)
            self.Error, self.IntegrityError = sqlite3.DatabaseError, sqlite3.IntegrityError

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        if not self.server:
            return self.connection.execute(sql, parameters)
        sql = sql.replace("%", "%%")
        sql = re.sub(r":(\w+)", r"%(\1)s", sql) if isinstance(parameters, dict) else sql
        return self.connection.execute(sql.replace("?", "%s"), parameters or None)

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def trigger_names(self) -> set[str]:
        if self.server:
            rows = self.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in rows}

    def close(self) -> None:
        self.connection.close()


def another_database(db: Database) -> Database:
    """A second Database on the same practice, as another process (or clinic computer) has:
    the file without the folder lock, or the same server."""
    if db.on_server:
        from practice.store.server import open_server

        return open_server(db.server_url or "", db.data_dir, actor=db.actor_override)
    from practice.store.database import connect

    return connect(db.data_dir, None)
