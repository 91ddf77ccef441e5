"""Opening the practice a feature command works on: one that exists, never a new one.

With `fascia-cli --server URL` that practice is on a clinic's PostgreSQL server (`use_server`),
and the commands that open it here work on it unchanged.
"""

from __future__ import annotations

from pathlib import Path

from practice.errors import ValidationError
from practice.paths import DB_FILENAME
from practice.store.database import Database

_server: list[str] = []  # the --server URL of this run, if any


def use_server(url: str | None) -> None:
    """Open the practice on this server instead of the folder's file (None: the folder)."""
    _server[:] = [url] if url else []


def server() -> str | None:
    return _server[0] if _server else None


def open_practice(data_dir: Path) -> Database:
    """The practice database, refused (never created) when the folder has none; on a server,
    its practice (refused when the server holds none: `server init` makes one)."""
    from practice.store import open_database

    if _server:
        from practice.store.server import local_folder, open_server

        return open_server(_server[0], local_folder(data_dir, _server[0]))
    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    return open_database(data_dir)
