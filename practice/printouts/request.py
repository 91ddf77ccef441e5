"""A client's request for their records: every document of their record as PDF, audited once.

HIPAA (45 CFR 164.524) and Ontario's PHIPA give clients the right to a copy of their records.
This makes the documents a person reads: the latest intake with the health history, the body
chart history, every signed visit note (with its amendments) and every issued invoice or credit
note. Drafts are not part of the record yet and are left out. The one audit entry names the
archive they go into and every record printed.
"""

from __future__ import annotations

from pathlib import Path

from practice.billing import service as billing
from practice.billing.records import InvoiceStatus
from practice.bodymap import service as charts
from practice.clients import service as clients
from practice.printouts import gather
from practice.printouts.billing import make_invoice
from practice.printouts.charts import make_chart_history
from practice.printouts.clinical import make_intake_summary, make_visit_note
from practice.printouts.output import Document, Printout, log
from practice.progress import Progress
from practice.store.database import Database
from practice.visits import service as visits


def client_records(
    db: Database, client_id: int, *, into: Path, progress: Progress | None = None
) -> list[Printout]:
    """The client's documents, oldest visit first, for the archive `into` (audited as export)."""
    progress = progress or Progress()
    client = gather.client(db, client_id)
    makers = []
    if clients.latest_intake(db, client.id) is not None:
        makers.append(lambda: make_intake_summary(db, client.id))
    if charts.chart_history(db, client.id):
        makers.append(lambda: make_chart_history(db, client.id))
    signed = [v.id for v in reversed(visits.visit_history(db, client.id)) if v.signed_at]
    makers.extend(lambda v=v: make_visit_note(db, v) for v in signed)  # type: ignore[misc]
    issued = [
        i.id
        for i in reversed(billing.list_invoices(db, client.id))
        if i.status is not InvoiceStatus.DRAFT
    ]
    makers.extend(lambda i=i: make_invoice(db, i) for i in issued)  # type: ignore[misc]
    made = []
    for k, make in enumerate(makers):
        progress.report(k, len(makers), f"Printing document {k + 1} of {len(makers)}…")
        made.append(make())
    log(
        db,
        Document.CLIENT_RECORDS,
        f"Records of {client.legal_name} ({len(made)} documents)",
        "client",
        client.id,
        client.id,
        {"visit_ids": signed, "invoice_ids": issued, "documents": [m.title for m in made]},
        into,
        None,
    )
    return made
