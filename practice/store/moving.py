"""Moving a solo practice (a folder) onto a clinic's PostgreSQL server, all or nothing.

Everything happens in one server transaction: the schema is created, every table is copied
row for row with its ids (signed notes, issued invoices and documents with their PDFs, the
audit trail, the seals as they are), the id sequences are moved past the copied ids, and the
copy is checked before it commits: the same number of rows in every table, every issued
document's PDF matching its SHA-256, and the seal chain verifying on the server with the same
head as the folder's. Any difference rolls the whole copy back: the server is left empty.

The guards refuse inserting a signed visit's note after the visit (as they must for anyone
else), so the copy switches this database's user triggers off inside its transaction; nobody
else sees the tables before it commits with them on again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, func, insert, select, text

from practice.errors import FasciaError, ValidationError
from practice.progress import Progress
from practice.store import server
from practice.store.engines import ServerConnection, server_url

BATCH = 2_000


@dataclass(frozen=True)
class Moved:
    rows: dict[str, int]  # table -> rows copied
    seals: int
    documents: int

    def summary(self) -> str:
        total = sum(self.rows.values())
        return (
            f"Moved {total:,} rows in {len(self.rows)} tables, {self.documents:,} issued "
            f"documents and {self.seals:,} seals; every count, PDF checksum and seal matches."
        )


def _tables() -> list[Table]:
    """Every table, parents first: the caller has imported `practice.tables` (which the store,
    below the features, cannot)."""
    from practice.store.base import Base

    if "client" not in Base.metadata.tables:
        raise RuntimeError("import practice.tables before moving a practice")
    return list(Base.metadata.sorted_tables)


def move_to_server(folder: Path, url: str, progress: Progress | None = None) -> Moved:
    """Copy the practice in `folder` into the empty server database `url` and check it."""
    from practice.paths import DB_FILENAME
    from practice.store import open_database
    from practice.store.keyfile import is_protected
    from practice.store.seal.verify import verify, verify_records

    server_url(url)
    if not (folder / DB_FILENAME).exists():
        raise ValidationError({"folder": f"No practice database at {folder / DB_FILENAME}."})
    if is_protected(folder):
        raise FasciaError(
            "An encrypted practice cannot be moved to a server yet: its seals are keyed by its "
            "passphrase. Nothing was changed."
        )
    source = open_database(folder, migrate=True)
    try:
        checked = verify_records(source)
        if not checked.ok:
            raise FasciaError(
                "The practice's records do not match their seals, so it is not moved: "
                + checked.summary()
            )
        engine = server.engine_for(url)
        try:
            if server._checked(url, engine) is not None:
                raise server.ServerError(
                    f"The server database already holds a Fascia practice ({url.split('@')[-1]})"
                    ": nothing was copied. Move a practice only into an empty database."
                )
            with engine.begin() as target:
                config = server._alembic_config(url)
                config.attributes["connection"] = target
                from alembic import command

                command.upgrade(config, "head")
                target.exec_driver_sql(server.SERVER_QUEUE)
                rows = _copy(source, target, progress)
                documents = _check_documents(source, target)
                raw = ServerConnection(target.connection.driver_connection)
                result = verify(raw, source.seal_key)
                if not result.ok or result.head != checked.head:
                    raise FasciaError(
                        "The copy on the server did not verify, so nothing was kept: "
                        + result.summary()
                    )
        finally:
            engine.dispose()
    finally:
        source.close()
    return Moved(rows, checked.seals, documents)


def _copy(source, target, progress: Progress | None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    tables = _tables()
    for table in tables:
        target.exec_driver_sql(f"ALTER TABLE {table.name} DISABLE TRIGGER USER")
    copied: dict[str, int] = {}
    with source.engine.connect() as reading:
        for number, table in enumerate(tables):
            if progress is not None:
                progress.report(number, len(tables), f"Copying {table.name}")
            count = 0
            result = reading.execution_options(yield_per=BATCH).execute(select(table))
            for chunk in result.mappings().partitions(BATCH):
                target.execute(insert(table), [dict(row) for row in chunk])
                count += len(chunk)
            copied[table.name] = count
            written = target.execute(select(func.count()).select_from(table)).scalar_one()
            if written != count:
                raise FasciaError(
                    f"{table.name}: {count} rows read but {written} on the server; "
                    "nothing was kept."
                )
            if "id" in table.c and table.c.id.autoincrement and count:
                target.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
    for table in tables:
        target.exec_driver_sql(f"ALTER TABLE {table.name} ENABLE TRIGGER USER")
    return copied


def _check_documents(source, target) -> int:  # type: ignore[no-untyped-def]
    """Every issued document's PDF on the server matches its stored SHA-256 and the folder's."""
    query = text("SELECT id, sha256, pdf FROM issued_document ORDER BY id")
    with source.engine.connect() as reading:
        before = {row[0]: row[1] for row in reading.execute(query)}
    after = 0
    for doc_id, sha, pdf in target.execute(query):
        if hashlib.sha256(bytes(pdf)).hexdigest() != sha or before.get(doc_id) != sha:
            raise FasciaError(f"Issued document {doc_id} did not copy exactly; nothing was kept.")
        after += 1
    if after != len(before):
        raise FasciaError("Not every issued document reached the server; nothing was kept.")
    return after
