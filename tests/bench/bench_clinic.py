"""Clinic mode on a throwaway PostgreSQL cluster: how long a note saved by one user takes to
show in another user's Visits list, against a bare LISTEN/NOTIFY round trip in the same run.

The second figure's floor is the Visits list's own refresh (what a click on it costs), so its
ratio is the price of hearing about the save. Two windows in one process, each with its own
Database and listening connection, as on two clinic computers (loopback: the server's unix
socket). Skipped without PostgreSQL.
"""

from __future__ import annotations

import os
import select
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from tests.bench.common import Figure, median_ms

ROUNDS = 15


def _notify_round_trip_ms(url: str) -> float:
    """The floor: NOTIFY committed on one connection until a listening one has read it."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    options = {"host": parsed.query["host"], "user": parsed.username, "dbname": parsed.database}
    samples = []
    with (
        psycopg.connect(autocommit=True, **options) as sender,
        psycopg.connect(autocommit=True, **options) as listener,
    ):
        listener.execute("LISTEN bench_floor")
        for _ in range(ROUNDS + 2):
            started = time.perf_counter()
            sender.execute("SELECT pg_notify('bench_floor', 'x')")
            select.select([listener.fileno()], [], [], 5)
            list(listener.notifies(timeout=0))
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[2:])


def _live_update_ms(app, url: str, folder: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """A note saved through the services on one window's Database, until the other window's
    Visits list (on screen) shows it; and the list's own refresh (a click's worth of work)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.visits import service as visits
    from practice.visits.records import SoapNote, VisitDraft, VisitForm
    from ui.app import Launcher
    from ui.ops import runner

    launcher = Launcher(app)
    try:
        launcher.open_server(url, folder / "front")
        launcher.open_server(url, folder / "back")
        while len(launcher.windows) < 2:  # each signs in on the op runner first
            QCoreApplication.processEvents()
        front, back = launcher.windows
        while front.db is None or back.db is None:
            QCoreApplication.processEvents()
        client = clients.create_client(front.db, ClientForm(given_name="Ana", family_name="Peña"))
        back.pages.setCurrentWidget(back.clients)
        back.clients.open_client(client.id)
        workspace = back.clients.workspace
        workspace.tabs.setCurrentWidget(workspace.visits)
        runner().wait_idle()
        shown = workspace.visits
        samples = []
        start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        for index in range(ROUNDS + 2):
            draft = VisitDraft(
                VisitForm(starts_at=start + timedelta(days=index)), SoapNote(complaint="Neck"), ()
            )
            visits.create_visit(front.db, client.id, draft)
            saved = time.perf_counter()  # the save has returned: the other user waits from here
            deadline = saved + 10
            while shown.model.rowCount() <= index and time.perf_counter() < deadline:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            samples.append((time.perf_counter() - saved) * 1000)
            runner().wait_idle()

        def refresh() -> None:
            shown.refresh()
            runner().wait_idle()

        return statistics.median(samples[2:]), median_ms(refresh)
    finally:
        launcher.close_all()
        for window in launcher.windows:
            window.clients.directory.close()
            window.close_without_asking(back_up=False)


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("bench_clinic: PostgreSQL is not installed; skipped")
        return []
    from PySide6.QtWidgets import QApplication

    from practice.store import server

    app = QApplication.instance() or QApplication([])
    cluster = Cluster(bindir).start()
    try:
        cluster.execute("CREATE DATABASE bench_clinic")
        url = cluster.url("bench_clinic")
        server.migrate(url)
        floor = _notify_round_trip_ms(url)
        with TemporaryDirectory(prefix="fascia-bench-clinic-") as folder:
            live, refresh = _live_update_ms(app, url, Path(folder))
    finally:
        cluster.stop()
    return [
        Figure(
            "clinic: note saved -> other window's Visits list",
            live,
            floor,
            "ms",
            "< 500 ms (floor: bare NOTIFY round trip)",
        ),
        Figure(
            "clinic: note saved -> other's list, vs its refresh",
            live,
            refresh,
            "ms",
            "< 500 ms (floor: the list's own refresh)",
        ),
    ]
