"""Is a file a Fascia practice? Quick checks made before anything else opens it.

A practice file that is empty, cut short, not a database at all, or another program's database
must never be taken for a new practice nor reach SQLAlchemy (which would answer with a
traceback). These checks read the header and the schema table only, so they cost a few
milliseconds on every start. (An encrypted file has no readable header; once encryption exists,
the header checks apply to what `connection.connect` decrypts.)
"""

from __future__ import annotations

import re
from pathlib import Path

from practice.store.connection import connect, database_errors, key_for

HEADER = b"SQLite format 3\x00"
REVISION = re.compile(r"^\d{4}$")
FASCIA_TABLES = {"alembic_version", "client"}


class NotAPractice(Exception):
    """The file cannot be a Fascia practice; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_revision(path: Path) -> str | None:
    """The schema revision of the practice file at `path`; None when there is no file.

    Raises NotAPractice when the file is there but is not a usable Fascia database.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NotAPractice(f"it cannot be read ({error.strerror or error})") from None
    if size == 0:
        raise NotAPractice("it is empty (0 bytes)")
    if key_for(path) is None:  # an encrypted file's header is ciphertext: SQLCipher checks it
        _check_header(path, size)
    return _check_tables(path)


def _check_header(path: Path, size: int) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise NotAPractice(f"it cannot be read ({error.strerror or error})") from None
    if len(header) < 100 or not header.startswith(HEADER):
        raise NotAPractice("it is not a database (its first bytes are not SQLite's)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise NotAPractice("its header is damaged")
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # pages may still be in the WAL; SQLite's own checks below decide
    pages = int.from_bytes(header[28:32], "big")
    header_is_current = header[24:28] == header[92:96]
    if size % page_size or (header_is_current and pages * page_size > size):
        expected = f" of {pages * page_size:,}" if header_is_current else ""
        raise NotAPractice(f"it has been cut short ({size:,}{expected} bytes)")


def _check_tables(path: Path) -> str:
    conn = connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            raise NotAPractice("it holds no practice (an empty database)")
        if not tables >= FASCIA_TABLES:
            raise NotAPractice("it is not a Fascia practice (another program's database)")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except (*database_errors(), UnicodeDecodeError) as error:  # a damaged name is not UTF-8
        raise NotAPractice(f"it is damaged (SQLite says: {error})") from None
    finally:
        conn.close()
    if row is None or not isinstance(row[0], str) or not REVISION.match(row[0]):
        raise NotAPractice("it is not a Fascia practice (its schema version is unknown)")
    return row[0]
