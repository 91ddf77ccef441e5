"""fascia-cli export (the whole practice or one client's records) and import (clients from CSV)."""

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
        f"Exported {rows} records and {made.files} files to {made.path} "
        f"({made.size / 1_000_000:.1f} MB); every checksum verified."
    )
    return 0


COMMANDS = {"export": _export}
