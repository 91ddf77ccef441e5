"""fascia-cli summary and document: a physician summary as PDF (optionally issued), and
reprints of issued documents exactly as they were handed over."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.cli.opening import open_practice

if TYPE_CHECKING:
    pass


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
    document = commands.add_parser("document", help="issued documents: list them, reprint one")
    actions = document.add_subparsers(dest="document_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="a client's issued documents, newest first")
    listing.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    reprint = actions.add_parser("pdf", help="an issued document exactly as issued, as PDF")
    reprint.add_argument("document", type=int, metavar="ID", help="issued document id")
    reprint.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")


def run_summary(data_dir: Path, args: argparse.Namespace) -> int:
    """Write the summary; with --issue store it too. Nothing is written when anything is wrong."""
    from practice import printouts
    from practice.summaries import service

    out = printouts.check_target(args.out)
    db = open_practice(data_dir)
    try:
        draft = service.summary_draft(
            db, args.client, plan_id=args.plan, since=args.start, until=args.end
        )
        if args.issue:
            issued = printouts.issue_summary(db, draft)
            printouts.issued_document_pdf(db, issued.id, to_file=out)
        else:
            printouts.physician_summary_pdf(db, draft, to_file=out)
    finally:
        db.close()
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


def run_document(data_dir: Path, args: argparse.Namespace) -> int:
    """List a client's issued documents, or write one exactly as it was issued."""
    from practice import printouts
    from practice.summaries import service

    if args.document_command == "list":
        db = open_practice(data_dir)
        try:
            documents = service.list_documents(db, args.client)
        finally:
            db.close()
        for d in documents:
            to = f" to {d.physician}" if d.physician else ""
            print(f"{d.id:>6}  {d.issued_at.astimezone():%Y-%m-%d %H:%M}  {d.title}{to}")
        if not documents:
            print(f"No issued documents for client {args.client}.")
        return 0
    out = printouts.check_target(args.out)
    db = open_practice(data_dir)
    try:
        made = printouts.issued_document_pdf(db, args.document, to_file=out)
    finally:
        db.close()
    print(f"{made.title} written to {out}")
    return 0


COMMANDS = {"summary": run_summary, "document": run_document}
