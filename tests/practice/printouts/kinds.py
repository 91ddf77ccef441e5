"""Every kind of printout made from a demo client's records: one table for core and CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practice import printouts
from practice.printouts import Document, Printout
from practice.store import Database
from practice.summaries import service as summaries
from tests.practice.printouts.conftest import Records

Make = Callable[[Database, Records, Path | None], Printout]


@dataclass(frozen=True)
class Kind:
    name: str
    document: Document
    entity: str
    make: Make
    cli: Callable[[Records], list[str]] | None = None  # fascia-cli arguments, where it makes it

    def __str__(self) -> str:
        return self.name


def _draft(db: Database, r: Records, out: Path | None) -> Printout:
    return printouts.physician_summary_pdf(
        db, summaries.summary_draft(db, r.client_id), to_file=out
    )


KINDS = (
    Kind(
        "pain chart",
        Document.PAIN_CHART,
        "body_chart",
        lambda db, r, out: printouts.pain_chart_pdf(
            db, r.client_id, chart_id=r.charts[0], to_file=out
        ),
        lambda r: ["chart", "pdf", "--client", str(r.client_id), "--chart", str(r.charts[0])],
    ),
    Kind(
        "chart comparison",
        Document.CHART_COMPARISON,
        "body_chart",
        lambda db, r, out: printouts.chart_comparison_pdf(
            db, r.client_id, before_id=r.charts[0], after_id=r.charts[-1], to_file=out
        ),
        lambda r: ["chart", "compare", "--client", str(r.client_id)],
    ),
    Kind(
        "chart history",
        Document.CHART_HISTORY,
        "client",
        lambda db, r, out: printouts.chart_history_pdf(db, r.client_id, to_file=out),
        lambda r: ["chart", "history", "--client", str(r.client_id)],
    ),
    Kind(
        "intake summary",
        Document.INTAKE_SUMMARY,
        "intake",
        lambda db, r, out: printouts.intake_summary_pdf(db, r.client_id, to_file=out),
    ),
    Kind(
        "visit note",
        Document.VISIT_NOTE,
        "visit",
        lambda db, r, out: printouts.visit_note_pdf(db, r.signed_visit, to_file=out),
    ),
    Kind(
        "physician summary draft",
        Document.PHYSICIAN_SUMMARY,
        "treatment_plan",
        _draft,
        lambda r: ["summary", "--client", str(r.client_id)],
    ),
    Kind(
        "issued physician summary",
        Document.PHYSICIAN_SUMMARY,
        "issued_document",
        lambda db, r, out: printouts.issued_document_pdf(db, r.document_id, to_file=out),
        lambda r: ["document", "pdf", str(r.document_id)],
    ),
    Kind(
        "invoice",
        Document.INVOICE,
        "invoice",
        lambda db, r, out: printouts.invoice_pdf(db, r.paid_invoice_id, to_file=out),
        lambda r: ["invoice", "pdf", r.paid_invoice],
    ),
    Kind(
        "credit note",
        Document.CREDIT_NOTE,
        "invoice",
        lambda db, r, out: printouts.invoice_pdf(db, r.credit_note_id, to_file=out),
    ),
    Kind(
        "receipt",
        Document.RECEIPT,
        "receipt",
        lambda db, r, out: printouts.receipt_pdf(db, r.paid_invoice_id, to_file=out),
        lambda r: ["invoice", "pdf", r.paid_invoice, "--receipt"],
    ),
    Kind(
        "superbill",
        Document.SUPERBILL,
        "client",
        lambda db, r, out: printouts.superbill_pdf(
            db, r.client_id, r.first_visit, r.last_visit, to_file=out
        ),
        lambda r: [
            "superbill",
            "pdf",
            "--client",
            str(r.client_id),
            "--from",
            r.first_visit.isoformat(),
            "--to",
            r.last_visit.isoformat(),
        ],
    ),
)
CLI_KINDS = tuple(kind for kind in KINDS if kind.cli is not None)
