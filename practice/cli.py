"""fascia-cli: headless commands over a practice folder. Never imports Qt."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from practice import __version__
from practice.errors import FasciaError, ValidationError
from practice.paths import resolve_data_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fascia-cli", description="Fascia practice manager: headless commands."
    )
    parser.add_argument("--version", action="version", version=f"Fascia {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="practice folder (default: FASCIA_DATA_DIR or the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty practice with realistic demo data")
    demo.add_argument("--clients", type=int, default=40, metavar="N", help="how many clients")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed")

    commands.add_parser("check", help="schema version, counts and SQLite integrity checks")
    commands.add_parser("backup", help="write a consistent copy of the database to backups/")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    try:
        return COMMANDS[args.command](data_dir, args)
    except ValidationError as error:
        for field, message in error.errors.items():
            print(f"fascia-cli: {field + ': ' if field else ''}{message}", file=sys.stderr)
        return 2
    except FasciaError as error:
        print(f"fascia-cli: {error}", file=sys.stderr)
        return 1


def _demo(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.demo import generate
    from practice.store import open_database

    db = open_database(data_dir)
    try:
        started = time.perf_counter()
        result = generate(db, clients_count=args.clients, seed=args.seed)
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    print(
        f"Demo practice written to {data_dir}: {result.clients} clients, "
        f"{result.physicians} physicians, {result.intakes} intakes in {elapsed:.1f} s."
    )
    return 0


def _check(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.clients import service as clients
    from practice.store import open_database, schema

    db_path = data_dir / "fascia.db"
    if not db_path.exists():
        print(f"fascia-cli: no practice database at {db_path}", file=sys.stderr)
        return 1
    db = open_database(data_dir)
    problems = []
    try:
        revision = schema.current_revision(db_path)
        print(f"Database:        {db_path}")
        print(f"Schema version:  {revision} (this Fascia: {schema.head_revision()})")
        counts = clients.counts(db)
        print(f"Clients:         {counts.active} active, {counts.archived} archived")
        print(f"Physicians:      {counts.physicians}")
        print(f"Intakes:         {counts.intakes}")
        print(f"Consents:        {counts.consents}")
        conn = sqlite3.connect(db_path)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
        print(f"Journal mode:    {journal}")
        print(f"Integrity check: {'ok' if integrity == ['ok'] else '; '.join(integrity)}")
        print(f"Foreign keys:    {'ok' if not foreign else f'{len(foreign)} broken references'}")
        if integrity != ["ok"]:
            problems.append("integrity check failed")
        if foreign:
            problems.append("foreign key check failed")
        if revision != schema.head_revision():
            problems.append("schema is not current")
    finally:
        db.close()
    if problems:
        print(f"PROBLEMS: {', '.join(problems)}", file=sys.stderr)
        return 1
    print("All checks passed.")
    return 0


def _backup(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.store import open_database
    from practice.store.backup import backup_file

    db = open_database(data_dir)
    try:
        path = backup_file(db.path, reason="manual")
    finally:
        db.close()
    print(f"Backup written to {path}")
    return 0


COMMANDS = {"demo": _demo, "check": _check, "backup": _backup}

if __name__ == "__main__":
    raise SystemExit(main())
