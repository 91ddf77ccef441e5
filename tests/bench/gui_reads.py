"""The reads left on the GUI thread, timed on a demo practice (median of 20 after a warm-up).

`python -m tests.bench.gui_reads DATA_DIR` (a 10,000-client demo: `fascia-cli --data-dir DIR
demo --clients 10000`). Reads under 5 ms may stay on the GUI thread; the list and its figures
are in `ui/ops.py`'s module docstring. Each read is taken for the client with the most visits.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from practice.billing import catalogue, queries
from practice.billing.accounts import client_account
from practice.billing.models import InvoiceLineRow
from practice.billing.numbering import get_settings, next_number
from practice.bodymap import service as charts
from practice.clients import profile, service
from practice.plans import service as plans
from practice.store import Database
from practice.store.database import open_database
from practice.techniques.library import techniques_by_code
from practice.visits import service as visits
from practice.visits.models import VisitRow
from practice.visits.templates import list_templates
from tests.bench.common import median_ms

LIMIT_MS = 5.0  # a read under this may stay on the GUI thread (issue 15)


def reads(db: Database) -> dict[str, Callable[[], object]]:
    from ui.billing.money import MoneyFormat

    with db.read() as session:  # the busiest client, and its last billed visit
        client_id, _ = session.execute(
            select(VisitRow.client_id, func.count())
            .group_by(VisitRow.client_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        visit_id = (
            session.scalars(
                select(InvoiceLineRow.visit_id)
                .join(VisitRow, VisitRow.id == InvoiceLineRow.visit_id)
                .where(VisitRow.client_id == client_id)
                .order_by(InvoiceLineRow.visit_id.desc())
            ).first()
            or session.scalars(select(VisitRow.id).where(VisitRow.client_id == client_id)).first()
        )
    chart_id = charts.chart_history(db, client_id)[-1].id
    return {
        "clients.alerts_for": lambda: service.alerts_for(db, client_id),
        "clients.get_client": lambda: service.get_client(db, client_id),
        "clients.list_physicians": lambda: service.list_physicians(db),
        "clients.consent_forms": lambda: service.consent_forms(db),
        "clients.intake_history": lambda: service.intake_history(db, client_id),
        "profile.get_profile": lambda: profile.get_profile(db),
        "techniques_by_code": lambda: techniques_by_code(db),
        "plans.active_plan": lambda: plans.active_plan(db, client_id),
        "visits.get_visit": lambda: visits.get_visit(db, visit_id),
        "visits.list_templates": lambda: list_templates(db),
        "billing.invoices_for_visit": lambda: queries.invoices_for_visit(db, visit_id),
        "billing.client_account": lambda: client_account(db, client_id),
        "billing.list_services": lambda: catalogue.list_services(db),
        "billing.list_tax_rates": lambda: catalogue.list_tax_rates(db),
        "billing.get_settings": lambda: get_settings(db),
        "billing.next_number": lambda: next_number(db),
        "MoneyFormat.of": lambda: MoneyFormat.of(db),
        "bodymap.chart_history": lambda: charts.chart_history(db, client_id),
        "bodymap.get_chart": lambda: charts.get_chart(db, chart_id),
        "bodymap.chart_versions": lambda: charts.chart_versions(db, chart_id),
    }


def main() -> None:
    data_dir = Path(sys.argv[1])
    db = open_database(data_dir)
    raw = sqlite3.connect(data_dir / "fascia.db")
    floor = median_ms(  # one row by its key, in raw SQL: what no read can beat
        lambda: raw.execute("select * from client where id = 1").fetchone(), repeat=20, warmup=3
    )
    print(f"{'floor: one client row, raw SQL':<30} {floor:8.3f} ms")
    for name, read in reads(db).items():
        ms = median_ms(read, repeat=20, warmup=3)
        verdict = "GUI thread" if ms < LIMIT_MS else "QueryOp"
        print(f"{name:<30} {ms:8.3f} ms  ratio {ms / floor:7.0f}x  {verdict}")


if __name__ == "__main__":
    main()
