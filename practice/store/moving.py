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

An encrypted practice is unlocked by the caller first (the CLI asks for its passphrase). Its
seal chain is keyed by its database key, which the server does not have: the copy is verified
under the folder's key (the same head), then the chain is linked again under the server's key
(the content hashes unchanged) and walked once more before the copy commits.
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
    relinked: bool = False  # an encrypted practice's seals, linked under the server's key

    def summary(self) -> str:
        total = sum(self.rows.values())
        relinked = " (then linked again under the server's key)" if self.relinked else ""
        return (
            f"Moved {total:,} rows in {len(self.rows)} tables, {self.documents:,} issued "
            f"documents and {self.seals:,} seals; every count, PDF checksum and seal matches"
            f"{relinked}."
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
    from practice.store.encryption import require_unlocked
    from practice.store.seal.verify import verify_records

    server_url(url)
    if not (folder / DB_FILENAME).exists():
        raise ValidationError({"folder": f"No practice database at {folder / DB_FILENAME}."})
    require_unlocked(folder)
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
                relinked = _check_seals(target, source.seal_key, checked.head)
            _settle(engine)
        finally:
            engine.dispose()
    finally:
        source.close()
    return Moved(rows, checked.seals, documents, relinked)


def _settle(engine) -> None:  # type: ignore[no-untyped-def]
    """VACUUM ANALYZE the new tables (outside a transaction, after the copy committed): the
    planner's statistics and the visibility map from the first query on, not when autovacuum
    gets to them. Without statistics it guesses (20 clients, say) and the client list's
    count reads the table instead of its index."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


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


def _check_seals(target, folder_key: bytes, head: tuple[int, str]) -> bool:  # type: ignore[no-untyped-def]
    """The copied chain and records verify under the folder's key with the folder's head; an
    encrypted practice's chain is then linked under the server's key and walked again
    (returns whether it was)."""
    from practice.store.seal.chain import SERVER_KEY, relink
    from practice.store.seal.verify import chain_problems, verify

    raw = ServerConnection(target.connection.driver_connection)
    result = verify(raw, folder_key)
    if not result.ok or result.head != head:
        raise FasciaError(
            "The copy on the server did not verify, so nothing was kept: " + result.summary()
        )
    if folder_key == SERVER_KEY:
        return False
    target.exec_driver_sql("ALTER TABLE seal DISABLE TRIGGER USER")
    relink(raw, SERVER_KEY)
    target.exec_driver_sql("ALTER TABLE seal ENABLE TRIGGER USER")
    problems = chain_problems(raw, SERVER_KEY)
    if problems:
        raise FasciaError(
            "The seals did not link under the server's key, so nothing was kept: "
            + "; ".join(problems[:3])
        )
    return True


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
