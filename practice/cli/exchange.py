"""fascia-cli export (the whole practice or one client's records) and import (clients, or past
visits of clients on file, from CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from practice.errors import ValidationError
from practice.paths import DB_FILENAME


def add_commands(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="everything (or one client's records) to an open, documented zip archive"
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="zip to write")
    export.add_argument(
        "--client", type=int, metavar="ID", help="only this client's records (their request)"
    )
    from practice.exchange.formats import FORMATS

    imports = commands.add_parser(
        "import",
        help="clients (or, with --visits, past visits) from a CSV export of Jane, Cliniko, "
        "SimplePractice, ClinicSense …",
    )
    imports.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file")
    imports.add_argument(
        "--visits",
        action="store_true",
        help="the rows are past visits (appointment history) of clients already on file",
    )
    imports.add_argument(
        "--format", choices=sorted(FORMATS), default="generic", help="which tool made it"
    )
    imports.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADING=FIELD",
        help="put a column into a field (repeatable); replaces the format's own mapping",
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="check every row and report; save nothing"
    )


def _export(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.exchange import export
    from practice.store import open_database

    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    db = open_database(data_dir)
    try:
        if args.client is None:
            made = export.export_practice(db, args.out)
        else:
            made = export.export_client(db, args.client, args.out)
    finally:
        db.close()
    rows = sum(made.counts.values())
    print(
        f"Exported {rows:,} records and {made.files:,} files to {made.path} "
        f"({made.size / 1_000_000:.1f} MB); every checksum verified."
    )
    return 0


def _import(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.exchange import importing, visit_import
    from practice.exchange.formats import FIELDS_OF, FORMATS, Target
    from practice.store import open_database

    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    target = Target.VISITS if args.visits else Target.CLIENTS
    source = importing.read_source(args.file)
    form = FORMATS[args.format]
    if args.map:
        mapping = importing.mapping_from_text(source, args.map, target)
    else:
        mapping = importing.guess_mapping(source, form, target)
    preview_of, save, text = (
        (visit_import.preview_visits, visit_import.save_visits, visit_import.visits_text)
        if args.visits
        else (importing.preview_import, importing.save_import, importing.clients_text)
    )
    db = open_database(data_dir)
    try:
        preview = preview_of(db, source, mapping, form)
        for column, name in sorted(mapping.items()):
            print(f"  {source.headings[column]!r} -> {FIELDS_OF[target][name]}")
        _report(preview)
        if args.dry_run:
            print("Dry run: nothing was saved.")
            return 0
        made = save(db, preview)  # type: ignore[arg-type]
    finally:
        db.close()
    backed = " (the practice was backed up first)" if made.created else ""
    print(f"Imported {text(made.created)} from {source.path.name}{backed}.")
    return 0


def _report(preview: Any) -> None:
    from practice.exchange.importing import RowState

    new, same, bad = (preview.count(s) for s in RowState)
    print(
        f"{len(preview.rows):,} rows: {new:,} new, {same:,} already on file, {bad:,} with problems"
    )
    for row in preview.rows:
        if row.state is RowState.DUPLICATE:
            print(f"  line {row.line}: {row.name} is already on file ({row.duplicate_of}); skipped")
        elif row.state is RowState.INVALID:
            problems = " ".join(f"{field}: {text}" for field, text in row.errors.items())
            print(f"  line {row.line}: skipped: {problems}")


COMMANDS = {"export": _export, "import": _import}
