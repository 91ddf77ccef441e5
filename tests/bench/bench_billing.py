"""Billing figures: the balances (ageing) report over 10,000 issued invoices; billing a visit."""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.bench.common import Figure, median_ms

INVOICES = 10_000
AGEING_TARGET_MS = 200.0
RAW_SUM = """
SELECT i.client_id, SUM(i.total_cents - COALESCE(a.paid, 0))
FROM invoice i
LEFT JOIN (SELECT invoice_id, SUM(amount_cents) AS paid FROM payment_allocation
           GROUP BY invoice_id) a ON a.invoice_id = i.id
WHERE i.status = 'issued' AND i.kind = 'invoice' AND i.total_cents > COALESCE(a.paid, 0)
GROUP BY i.client_id
"""


def run_all() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        return _figures(Path(folder))


def _figures(folder: Path) -> list[Figure]:
    import sqlalchemy as sa

    from practice.billing import reports
    from practice.billing import service as billing
    from practice.demo import generate
    from practice.store import open_database
    from practice.visits.models import VisitRow

    db = open_database(folder, actor="bench")
    try:
        generate(db, clients_count=1200, seed=7, today=date.today())
        with db.read() as session:
            issued = session.scalar(
                sa.text("SELECT count(*) FROM invoice WHERE status = 'issued' AND kind = 'invoice'")
            )
        ageing_ms = median_ms(lambda: reports.ageing(db), repeat=15)
        conn = sqlite3.connect(db.path)
        floor_ms = median_ms(lambda: conn.execute(RAW_SUM).fetchall(), repeat=15)
        conn.close()
        print(
            f"balances report over {issued} issued invoices: {ageing_ms:.1f} ms "
            f"(raw SQL sum {floor_ms:.1f} ms, ratio {ageing_ms / floor_ms:.1f}x); "
            f"target < {AGEING_TARGET_MS:g} ms"
        )
        unbilled = _unbilled_visits(db, VisitRow, 22)
        samples = []
        for visit_id in unbilled[:22]:
            started = time.perf_counter()
            billing.bill_visit(db, visit_id)
            samples.append((time.perf_counter() - started) * 1000)
        bill_ms = statistics.median(samples[2:])
        insert_floor = _raw_insert_ms(db.path)
        print(f"bill a visit (create + issue, no PDF): median {bill_ms:.1f} ms over 20 runs")
    finally:
        db.close()
    return [
        Figure(
            f"balances report, {issued} issued invoices",
            ageing_ms,
            floor_ms,
            "ms",
            f"< {AGEING_TARGET_MS:g} ms absolute",
        ),
        Figure(
            "bill a visit: create + issue (no PDF)", bill_ms, insert_floor, "ms", "median of 20"
        ),
    ]


def _unbilled_visits(db, visit_row, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Completed visits with no invoice yet (the demo leaves about one in ten unbilled)."""
    import sqlalchemy as sa

    with db.read() as session:
        return list(
            session.scalars(
                sa.text(
                    "SELECT v.id FROM visit v WHERE v.status = 'completed' AND NOT EXISTS "
                    "(SELECT 1 FROM invoice_line l WHERE l.visit_id = v.id) ORDER BY v.id "
                    f"LIMIT {count}"
                )
            )
        )


def _raw_insert_ms(path: Path) -> float:
    """Floor: one durable raw-SQL transaction writing an invoice row and a line."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    client = conn.execute("SELECT min(id) FROM client").fetchone()[0]
    day = (date.today() - timedelta(days=random.Random(1).randint(0, 9))).isoformat()

    def write() -> None:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO invoice (kind, client_id, status, created_on, currency, notes, terms, "
            "subtotal_cents, discount_cents, tax_cents, total_cents, void_reason, created_at, "
            "created_by, updated_at) VALUES ('invoice', ?, 'draft', ?, 'CAD', '', '', 0, 0, 0, "
            "0, '', '2026-01-01', 'bench', '2026-01-01')",
            (client, day),
        )
        conn.execute(
            "INSERT INTO invoice_line (invoice_id, position, description, quantity, "
            "unit_price_cents, discount_cents, net_cents, tax_cents) "
            "VALUES (?, 0, 'x', 1, 100, 0, 100, 0)",
            (cur.lastrowid,),
        )
        conn.execute("COMMIT")

    try:
        return median_ms(write, repeat=20)
    finally:
        conn.close()
