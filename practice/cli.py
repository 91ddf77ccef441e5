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
from practice.paths import DB_FILENAME, resolve_data_dir

if TYPE_CHECKING:
    from practice.bodymap.service import BodyChart, BodyChartSummary
    from practice.clients.records import Client
    from practice.store.database import Database


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
    for module in _feature_modules():
        module.add_commands(commands)
    return parser


# Features with commands of their own: each module has `add_commands(commands)`, which adds its
# sub-parsers, and `COMMANDS`, a dict from command name to `run(data_dir, args) -> exit code`.
FEATURE_COMMANDS = ("practice.billing.cli", "practice.summaries.cli")


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
    if isinstance(error, sqlite3.Error | SQLAlchemyError):
        return (
            f"{command} failed: the practice database cannot be read ({cause}): restore a backup."
        )
    return f"{command} failed unexpectedly: {type(error).__name__}: {error}."


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
        f"{result.physicians} physicians, {result.intakes} intakes, {result.charts} body charts, "
        f"{result.visits} visits, {result.invoices} invoices in {elapsed:.1f} s."
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


def _chart(data_dir: Path, args: argparse.Namespace) -> int:
    """Print one chart, or compare two, of a client; nothing is written when anything is wrong."""
    from practice.bodymap import service as charts
    from practice.clients import service as clients
    from practice.documents.pain_chart import chart_comparison_pdf, pain_chart_pdf
    from practice.store import open_database

    out: Path = args.out
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError({"out": f"{out} is not a file in an existing folder."})
    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    db = open_database(data_dir)
    try:
        client = _client(db, args.client)
        profile = clients.get_profile(db)
        if profile is None:
            raise ValidationError(
                {"profile": "Fill in the practice profile in Fascia first; it heads every page."}
            )
        history = charts.chart_history(db, client.id)
        if not history:
            raise ValidationError({"client": f"{client.legal_name} has no body charts yet."})
        if args.chart_command == "pdf":
            chart = _one_chart(db, client.id, history, args)
            data = pain_chart_pdf(profile, client, chart)
            what = f"Pain chart of {chart.charted_on.isoformat()}"
        else:
            before, after = _two_charts(db, history, args.start, args.end)
            data = chart_comparison_pdf(profile, client, before, after)
            what = (
                f"Comparison of {before.charted_on.isoformat()} and {after.charted_on.isoformat()}"
            )
    finally:
        db.close()
    try:
        out.write_bytes(data)
    except OSError as error:
        raise ValidationError({"out": f"{out} cannot be written: {error.strerror}."}) from None
    print(f"{what} written to {out}")
    return 0


def _client(db: Database, client_id: int) -> Client:
    from practice.clients import service as clients
    from practice.errors import NotFoundError

    try:
        return clients.get_client(db, client_id)
    except NotFoundError:
        raise ValidationError({"client": f"No client with id {client_id}."}) from None


def _one_chart(
    db: Database, client_id: int, history: list[BodyChartSummary], args: argparse.Namespace
) -> BodyChart:
    from practice.bodymap import service as charts
    from practice.errors import NotFoundError

    if args.chart is not None:
        try:
            chart = charts.get_chart(db, args.chart)
        except NotFoundError:
            raise ValidationError({"chart": f"No body chart with id {args.chart}."}) from None
        if chart.client_id != client_id:
            raise ValidationError({"chart": f"Chart {args.chart} belongs to another client."})
        return chart
    if args.date is None:
        return charts.get_chart(db, history[-1].id)
    same_day = [h for h in history if h.charted_on == args.date]
    if not same_day:
        days = ", ".join(sorted({h.charted_on.isoformat() for h in history}))
        raise ValidationError(
            {"date": f"No body chart on {args.date.isoformat()}; there are charts on {days}."}
        )
    return charts.get_chart(db, same_day[-1].id)


def _two_charts(
    db: Database, history: list[BodyChartSummary], start: date | None, end: date | None
) -> tuple[BodyChart, BodyChart]:
    from practice.bodymap import service as charts

    if start is not None and end is not None and start > end:
        raise ValidationError({"from": "The --from date is after the --to date."})
    first = next((h for h in history if start is None or h.charted_on >= start), None)
    last = next((h for h in reversed(history) if end is None or h.charted_on <= end), None)
    if first is None or last is None or first.charted_on >= last.charted_on:
        raise ValidationError(
            {"client": "A comparison needs two charts on different days in that period."}
        )
    return charts.get_chart(db, first.id), charts.get_chart(db, last.id)


COMMANDS = {"demo": _demo, "check": _check, "backup": _backup, "chart": _chart}

if __name__ == "__main__":
    raise SystemExit(main())
