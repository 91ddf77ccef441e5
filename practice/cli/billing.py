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

from practice.errors import ValidationError
from practice.paths import DB_FILENAME

if TYPE_CHECKING:
    from practice.clients.records import PracticeProfile
    from practice.store.database import Database


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
    from practice.billing import reports
    from practice.store import open_database

    out: Path | None = args.csv
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        raise ValidationError({"csv": f"{out} is not a file in an existing folder."})
    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    db = open_database(data_dir)
    try:
        report: reports.Report
        if args.report_command == "balances":
            report = reports.ageing(db, args.as_of)
        elif args.report_command == "revenue":
            report = reports.revenue(db, args.start, args.end)
        else:
            report = reports.tax_collected(db, args.start, args.end)
    finally:
        db.close()
    tables = reports.tables(report)
    for k, table in enumerate(tables):
        if k:
            print()
        _print_table(table)
    if out is not None:
        reports.write_tables(tables, out)
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
    """Write an invoice, credit note or receipt PDF; a receipt is recorded as printed."""
    from practice.billing import service as billing
    from practice.clients import service as clients
    from practice.documents.invoice import invoice_pdf, invoice_title
    from practice.documents.receipt import receipt_number, receipt_pdf
    from practice.errors import NotFoundError

    out = _pdf_target(args.out, data_dir)
    db = _open(data_dir)
    try:
        profile = _profile(db)
        try:
            invoice = billing.invoice_by_number(db, args.number)
        except NotFoundError as error:
            raise ValidationError({"number": str(error)}) from None
        client = clients.get_client(db, invoice.client_id)
        payments = billing.list_payments(db, invoice_id=invoice.id)
        settings = billing.get_settings(db)
        if args.receipt:
            receipt = billing.issue_receipt(db, invoice.id)
            data = receipt_pdf(profile, client, invoice, receipt, payments, settings)
            what = f"Receipt {receipt_number(invoice)}"
            if receipt.duplicate:
                what += f" (DUPLICATE, copy {receipt.number})"
        else:
            services = billing.list_services(db, include_archived=True)
            data = invoice_pdf(profile, client, invoice, settings, payments, services)
            what = invoice_title(invoice)
    finally:
        db.close()
    _write(out, data)
    print(f"{what} written to {out}")
    return 0


def run_superbill(data_dir: Path, args: argparse.Namespace) -> int:
    """Write a client's superbill for the visits between two dates."""
    from practice.billing.superbill import superbill
    from practice.clients import service as clients
    from practice.documents.superbill import superbill_pdf
    from practice.errors import NotFoundError

    if args.start > args.end:
        raise ValidationError({"from": "The --from date is after the --to date."})
    out = _pdf_target(args.out, data_dir)
    db = _open(data_dir)
    try:
        profile = _profile(db)
        try:
            client = clients.get_client(db, args.client)
        except NotFoundError:
            raise ValidationError({"client": f"No client with id {args.client}."}) from None
        bill = superbill(db, client.id, args.start, args.end)
        if not bill.visits:
            raise ValidationError(
                {
                    "client": f"{client.legal_name} has no completed visits from "
                    f"{args.start.isoformat()} to {args.end.isoformat()}."
                }
            )
        data = superbill_pdf(profile, client, bill)
    finally:
        db.close()
    _write(out, data)
    print(f"Superbill of {len(bill.visits)} visit(s) written to {out}")
    return 0


def _pdf_target(out: Path, data_dir: Path) -> Path:
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError({"out": f"{out} is not a file in an existing folder."})
    if not (data_dir / DB_FILENAME).exists():
        raise ValidationError({"data-dir": f"No practice database at {data_dir / DB_FILENAME}."})
    return out


def _open(data_dir: Path) -> Database:
    from practice.store import open_database

    return open_database(data_dir)


def _profile(db: Database) -> PracticeProfile:
    from practice.clients import service as clients

    profile = clients.get_profile(db)
    if profile is None:
        raise ValidationError(
            {"profile": "Fill in the practice profile in Fascia first; it heads every page."}
        )
    return profile


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as error:
        raise ValidationError({"out": f"{out} cannot be written: {error.strerror}."}) from None


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
