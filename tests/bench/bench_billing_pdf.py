"""Billing documents: an invoice PDF against a bare ReportLab table; billing a visit end to end."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Table

from tests.bench.common import Figure, median_ms, scratch_folder

if TYPE_CHECKING:
    from practice.clients.records import PracticeProfile

REPEAT = 15
WARMUP = 2


def run_all() -> list[Figure]:
    from practice.billing.records import BillingSettings
    from practice.clients.records import Client, PracticeProfile
    from practice.documents.fonts import REGULAR
    from practice.documents.invoice import invoice_pdf
    from tests.practice.documents import billing_samples as samples

    profile = PracticeProfile(
        "Jane O'Brien",
        "Riverside Medical Massage",
        "RMT",
        "U1234",
        address="1200 Rue Sherbrooke Ouest\nMontréal, QC H3A 1G1",
        currency="CAD",
        locale="en_CA",
    )
    client = Client(id=7, given_name="Chloé", family_name="O'Brien", address="45 Rue de la Paix")
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    settings = BillingSettings()
    rows = [
        [
            str(line.service_date or ""),
            line.description,
            "97124",
            str(line.quantity),
            str(line.unit_price),
            str(line.discount),
            "GST, QST",
            str(line.net),
        ]
        for line in invoice.lines
    ]

    def bare_table() -> bytes:
        """The floor: the same eight lines as a plain ReportLab table in the same embedded font."""
        buffer = BytesIO()
        table = Table(rows, style=[("FONTNAME", (0, 0), (-1, -1), REGULAR)])
        SimpleDocTemplate(buffer, pagesize=LETTER, invariant=1).build([table])
        return buffer.getvalue()

    def rich_invoice() -> bytes:
        return invoice_pdf(profile, client, invoice, settings, samples.PAYMENTS, samples.SERVICES)

    rich_invoice()  # fonts registered and styles built, as in the running app
    floor = median_ms(bare_table, repeat=21)
    figures = [
        Figure(
            "invoice PDF (8 lines, 2 taxes, 2 payments)",
            median_ms(rich_invoice, repeat=21),
            floor,
            "ms",
            "< 3x bare table",
        ),
        Figure(
            "bill a visit: create + issue + invoice PDF",
            _bill_visit_ms(profile),
            floor,
            "ms",
            "< 150 ms",
        ),
    ]
    return figures


def _bill_visit_ms(profile: PracticeProfile) -> float:
    """Median time to bill one visit (a new invoice, issued) and print it, on a real database."""
    from practice.billing import service as billing
    from practice.billing.records import ServiceForm, TaxRateForm
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.documents.invoice import invoice_pdf
    from practice.store import open_database
    from practice.visits import service as visits
    from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm

    folder = scratch_folder("fascia-bench-billing-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        clients.save_profile(db, profile)
        client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien"))
        hst = billing.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))
        massage = billing.save_service(
            db, ServiceForm("60-min massage", Decimal("100.00"), 60, (hst.id,), ("97124",))
        )
        start = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
        waiting = [
            visits.create_visit(
                db,
                client.id,
                VisitDraft(
                    VisitForm(start - timedelta(days=day), 60),
                    SoapNote(complaint="Neck"),
                    (TreatmentInput("effleurage", 60),),
                ),
            ).visit.id
            for day in range(1, REPEAT + WARMUP + 1)
        ]
        settings = billing.get_settings(db)
        stored_profile = clients.get_profile(db)
        assert stored_profile is not None

        def bill_and_print() -> bytes:
            invoice = billing.bill_visit(db, waiting.pop(), massage.id, issued_on=date.today())
            return invoice_pdf(stored_profile, client, invoice, settings)

        return median_ms(bill_and_print, repeat=REPEAT, warmup=WARMUP)
    finally:
        db.close()


if __name__ == "__main__":  # python -m tests.bench.bench_billing_pdf; make bench runs every bench
    for figure in run_all():
        print(figure.line())
