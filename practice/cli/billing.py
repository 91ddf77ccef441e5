"""fascia-cli billing commands: `report revenue|balances|tax`, printed and optionally as CSV.

`add_commands` adds the sub-parsers and `COMMANDS` maps a command name to its runner; to add a
command, write `_add_<name>(commands)` and `run_<name>(data_dir, args)` and list them below.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.cli.opening import open_practice
from practice.errors import ValidationError

if TYPE_CHECKING:
    pass


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-05") from None


def _add_report(commands: Any) -> None:
    report = commands.add_parser("report", help="billing reports: revenue, balances, tax")
    actions = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")
    for name, help_text in (
        ("revenue", "invoiced by month and service, money received by method"),
        ("tax", "tax collected per rate, less credit notes"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
        action.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
        action.add_argument("--csv", type=Path, metavar="FILE", help="also write a CSV file")
    balances = actions.add_parser("balances", help="outstanding balances with ageing")
    balances.add_argument("--as-of", dest="as_of", type=_day, metavar="DATE", help="default: today")
    balances.add_argument("--csv", type=Path, metavar="FILE", help="also write a CSV file")


def run_report(data_dir: Path, args: argparse.Namespace) -> int:
    from practice import printouts
    from practice.billing import reports

    out: Path | None = args.csv
    if out is not None:
        printouts.check_target(out, "csv")
    db = open_practice(data_dir)
    try:
        report: reports.Report
        if args.report_command == "balances":
            report = reports.ageing(db, args.as_of)
        elif args.report_command == "revenue":
            report = reports.revenue(db, args.start, args.end)
        else:
            report = reports.tax_collected(db, args.start, args.end)
        if out is not None:
            printouts.billing_report_csv(
                db,
                args.report_command,
                to_file=out,
                since=getattr(args, "start", None),
                until=getattr(args, "end", None),
                as_of=getattr(args, "as_of", None),
            )
    finally:
        db.close()
    for k, table in enumerate(reports.tables(report)):
        if k:
            print()
        _print_table(table)
    if out is not None:
        print(f"\nCSV written to {out}")
    return 0


def _print_table(table: Any, limit: int = 20) -> None:
    """A short aligned table: the first rows and the total row."""
    rows = list(table.rows)
    if len(rows) > limit:
        rows = [*rows[: limit - 1], ("...",) + ("",) * (len(table.header) - 1), rows[-1]]
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(table.header, *rows, strict=False)
    ]
    print(table.title)
    for row in (table.header, *rows):
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        print("  ".join(cells).rstrip())


# ---------------------------------------------------------------- invoice and superbill PDFs


def _add_invoice(commands: Any) -> None:
    invoice = commands.add_parser("invoice", help="print an invoice, credit note or receipt")
    actions = invoice.add_subparsers(dest="invoice_command", required=True, metavar="ACTION")
    pdf = actions.add_parser("pdf", help="an invoice or credit note as PDF, or its receipt")
    pdf.add_argument("number", metavar="NUMBER", help="invoice or credit note number")
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")
    pdf.add_argument(
        "--receipt",
        action="store_true",
        help="print the receipt for what is paid (marked DUPLICATE after the first)",
    )


def _add_superbill(commands: Any) -> None:
    superbill = commands.add_parser("superbill", help="print a superbill for insurance")
    actions = superbill.add_subparsers(dest="superbill_command", required=True, metavar="ACTION")
    pdf = actions.add_parser("pdf", help="a client's visits in a period as a superbill PDF")
    pdf.add_argument("--client", type=int, required=True, metavar="ID", help="client id")
    pdf.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    pdf.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")


def run_invoice(data_dir: Path, args: argparse.Namespace) -> int:
    """Write an invoice, credit note or receipt PDF; a receipt is counted as printed."""
    from practice import printouts
    from practice.billing import service as billing
    from practice.errors import NotFoundError

    out = printouts.check_target(args.out)
    db = open_practice(data_dir)
    try:
        try:
            invoice = billing.invoice_by_number(db, args.number)
        except NotFoundError as error:
            raise ValidationError({"number": str(error)}) from None
        make = printouts.receipt_pdf if args.receipt else printouts.invoice_pdf
        made = make(db, invoice.id, to_file=out)
    finally:
        db.close()
    print(f"{made.title} written to {out}")
    return 0


def run_superbill(data_dir: Path, args: argparse.Namespace) -> int:
    """Write a client's superbill for the visits between two dates."""
    from practice import printouts

    if args.start > args.end:
        raise ValidationError({"from": "The --from date is after the --to date."})
    out = printouts.check_target(args.out)
    db = open_practice(data_dir)
    try:
        made = printouts.superbill_pdf(db, args.client, args.start, args.end, to_file=out)
    finally:
        db.close()
    print(f"{made.title} written to {out}")
    return 0


_PARSERS: tuple[Callable[[Any], None], ...] = (_add_report, _add_invoice, _add_superbill)


def add_commands(commands: Any) -> None:
    """Add the billing sub-parsers to fascia-cli's `commands` (an argparse subparsers object)."""
    for add in _PARSERS:
        add(commands)


COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "report": run_report,
    "invoice": run_invoice,
    "superbill": run_superbill,
}
