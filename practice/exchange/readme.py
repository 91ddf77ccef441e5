"""README.txt inside an export: the format, then every table and column, written from the models."""

from __future__ import annotations

import textwrap

from practice import __version__
from practice.exchange.archive import FORMAT_VERSION, MANIFEST
from practice.exchange.columns import KIND_HELP, ExportColumn, ExportTable, Kind, export_tables

WIDTH = 78

INTRO = """\
{opening}

What is where
-------------
README.txt        this file
{manifest}     every file in the archive with its SHA-256 checksum and size, the
                  number of rows of each table, when the export was made and what it covers
tables/NAME.csv   one CSV file per table (below), one row per record
charts/           each body chart's drawing as JSON (body_chart-ID-data.json), and
                  regions.csv, the body regions the charts name
documents/        every issued document exactly as it was handed over (PDF); its SHA-256
                  is also in tables/issued_document.csv
files/            other stored files (the practice logo)
{extra}
How the CSV files are written
-----------------------------
* UTF-8 with a byte order mark (so spreadsheets read accented and other scripts), comma
  separated, fields with commas, quotes or line breaks in double quotes (RFC 4180).
* The first line names the columns. Rows are in the order of their `id` (or key).
* An empty cell is no value. Records refer to each other by id: a column "refers to
  client.id" holds the `id` of a row of tables/client.csv.
* Cells that start with = + - @ or a control character (a tab, a line break) get a leading '
  so that a spreadsheet shows them as text and never runs them as a formula; remove that one
  leading ' to get the text as stored. Plain numbers such as -12.50 are left as they are.
* Kinds of cell:
{kinds}

Body charts
-----------
A body chart's JSON file holds {{"version": 1, "marks": [...], ...}}: each mark names a body
region by code (F_ front, B_ back; B_NECK_R is the right side of the back of the neck), an
intensity 0-10 and the qualities of the pain; symbols, arrows, strokes and labels are drawn
on top. charts/regions.csv names every region code, its view and side, and the Widespread
Pain Index site it counts for.

Checking the archive
--------------------
Compute the SHA-256 of each file (sha256sum on Linux, shasum -a 256 on macOS,
Get-FileHash in PowerShell) and compare it with {manifest}.

Tables
======
"""


CLIENT_PDFS = """\
pdf/              the client's documents as PDF, as Fascia prints them: the latest intake
                  with the health history, the body chart history, every signed visit note
                  (with its amendments) and every issued invoice or credit note
"""


def text(counts: dict[str, int], client_id: int | None) -> str:
    """The README of an archive with these row counts (one client's when client_id is given)."""
    what = (
        f"the records of one client (client id {client_id}): their rows in every table, "
        "and the rows those refer to"
        if client_id is not None
        else "the whole practice"
    )
    kinds = "\n".join(
        _wrap(f"- {kind.value}: {KIND_HELP[kind]}", indent="    ", first="  ") for kind in Kind
    )
    parts = [
        INTRO.format(
            opening=_wrap(
                f"This archive holds {what}, exported by Fascia {__version__} (export format "
                f"{FORMAT_VERSION}). It is meant to be read without Fascia: every file is in "
                "an open format (CSV, JSON, PDF)."
            ),
            manifest=MANIFEST,
            extra=CLIENT_PDFS if client_id is not None else "",
            kinds=kinds,
        )
    ]
    for table in export_tables():
        if table.name in counts:
            parts.append(_table(table, counts[table.name]))
    return "\n".join(parts)


def _table(table: ExportTable, rows: int) -> str:
    title = f"{table.file_name} ({rows} row{'' if rows == 1 else 's'})"
    lines = [title, "-" * len(title)]
    if table.description:
        lines.append(_wrap(table.description))
    lines.append("")
    lines.extend(_column(column) for column in table.columns)
    return "\n".join(lines) + "\n"


def _column(column: ExportColumn) -> str:
    facts = [column.kind.value]
    if column.optional:
        facts.append("may be empty")
    if column.refers_to:
        facts.append(f"refers to {column.refers_to}")
    sentence = column.description or column.header.replace("_", " ").capitalize() + "."
    if column.allowed:
        sentence += " Stored values: " + ", ".join(column.allowed) + "."
    return _wrap(f"{column.header} ({'; '.join(facts)}): {sentence}", indent="    ", first="  ")


def _wrap(line: str, indent: str = "", first: str = "") -> str:
    return textwrap.fill(line, WIDTH, initial_indent=first, subsequent_indent=indent)
