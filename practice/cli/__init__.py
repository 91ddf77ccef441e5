"""fascia-cli: headless commands over a practice folder. Never imports Qt."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice import __version__
from practice.errors import FasciaError, ValidationError
from practice.paths import resolve_data_dir

if TYPE_CHECKING:
    from practice.progress import Progress


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
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="an encrypted practice's passphrase (default: FASCIA_PASSPHRASE or a prompt)",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="work on a clinic's practice on a PostgreSQL server (postgresql://host/database)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty practice with realistic demo data")
    demo.add_argument("--clients", type=int, default=40, metavar="N", help="how many clients")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed")

    check = commands.add_parser(
        "check", help="schema version, counts, SQLite integrity checks and the record seals"
    )
    check.add_argument(
        "--against",
        type=Path,
        metavar="BACKUP",
        help="also check that the seals in this backup are still in the practice, unchanged",
    )

    chart = commands.add_parser("chart", help="print a client's body charts as PDF")
    actions = chart.add_subparsers(dest="chart_command", required=True, metavar="ACTION")
    pdf = actions.add_parser("pdf", help="one body chart (default: the latest)")
    pdf.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    which = pdf.add_mutually_exclusive_group()
    which.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the chart of this day")
    which.add_argument("--chart", type=int, metavar="ID", help="the chart with this id")
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")
    compare = actions.add_parser(
        "compare", help="before and after: two body charts and the change between them"
    )
    compare.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    compare.add_argument(
        "--from",
        dest="start",
        type=_day,
        metavar="DATE",
        help="the first chart on or after this day (default: the first chart)",
    )
    compare.add_argument(
        "--to",
        dest="end",
        type=_day,
        metavar="DATE",
        help="the last chart on or before this day (default: the latest chart)",
    )
    compare.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")
    history = actions.add_parser("history", help="every body chart of a client, first to latest")
    history.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    history.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")
    for module in _feature_modules():
        module.add_commands(commands)
    return parser


# Features with commands of their own: each module has `add_commands(commands)`, which adds its
# sub-parsers, and `COMMANDS`, a dict from command name to `run(data_dir, args) -> exit code`.
FEATURE_COMMANDS = (
    "practice.cli.billing",
    "practice.cli.summaries",
    "practice.cli.schedule",
    "practice.cli.today",
    "practice.cli.backups",
    "practice.cli.exchange",
    "practice.cli.protect",
    "practice.cli.server",
)
# The commands that open the practice through `opening.open_practice`, and so take --server.
SERVER_COMMANDS = {
    *("chart", "today", "summary", "document", "report", "invoice", "superbill"),
    *("schedule", "ics", "reminders", "server", "backup", "backups", "restore"),
}


def _feature_modules() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in FEATURE_COMMANDS]


def _command(name: str) -> Any:
    if name in COMMANDS:
        return COMMANDS[name]
    for module in _feature_modules():
        if name in module.COMMANDS:
            return module.COMMANDS[name]
    raise KeyError(name)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-05") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every failure is one line on stderr and a non-zero exit status; with
    FASCIA_DEBUG=1 an unexpected one shows its traceback as well."""
    args = _parser().parse_args(argv)
    try:
        data_dir = resolve_data_dir(args.data_dir)
        _on_server(args)
        if not args.server:
            _unlock(data_dir, args)
        status = _command(args.command)(data_dir, args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except ValidationError as error:
        for field, message in error.errors.items():
            _fail(f"{field + ': ' if field else ''}{message}")
        return 2
    except FasciaError as error:
        _fail(str(error))
        return 1
    except BrokenPipeError:
        # The reader went away (`fascia-cli report balances | head -1`): stop quietly. Python
        # flushes stdout again at exit, so point it at devnull first (as the Python docs do).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        _fail("interrupted.")
        return 130
    except Exception as error:
        if os.environ.get("FASCIA_DEBUG"):
            traceback.print_exc()
        _fail(f"{_describe(error, args.command)} Re-run with FASCIA_DEBUG=1 to see the details.")
        return 1


def _on_server(args: argparse.Namespace) -> None:
    """Point the commands at --server's practice (refusing those that need a folder)."""
    from practice.cli.opening import use_server

    if args.server:
        from practice.store.engines import server_url

        server_url(args.server)  # a malformed address is refused before anything runs
    if args.server and args.command not in SERVER_COMMANDS:
        raise ValidationError(
            {"server": f"{args.command} works on a practice folder, not yet on a server."}
        )
    use_server(args.server)


def _unlock(data_dir: Path, args: argparse.Namespace) -> None:
    """Open an encrypted practice's files with its key (the passphrase asked for once)."""
    from practice.store.keyfile import needs_unlock

    if args.command == "protect" or not needs_unlock(data_dir):
        return
    from practice.cli.protect import unlock

    unlock(data_dir, args)


def _fail(message: str) -> None:
    """One line on stderr, however many lines the message had."""
    line = " ".join(message.split())
    print(f"fascia-cli: {line[:500]}", file=sys.stderr)


def _describe(error: Exception, command: str) -> str:
    """What failed, in a sentence, for an error no command turned into a message."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"{command} failed: cannot use{where}: {error.strerror or error}."
    cause = getattr(error, "orig", None) or error
    from practice.cli.opening import server

    if server() and isinstance(error, SQLAlchemyError):
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return f"{command} failed on the server ({first}); nothing was half-saved."
    if isinstance(error, sqlite3.Error | SQLAlchemyError):
        return (
            f"{command} failed: the practice database cannot be read ({cause}): restore a backup."
        )
    return f"{command} failed unexpectedly: {type(error).__name__}: {error}."


def _demo(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.demo import check_size
    from practice.demo_aside import fill
    from practice.store import open_database

    check_size(args.clients)  # before the folder is made or opened
    db = open_database(data_dir)
    try:
        started = time.perf_counter()
        result = fill(db, clients_count=args.clients, seed=args.seed, progress=_shown_progress())
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    print(
        f"Demo practice written to {data_dir}: {result.clients} clients, "
        f"{result.physicians} physicians, {result.intakes} intakes, {result.charts} body charts, "
        f"{result.visits} visits, {result.invoices} invoices in {elapsed:.1f} s."
    )
    return 0


def _shown_progress() -> Progress | None:
    """On a terminal, a line on stderr that says how far the work is, rewritten in place and
    cleared at the end; elsewhere (a script, a pipe) nothing, so stderr holds only errors."""
    if not sys.stderr.isatty():
        return None
    from practice.progress import Progress

    def show(done: int, total: int, text: str) -> None:
        line = f"{text}… {100 * done // total}%" if total else f"{text}…"
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\r\x1b[K{line}{end}")
        sys.stderr.flush()

    return Progress(show)


def _check(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.clients import service as clients
    from practice.store import open_database, schema
    from practice.store.connection import connect
    from practice.store.seal.against import rewritten_since
    from practice.store.seal.verify import verify_records

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
        conn = connect(db_path)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
        print(f"Journal mode:    {journal}")
        print(f"Integrity check: {'ok' if integrity == ['ok'] else '; '.join(integrity)}")
        print(f"Foreign keys:    {'ok' if not foreign else f'{len(foreign)} broken references'}")
        records = verify_records(db)
        print(records.summary())
        if args.against is not None:
            with db.read() as session:
                rewritten = rewritten_since(db.raw_connection(session), args.against)
            print(
                f"Against backup:  {'; '.join(rewritten) or 'every seal of the backup is intact'}"
            )
            if rewritten:
                problems.append("history rewritten since the backup")
        if integrity != ["ok"]:
            problems.append("integrity check failed")
        if not records.ok:
            problems.append("records were tampered with")
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


def _chart(data_dir: Path, args: argparse.Namespace) -> int:
    """Print one chart, compare two, or the whole history of a client to a PDF file.

    Nothing is written when anything is wrong; the export is audited.
    """
    from practice import printouts
    from practice.cli.opening import open_practice

    out = printouts.check_target(args.out)
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if start is not None and end is not None and start > end:
        raise ValidationError({"from": "The --from date is after the --to date."})
    db = open_practice(data_dir)
    try:
        if args.chart_command == "pdf":
            made = printouts.pain_chart_pdf(
                db, args.client, chart_id=args.chart, on=args.date, to_file=out
            )
        elif args.chart_command == "compare":
            made = printouts.chart_comparison_pdf(
                db, args.client, since=start, until=end, to_file=out
            )
        else:
            made = printouts.chart_history_pdf(db, args.client, to_file=out)
    finally:
        db.close()
    print(f"{made.title} written to {out}")
    return 0


COMMANDS = {"demo": _demo, "check": _check, "chart": _chart}

if __name__ == "__main__":
    raise SystemExit(main())
