"""Clinic mode under load: 10 simulated users (threads, each its own Database as on its own
computer) saving notes and issuing invoices through the real services on one server for 60 s
(FASCIA_BENCH_CLINIC_SECONDS to change). Checks at the end: every save that returned is
stored (0 lost), the invoice numbers run without a gap, and every user finished (no
deadlock). The floor is one user doing the same alone for the same time.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from tests.bench.common import Figure

USERS = 10


def _work(url: str, folder: Path, seconds: float, saved: list[tuple[int, str]]) -> None:
    """One user: a note, then an invoice issued for it, again and again until time is up."""
    from practice.billing import invoices
    from practice.billing.records import LineForm
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.store.server import open_server
    from practice.visits import service as visits
    from practice.visits.records import SoapNote, VisitDraft, VisitForm

    db = open_server(url, folder)
    try:
        client = clients.create_client(db, ClientForm(given_name=f"User {folder.name}"))
        line = LineForm("Massage, 60 min", unit_price=Decimal("90.00"), tax_rate_ids=())
        start, index = datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 0
        ends = time.perf_counter() + seconds
        while time.perf_counter() < ends:
            when = start + timedelta(minutes=index)
            draft = VisitDraft(VisitForm(starts_at=when), SoapNote(complaint="Neck"), ())
            visit = visits.create_visit(db, client.id, draft)
            saved.append((visit.visit.id, "visit"))
            draft_invoice = invoices.create_invoice(db, client.id, [line])
            issued = invoices.issue_invoice(db, draft_invoice.id)
            saved.append((issued.id, issued.number or ""))
            index += 1
    finally:
        db.close()


def _run(url: str, users: int, seconds: float, folder: Path) -> tuple[float, list, bool]:  # type: ignore[type-arg]
    saved: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def user(n: int) -> None:
        try:
            _work(url, folder / f"u{users}_{n}", seconds, saved)
        except BaseException as error:  # reported below: a failed user is a failed run
            errors.append(error)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    finished = not any(thread.is_alive() for thread in threads)
    if errors:
        raise RuntimeError(f"{len(errors)} users failed: {errors[0]!r}")
    return len(saved) / elapsed, saved, finished


def _check(url: str, saved: list[tuple[int, str]]) -> tuple[int, int]:
    """(saves lost, gaps in the invoice numbers)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.query["host"], user=parsed.username, dbname=parsed.database
    ) as connection:
        visits = {row[0] for row in connection.execute("SELECT id FROM visit")}
        issued = connection.execute("SELECT id, number FROM invoice WHERE number IS NOT NULL")
        numbers = dict(issued.fetchall())
    lost = sum(
        1
        for row_id, what in saved
        if (row_id not in visits if what == "visit" else numbers.get(row_id) != what)
    )
    sequence = sorted(int(re.findall(r"\d+", n)[-1]) for n in numbers.values())
    gaps = sum(b - a - 1 for a, b in itertools.pairwise(sequence))
    return lost, gaps


def run_all() -> list[Figure]:
    from tests.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("bench_clinic_load: PostgreSQL is not installed; skipped")
        return []
    from practice.store import server

    seconds = float(os.environ.get("FASCIA_BENCH_CLINIC_SECONDS", "60"))
    cluster = Cluster(bindir).start()
    figures = []
    try:
        with tempfile.TemporaryDirectory(prefix="fascia-bench-load-") as folder:
            rates = {}
            for users in (1, USERS):
                name = f"bench_load_{users}"
                cluster.execute(f"CREATE DATABASE {name}")
                url = cluster.url(name)
                server.migrate(url)
                rate, saved, finished = _run(url, users, seconds, Path(folder))
                lost, gaps = _check(url, saved)
                rates[users] = rate
                print(
                    f"bench_clinic_load: {users} users, {seconds:.0f} s: {len(saved)} saves "
                    f"({rate:.1f}/s), {lost} lost, {gaps} number gaps, "
                    f"{'all finished' if finished else 'A USER DID NOT FINISH (deadlock?)'}"
                )
            figures.append(
                Figure(
                    f"clinic: {USERS} users' saves per second (notes+invoices)",
                    rates[USERS],
                    rates[1],
                    "/s",
                    "0 lost, 0 gaps, no deadlock (floor: one user alone)",
                )
            )
    finally:
        cluster.stop()
    return figures
