"""fascia-cli summary: a physician treatment summary of a client as PDF, optionally issued."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from practice.errors import ValidationError
from practice.paths import DB_FILENAME


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-05") from None


def add_commands(commands: Any) -> None:
    summary = commands.add_parser(
        "summary", help="a treatment summary for the referring physician, as PDF"
    )
    summary.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    summary.add_argument(
        "--plan", type=int, metavar="ID", help="the treatment plan (default: the current one)"
    )
    summary.add_argument(
        "--from", dest="start", type=_day, metavar="DATE", help="first day of the period"
    )
    summary.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day")
    summary.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")
    summary.add_argument(
        "--issue",
        action="store_true",
        help="store it as issued (kept unchanged, with its exact PDF, for reprints)",
    )


def run_summary(data_dir: Path, args: argparse.Namespace) -> int:
    """Write the summary; with --issue store it too. Nothing is written when anything is wrong."""
    from practice.documents import printouts
    from practice.store import open_database
    from practice.summaries import service

    out: Path = args.out
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError({"out": f"{out} is not a file in an existing folder."})
    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    db = open_database(data_dir)
    try:
        draft = service.summary_draft(
            db, args.client, plan_id=args.plan, since=args.start, until=args.end
        )
        if args.issue:
            issued = printouts.issue_summary(db, draft)
            data = service.document_pdf(db, issued.id)
        else:
            data = printouts.render_summary(draft)
    finally:
        db.close()
    try:
        out.write_bytes(data)
    except OSError as error:
        raise ValidationError({"out": f"{out} cannot be written: {error.strerror}."}) from None
    done = len(draft.completed_visits)
    period = (
        f"{draft.period_start.isoformat()} to {draft.period_end.isoformat()}"
        if draft.period_start and draft.period_end
        else "no visits yet"
    )
    what = "Issued treatment summary" if args.issue else "Treatment summary"
    print(
        f"{what} of {draft.client_name} ({period}, {done} visit{'s' * (done != 1)}) "
        f"written to {out}"
    )
    return 0


COMMANDS = {"summary": run_summary}
