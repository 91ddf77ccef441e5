"""Export the whole practice, or one client's records, to an open, documented zip archive.

One CSV per table (`tables/NAME.csv`), each body chart as JSON (`charts/`), every issued PDF
exactly as issued (`documents/`), a README.txt that explains every column, and manifest.json
with the SHA-256 of every file and the row counts. Everything is read from one snapshot of the
database (a read transaction), so the files agree with each other even while the app keeps
working. The export is audited before it is read (as printouts are).
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from practice import printouts
from practice.changes import Changes
from practice.exchange import readme, scope
from practice.exchange.archive import ArchiveWriter, Manifest, write_archive
from practice.exchange.columns import WRITERS, ExportTable, Kind, export_tables
from practice.paths import resource
from practice.printouts.output import target
from practice.progress import Progress
from practice.store import audit
from practice.store.connection import connect
from practice.store.database import Database
from practice.store.rows import get_or_raise

BATCH = 2000
REGIONS = "charts/regions.csv"
PDF_FOLDER = "pdf"
CSV_BOM = "\ufeff"  # Excel then reads the file as UTF-8


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    path: Path
    counts: dict[str, int]
    files: int
    size: int
    client_id: int | None

    @property
    def changes(self) -> Changes:
        return Changes.of("document", client_id=self.client_id)


# Extra files a client's export adds (their documents as PDF): called inside the snapshot.
Extra = Callable[[ArchiveWriter, Progress], dict[str, Any]]


def export_practice(db: Database, out: Path, progress: Progress | None = None) -> Exported:
    """Everything in the practice, to the zip archive `out`."""
    out = _checked(db, out)
    audited = lambda: _audit(db, out, None, "The whole practice exported")  # noqa: E731
    return _export(db, out, None, scope.everything(export_tables()), audited, progress)


def export_client(
    db: Database, client_id: int, out: Path, progress: Progress | None = None
) -> Exported:
    """One client's records, for their request: their documents as PDF (`printouts`), and
    their rows in every table, body charts and issued documents as machine-readable files."""
    from practice.clients.models import ClientRow

    out = _checked(db, out)
    with db.read() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        name = f"{client.given_name} {client.family_name}".strip()
    audited = lambda: _audit(db, out, client_id, f"Records of {name} exported")  # noqa: E731
    conditions = scope.of_client(export_tables())
    documents = _documents(db, client_id, out)
    return _export(db, out, client_id, conditions, audited, progress, documents)


def _documents(db: Database, client_id: int, out: Path) -> Extra:
    def add(writer: ArchiveWriter, progress: Progress) -> dict[str, Any]:
        made = printouts.client_records(db, client_id, into=out, progress=progress)
        for k, printout in enumerate(made, 1):
            name = printout.file_name.replace("/", "-").replace("\\", "-")
            writer.add(f"{PDF_FOLDER}/{k:03d} {name}", printout.data)
        return {"documents": [printout.title for printout in made]}

    return add


def _checked(db: Database, out: Path) -> Path:
    checked = target(db, Path(out))
    assert checked is not None
    return checked


def _audit(db: Database, out: Path, client_id: int | None, what: str) -> None:
    with db.transaction() as session:
        audit.log(
            db,
            session,
            action="export",
            entity="client" if client_id is not None else "practice",
            entity_id=client_id,
            client_id=client_id,
            summary=f"{what} to {out}",
            changes={"file": [None, str(out)]},
        )


def _export(
    db: Database,
    out: Path,
    client_id: int | None,
    conditions: dict[str, str],
    audited: Callable[[], None],
    progress: Progress | None,
    extra: Extra | None = None,
) -> Exported:
    """Write the archive; the audit entry goes in once its temporary file exists (so a name
    the disk refuses is refused before anything is recorded), before anything is read."""
    progress = progress or Progress()
    progress.report(0, 0, "Reading the practice…")
    connection = connect(db.path, read_only=True, autocommit=True)
    try:
        connection.execute("BEGIN")  # one snapshot for every table
        parameters = {"client": client_id}
        counts = _counts(connection, conditions, parameters)

        def fill(writer: ArchiveWriter) -> dict[str, Any]:
            audited()
            reader = _Reader(connection, parameters, writer, progress, sum(counts.values()))
            for table in export_tables():
                reader.table(table, conditions[table.name])
            writer.add(REGIONS, resource("bodymap", "regions.csv").read_bytes())
            details = extra(writer, progress) if extra is not None else {}
            writer.add("README.txt", readme.text(counts, client_id).encode("utf-8"))
            return {
                "scope": "client" if client_id is not None else "practice",
                "client_id": client_id,
                "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": counts,
                **details,
            }

        manifest = write_archive(out, fill, progress)
    finally:
        connection.close()
    return _exported(out, manifest, client_id)


def _exported(out: Path, manifest: Manifest, client_id: int | None) -> Exported:
    return Exported(
        path=out,
        counts=manifest.counts,
        files=len(manifest.files),
        size=out.stat().st_size,
        client_id=client_id,
    )


def _counts(
    connection: sqlite3.Connection, conditions: dict[str, str], parameters: dict[str, Any]
) -> dict[str, int]:
    return {
        table.name: connection.execute(
            f"SELECT count(*) FROM {table.name} WHERE {conditions[table.name]}", parameters
        ).fetchone()[0]
        for table in export_tables()
    }


class _Reader:
    """Streams each table's rows into its CSV (and its file columns into files of their own)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        parameters: dict[str, Any],
        writer: ArchiveWriter,
        progress: Progress,
        total: int,
    ) -> None:
        self._connection = connection
        self._parameters = parameters
        self._writer = writer
        self._progress = progress
        self._total = total
        self._done = 0

    def table(self, table: ExportTable, condition: str) -> None:
        self._progress.report(self._done, self._total, f"Exporting {table.name}…")
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        order = ", ".join(c.name for c in table.table.primary_key.columns)
        rows = self._connection.execute(
            f"SELECT {names} FROM {table.name} WHERE {condition} ORDER BY {order}",
            self._parameters,
        )
        convert = self._converters(table)
        if any(c.kind is Kind.FILE for c in table.columns):
            # Its files are added as its rows are read; a zip takes one file at a time, so
            # this table's CSV (a small one) is kept in memory and added after them.
            pieces: list[bytes] = []
            self._rows(table, rows, convert, pieces.append)
            self._writer.add(table.file_name, b"".join(pieces))
        else:
            with self._writer.stream(table.file_name) as write:
                self._rows(table, rows, convert, write)

    def _rows(
        self,
        table: ExportTable,
        rows: sqlite3.Cursor,
        convert: Callable[[Sequence[Any]], list[str]],
        write: Callable[[bytes], None],
    ) -> None:
        text = io.StringIO()
        lines = csv.writer(text)
        text.write(CSV_BOM)
        lines.writerow(table.headers)
        while batch := rows.fetchmany(BATCH):
            lines.writerows(map(convert, batch))
            write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
            self._done += len(batch)
            self._progress.report(self._done, self._total)
        write(text.getvalue().encode("utf-8"))

    def _converters(self, table: ExportTable) -> Callable[[Sequence[Any]], list[str]]:
        """A function from a stored row to its CSV cells."""
        key = [c.name for c in table.columns].index(table.table.primary_key.columns[0].name)
        writers: list[Callable[[Any], str]] = []
        files: list[tuple[int, Callable[[Sequence[Any]], str]]] = []
        for k, column in enumerate(table.columns):
            if column.kind is Kind.FILE:
                files.append((k, self._file_writer(table, column, k, key)))
                writers.append(str)
            else:
                writers.append(WRITERS[column.kind])

        def convert(row: Sequence[Any]) -> list[str]:
            cells = ["" if v is None else w(v) for w, v in zip(writers, row, strict=True)]
            for k, write in files:
                cells[k] = write(row)
            return cells

        return convert

    def _file_writer(
        self, table: ExportTable, column: Any, index: int, key: int
    ) -> Callable[[Sequence[Any]], str]:
        def write(row: Sequence[Any]) -> str:
            value = row[index]
            if value is None:
                return ""
            path = table.file_path(column, row[key])
            self._writer.add(path, value if isinstance(value, bytes) else str(value).encode())
            return path

        return write
