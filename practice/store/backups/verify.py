"""Checks on a copy of the practice: SQLite's own checks and a row-by-row comparison (the
page-by-page one, used when it can be, is in `pages.py`).

`compare_rows` runs on a connection that has the live database as `main`, inside the read
transaction the copy was taken in, and the copy attached: every table's rows are matched by
rowid and compared column by column (byte for byte, NULL-safe), so the copy is known to hold
exactly what the practice held at that moment, not merely to be a well-formed database.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from practice.store.connection import connect, database_errors

COPY_SCHEMA = "fascia_copy"
COUNTED_TABLES = {"clients": "client", "visits": "visit", "invoices": "invoice"}
CHUNK = 1 << 20
# Reads through mmap: the row comparison runs about twice as fast, the foreign-key check takes
# about half the CPU and the integrity check a tenth less (10,000-client demo).
MMAP_BYTES = 1 << 30


def sqlite_checks(path: Path) -> list[str]:
    """Problems `PRAGMA integrity_check` and `foreign_key_check` find in the file (none: [])."""
    return integrity_problems(path) + foreign_key_problems(path)


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong with the file ([] when it says ok)."""
    return _pragma_problems(path, "integrity_check", "integrity check")


def _pragma_problems(path: Path, pragma: str, label: str) -> list[str]:
    conn = connect(path, read_only=True)
    try:
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        found = [row[0] for row in conn.execute(f"PRAGMA {pragma}(20)")]
    except database_errors() as error:
        return [f"SQLite cannot read it ({error})"]
    finally:
        conn.close()
    return [] if found == ["ok"] else [f"{label}: {'; '.join(found)}"]


def quick_check_problems(path: Path) -> list[str]:
    """What `PRAGMA quick_check` finds wrong with the file: every page read and well-formed
    (it leaves out integrity_check's matching of each index entry with its table row)."""
    return _pragma_problems(path, "quick_check", "quick check")


def foreign_key_problems(path: Path) -> list[str]:
    """References to rows that do not exist (`PRAGMA foreign_key_check`)."""
    conn = connect(path, read_only=True)
    try:
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    except database_errors() as error:
        return [f"SQLite cannot read it ({error})"]
    finally:
        conn.close()
    if not broken:
        return []
    tables = sorted({row[0] for row in broken})
    return [f"{len(broken)} broken references (in {', '.join(tables)})"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def schema_revision(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    try:
        row = conn.execute(f"SELECT version_num FROM {schema}.alembic_version").fetchone()
    except database_errors():
        return None
    return row[0] if row else None


def counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Clients, visits and invoices in the database (the figures a backup is listed with)."""
    tables = _tables(conn, schema)
    return {
        label: conn.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        for label, table in COUNTED_TABLES.items()
        if table in tables
    }


def table_count(conn: sqlite3.Connection, schema: str = "main") -> int:
    return len(_tables(conn, schema))


def compare_rows(conn: sqlite3.Connection) -> tuple[list[str], int, int]:
    """Differences between `main` and the attached copy; also the tables and rows compared."""
    definitions = (
        "SELECT type, name, tbl_name, sql FROM {}.sqlite_master ORDER BY type, name, tbl_name"
    )
    main_schema = conn.execute(definitions.format("main")).fetchall()
    if main_schema != conn.execute(definitions.format(COPY_SCHEMA)).fetchall():
        return ["the tables, indexes or triggers differ from the practice's"], 0, 0
    problems: list[str] = []
    tables = rows = 0
    for name, sql in _tables(conn, "main").items():
        if (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
            continue  # compared through its shadow tables, which are ordinary tables
        live, copied, same = _compare_table(conn, name, sql or "")
        tables += 1
        rows += live
        if not live == copied == same:
            problems.append(
                f"table {name}: {live} rows in the practice, {copied} in the copy, {same} identical"
            )
    return problems, tables, rows


def _compare_table(conn: sqlite3.Connection, name: str, sql: str) -> tuple[int, int, int]:
    quoted = _quote(name)
    columns = [row[1] for row in conn.execute(f"PRAGMA main.table_info({quoted})")]
    if "WITHOUT ROWID" in sql.upper():
        keys = [row[1] for row in conn.execute(f"PRAGMA main.table_info({quoted})") if row[5]]
        join = " AND ".join(f"b.{_quote(k)} IS a.{_quote(k)}" for k in keys)
    else:
        join = "b.rowid = a.rowid"
    # Values compare byte for byte: a column declared with another collation (NOCASE, say)
    # is compared with BINARY; the others already are (and skipping it saves 15%).
    binary = " COLLATE BINARY" if "COLLATE" in sql.upper() else ""
    same_values = " AND ".join(f"a.{_quote(c)} IS b.{_quote(c)}{binary}" for c in columns)
    live = conn.execute(f"SELECT count(*) FROM main.{quoted}").fetchone()[0]
    copied = conn.execute(f"SELECT count(*) FROM {COPY_SCHEMA}.{quoted}").fetchone()[0]
    same = conn.execute(
        f"SELECT count(*) FROM main.{quoted} AS a JOIN {COPY_SCHEMA}.{quoted} AS b ON {join} "
        f"WHERE {same_values or '1'}"
    ).fetchone()[0]
    return live, copied, same


def _tables(conn: sqlite3.Connection, schema: str) -> dict[str, str | None]:
    return dict(conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'"))


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
